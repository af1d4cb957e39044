import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { earshot } from './earshot';

/** Config files as users write them, through the CLI. */

jest.setTimeout(60_000);

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'earshot-config-files-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('an empty config', () => {
  test.each([
    ['empty.yaml', ''],
    ['comments.yaml', '# my earshot config\n\n  # brands: later\n'],
    ['null.json', 'null\n'],
  ])('%s is a clear config error, not an internal one', async (name, text) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    for (const args of [
      ['run', '--once', '--config', file],
      ['triage', 'list', '--config', file],
    ]) {
      const run = await earshot(args);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `earshot: Invalid config ${file}:\n` +
          '  - the file is empty (or only comments): expected brands, sources, alerts and storage; start from examples/earshot.config.yaml\n',
      );
    }
  });
});

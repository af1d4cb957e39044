import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startServer, type TestServer } from '../sources/server';
import { earshot } from './earshot';
import { HN_COMPLAINT, hnCommentHit } from '../../helpers/hn';

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

describe('relative paths in a config', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
    const now = Math.floor(Date.now() / 1000);
    server.on('GET', '/api/v1/search_by_date', {
      body: {
        hits: [hnCommentHit('1', 600, HN_COMPLAINT, now)],
        page: 0,
        nbPages: 1,
      },
    });
  });
  afterAll(() => server.close());

  test("storage.path and jsonl sinks resolve against the config file's folder, from any working directory", async () => {
    const project = path.join(dir, 'lrun');
    const elsewhere = path.join(dir, 'elsewhere');
    mkdirSync(project);
    mkdirSync(elsewhere);
    const configFile = path.join(project, 'earshot.config.yaml');
    writeFileSync(
      configFile,
      [
        'brands: [{ id: acme, name: Acme, keywords: [acme] }]',
        `sources: [{ id: acme-hn, kind: hackernews, brand: acme, baseUrl: "${server.url}" }]`,
        'alerts: { minSeverity: low, sinks: [{ jsonl: alerts.jsonl }] }',
        'storage: { path: db }',
      ].join('\n'),
    );
    // Run from the project's parent, triage from somewhere else: both find the store beside the config.
    const run = await earshot(['run', '--once', '--json', '--config', 'lrun/earshot.config.yaml'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ stored: 1, alerts: 1 });
    expect(existsSync(path.join(project, 'db'))).toBe(true);
    expect(readFileSync(path.join(project, 'alerts.jsonl'), 'utf8')).toContain('Acme lost my order');
    expect(existsSync(path.join(dir, 'db'))).toBe(false);
    expect(existsSync(path.join(dir, 'alerts.jsonl'))).toBe(false);

    const list = await earshot(['triage', 'list', '--json', '--config', configFile], { cwd: elsewhere });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ sourceId: 'acme-hn', id: '1' })]);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});

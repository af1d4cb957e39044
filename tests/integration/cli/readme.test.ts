import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SOURCE_KINDS } from '../../../lambdas/core/mention';
import { linkedBin } from './earshot';

/**
 * The README tells the truth: the first block of its quick start holds the commands that work offline, and each
 * runs here exactly as written (through a shell, with the linked bin where `npx earshot` stands, as npx runs it).
 */

const ROOT = path.resolve(__dirname, '../../..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The command lines of the quick start's first code block, comments dropped, `npm ci` left to the clone. */
export function offlineCommands(readme: string): string[] {
  const section = readme.slice(readme.indexOf('## Quick start'));
  const block = /```bash\n([\s\S]*?)```/.exec(section)![1];
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && line !== 'npm ci');
}

function sh(command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const asRun = command.replace(/\bnpx earshot\b/g, linkedBin());
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', asRun], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** What each quick-start command must print: enough to tell it did its job. */
const EXPECT: [RegExp, (out: string) => void][] = [
  [/^npx earshot --version$/, (out) => expect(out.trim()).toBe(require('../../../package.json').version)],
  [
    /^npx earshot score "/,
    (out) => {
      expect(out).toMatch(/complaint:\s+yes/);
      expect(out).toMatch(/memorable:\s+YES/);
    },
  ],
  [
    /\| npx earshot score --jsonl$/,
    (out) => expect(JSON.parse(out)).toMatchObject({ id: '1', language: 'vi', complaint: true }),
  ],
  [/^npx earshot sources$/, (out) => SOURCE_KINDS.forEach((kind) => expect(out).toContain(kind))],
  [
    /^npm run demo$/,
    (out) => {
      expect(out).toMatch(/^── Pass 1 · /m);
      expect(out).toMatch(/\[SPIKE\] Acme Air/);
      expect(out).toMatch(/── Top of the triage queue ──/);
    },
  ],
];

describe('the README quick start', () => {
  const commands = offlineCommands(README);

  it('lists the offline commands of issue 8, each with a check here', () => {
    expect(commands).toHaveLength(EXPECT.length);
    for (const [pattern] of EXPECT) expect(commands.filter((c) => pattern.test(c))).toHaveLength(1);
  });

  it.each(commands)(
    '%s works as written, offline',
    async (command) => {
      const run = await sh(command);
      expect({ code: run.code, stderr: run.stderr.replace(/^> .*$|^\s*$/gm, '').trim() }).toEqual({
        code: 0,
        stderr: '',
      });
      const check = EXPECT.find(([pattern]) => pattern.test(command));
      check![1](run.stdout.replace(/^> .*\n/gm, '').trim());
    },
    120_000,
  );
});

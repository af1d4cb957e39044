import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startServer, type TestServer } from '../sources/server';
import { earshot, linkedBin, type Run } from './earshot';
import { HN_COMPLAINT, hnCommentHit } from '../../helpers/hn';

/**
 * While `earshot run` holds the store, the ack line its own alert printed works from a second terminal: triage finds
 * the run through the file beside the store and goes through its loopback triage routes, as with `earshot serve`.
 */

jest.setTimeout(120_000);

let server: TestServer;
let dir: string;

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
  dir = mkdtempSync(path.join(tmpdir(), 'earshot-run-triage-'));
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Start `earshot run ARGS` and wait until its output matches `ready`. */
async function startRun(args: string[]): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(linkedBin(), ['run', ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (/next pass at/.test(output)) resolve();
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.on('close', () => reject(new Error(`exited early: ${output}`)));
  });
  return { child, output: () => output };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.kill('SIGINT');
  return closed;
}

describe.each([
  ['without --listen', [] as string[]],
  ['with --listen', ['--listen', '0']],
])('earshot run %s', (_name, extra) => {
  it("acknowledges through the running process with the alert's own printed command", async () => {
    const folder = mkdtempSync(path.join(dir, 'case-'));
    const configFile = path.join(folder, 'earshot.yaml');
    const db = path.join(folder, 'db');
    writeFileSync(
      configFile,
      [
        'brands: [{ id: acme, name: Acme, keywords: [acme] }]',
        `sources: [{ id: acme-hn, kind: hackernews, brand: acme, baseUrl: "${server.url}" }]`,
        'alerts: { minSeverity: low, sinks: [console] }',
        `storage: { path: "${db}" }`,
      ].join('\n'),
    );
    const run = await startRun(['--config', configFile, '--interval', '1h', ...extra]);
    let code: number | null;
    let remoteStats: Run | undefined;
    let remoteSources: Run | undefined;
    try {
      const printed = /Acknowledge: npx earshot triage ack (\S+) (\S+) --config (\S+)/.exec(run.output())!;
      expect(printed.slice(1)).toEqual(['acme-hn', '1', configFile]);
      const ack = await earshot(['triage', 'ack', 'acme-hn', '1', '--config', configFile, '--by', 'lead']);
      expect(ack).toMatchObject({ code: 0, stdout: 'acme-hn 1: acknowledged\n' });
      expect(ack.stderr).toMatch(/^\(through the running earshot run, pid \d+, at http:\/\/127\.0\.0\.1:\d+\)$/m);
      // Again, as a second person would: it succeeds through the run too, saying who was first.
      const again = await earshot(['triage', 'ack', 'acme-hn', '1', '--config', configFile, '--by', 'sam']);
      expect(again).toMatchObject({ code: 0 });
      expect(again.stdout).toMatch(/^acme-hn 1: already acknowledged by lead at /);
      const list = await earshot(['triage', 'list', '--config', configFile, '--json']);
      expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ id: '1', status: 'acknowledged' })]);
      // Stats without --brand: every brand's, as when no process holds the store (compared after the stop).
      remoteStats = await earshot(['triage', 'stats', '--config', configFile]);
      expect(remoteStats).toMatchObject({ code: 0 });
      expect(remoteStats.stdout).toMatch(/^all brands: 1 flagged \(new 0 · acknowledged 1 /);
      // So does `sources --config`: the health the run holds, not "store in use".
      remoteSources = await earshot(['sources', '--config', configFile, '--json']);
      expect(remoteSources).toMatchObject({ code: 0 });
      expect(JSON.parse(remoteSources.stdout)).toEqual([
        expect.objectContaining({ id: 'acme-hn', health: expect.objectContaining({ consecutiveFailures: 0 }) }),
      ]);
      const table = await earshot(['sources', '--config', configFile]);
      expect(table.code).toBe(0);
      expect(table.stderr).toMatch(/^\(through the running earshot run, pid \d+, at http:\/\/127\.0\.0\.1:\d+\)$/m);
      expect(table.stdout).toMatch(/^acme-hn +hackernews +ok +\d+ min ago/m);
    } finally {
      code = await stop(run.child);
    }
    expect(code).toBe(0);
    // Stopped: the address file is gone, and triage opens the store itself, where the ack was written.
    expect(existsSync(`${db}.serve.json`)).toBe(false);
    const after = await earshot(['triage', 'show', 'acme-hn', '1', '--config', configFile, '--json']);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout).triage).toMatchObject({ status: 'acknowledged' });
    const localStats = await earshot(['triage', 'stats', '--config', configFile]);
    expect(localStats).toMatchObject({ code: 0, stdout: remoteStats!.stdout });
    const localSources = await earshot(['sources', '--config', configFile, '--json']);
    expect(localSources).toMatchObject({ code: 0, stdout: remoteSources!.stdout });
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startServer, type TestServer } from '../sources/server';
import { earshot, linkedBin } from './earshot';
import { HN_COMPLAINT, hnCommentHit } from '../../helpers/hn';

/**
 * `earshot run` with one source that does not answer: the other source's alerts print when its own poll is done,
 * not after the whole pass (README: "one slow source delays no other source's alerts"); Ctrl-C during that pass
 * says so at once, aborts the held request and exits, keeping what was stored.
 */

// Without the fix the alert waits for the slow source (4 attempts of 60 s): the test times out first.
jest.setTimeout(90_000);

let server: TestServer;
let dir: string;
let release: () => void;
const released = new Promise<void>((resolve) => (release = resolve));
let slowAsked: () => void;
const slowRequested = new Promise<void>((resolve) => (slowAsked = resolve));

const now = Math.floor(Date.now() / 1000);
const hits = [hnCommentHit('1', 600, HN_COMPLAINT, now)];

beforeAll(async () => {
  server = await startServer();
  server.on('GET', '/api/v1/search_by_date', { body: { hits, page: 0, nbPages: 1 } });
  // The slow source answers only when the test says so (with nothing new).
  // Never answers: only a stop that aborts the request ends its poll within the test's time.
  server.on('GET', '/never/api/v1/search_by_date', { hang: true });
  server.on('GET', '/slow/api/v1/search_by_date', async () => {
    slowAsked();
    await released;
    return { body: { hits: [], page: 0, nbPages: 1 } };
  });
  dir = mkdtempSync(path.join(tmpdir(), 'earshot-slow-'));
});

afterAll(async () => {
  release();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves once the child's stdout matches `pattern`; rejects if it exits first. */
function stdoutMatches(child: ChildProcess, read: () => string, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => pattern.test(read()) && resolve();
    child.stdout!.on('data', check);
    child.on('close', () => reject(new Error(`exited before ${pattern}: ${read()}`)));
    check();
  });
}

test("a fast source's alert prints while a slow source is still being polled", async () => {
  const configFile = path.join(dir, 'earshot.yaml');
  writeFileSync(
    configFile,
    [
      'brands: [{ id: acme, name: Acme, keywords: [acme] }]',
      'sources:',
      `  - { id: acme-hn, kind: hackernews, brand: acme, baseUrl: "${server.url}" }`,
      `  - { id: slow-hn, kind: hackernews, brand: acme, baseUrl: "${server.url}/slow", timeoutMs: 60000, pollBudgetMs: 600000 }`,
      'alerts: { minSeverity: low, sinks: [console] }',
      'storage: memory',
    ].join('\n'),
  );
  const child = spawn(linkedBin(), ['run', '--config', configFile, '--once'], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    await slowRequested;
    // The slow source's request is still held here: the alert must not wait for it.
    await stdoutMatches(child, () => stdout, /Acknowledge: npx earshot triage ack acme-hn 1 /);
    expect(stdout).not.toMatch(/fetched +relevant/);
    // Its first attempt is still open: no timeout or retry happened before the alert.
    expect(server.requests.filter((request) => request.path.startsWith('/slow/'))).toHaveLength(1);
  } finally {
    release();
  }
  expect(await closed).toBe(0);
  // The pass's summary still comes after its alerts, with both sources.
  expect(stdout.indexOf('fetched  relevant')).toBeGreaterThan(stdout.indexOf('Acknowledge:'));
  expect(stdout).toMatch(/slow-hn +hackernews +0 /);
});

test('Ctrl-C during a pass says "stopping…", aborts the request in flight, exits 0 and keeps what was stored', async () => {
  const configFile = path.join(dir, 'stop.yaml');
  writeFileSync(
    configFile,
    [
      'brands: [{ id: acme, name: Acme, keywords: [acme] }]',
      'sources:',
      `  - { id: acme-hn, kind: hackernews, brand: acme, baseUrl: "${server.url}" }`,
      `  - { id: never-hn, kind: hackernews, brand: acme, baseUrl: "${server.url}/never", timeoutMs: 60000, pollBudgetMs: 600000 }`,
      'alerts: { minSeverity: low, sinks: [console] }',
      `storage: { path: "${path.join(dir, 'stop-db')}" }`,
    ].join('\n'),
  );
  const child = spawn(linkedBin(), ['run', '--config', configFile, '--once'], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  await stdoutMatches(child, () => stdout, /Acknowledge: npx earshot triage ack acme-hn 1 /);
  expect(server.requests.some((request) => request.path.startsWith('/never/'))).toBe(true);
  child.kill('SIGINT');
  expect(await closed).toBe(0);
  expect(stderr).toContain('stopping… (Ctrl-C again quits at once)');
  // The source cut short reads "stopped", not as an error of the source.
  expect(stdout).toMatch(/never-hn +hackernews +0 +0 +0 +- +0 +stopped\n/);
  expect(stdout).toContain('stopped never-hn: before its poll finished');
  expect(stdout).not.toMatch(/^error never-hn/m);
  expect(stdout).toContain('Stopped during the pass: what it stored is kept');
  // No retry was started after the stop: one request to the source that never answers.
  expect(server.requests.filter((request) => request.path.startsWith('/never/'))).toHaveLength(1);
  const list = await earshot(['triage', 'list', '--config', configFile, '--json']);
  expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ sourceId: 'acme-hn', id: '1' })]);
  // The stopped source is not marked failing: it was never its fault.
  const sources = await earshot(['sources', '--config', configFile, '--json']);
  const never = (JSON.parse(sources.stdout) as { id: string; health?: { consecutiveFailures?: number } }[]).find(
    (source) => source.id === 'never-hn',
  );
  expect(never?.health?.consecutiveFailures ?? 0).toBe(0);
});

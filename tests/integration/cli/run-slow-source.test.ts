import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startServer, type TestServer } from '../sources/server';
import { linkedBin } from './earshot';

/**
 * `earshot run` with one source that does not answer: the other source's alerts print when its own poll is done,
 * not after the whole pass (README: "one slow source delays no other source's alerts").
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
const hits = [
  {
    objectID: '1',
    created_at: new Date((now - 600) * 1000).toISOString(),
    created_at_i: now - 600,
    author: 'u1',
    comment_text:
      'Acme lost my order for the third time and support never replied. Worst service ever, cancelling my Acme account, never again!',
    story_title: 'Ask HN',
    _tags: ['comment'],
  },
];

beforeAll(async () => {
  server = await startServer();
  server.on('GET', '/api/v1/search_by_date', { body: { hits, page: 0, nbPages: 1 } });
  // The slow source answers only when the test says so (with nothing new).
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

import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { pipeline as pipe } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Readable } from 'node:stream';
import type { Mention } from '../../lambdas/core/mention';
import { ingestMentions } from '../../lambdas/pipeline/ingest';
import { signWebhookBody, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../lambdas/sources/adapters/webhook';
import { startLocalStore } from '../../lambdas/store/local';
import { Repository } from '../../lambdas/store/repository';
import { PROJECT_ROOT } from './paths';
import { renderTable } from './table';

/**
 * `npm run soak`: the reliability suite, a benchmark (figures printed, nothing asserted). It drives the real CLI
 * (`earshot run` as a child process on a temp store, loopback only) and reads the store and the JSONL alert log
 * afterwards:
 *   1. one complaint pushed 150 times (distinct ids) at concurrency 50;
 *   2. throughput: 2,000 flagged pushes of 5 problems at concurrency 50;
 *   3. a hostile source: a feed with a 3 KB guid between two normal items (two passes), a 2 MB gzip bomb, a
 *      400 MB streamed body, each with the child's peak RSS;
 *   4. 1,000 ungrouped flagged mentions (4 problems) and the sweeps it takes to group them;
 *   5. SIGKILL mid-pass, then a rerun, compared with an uninterrupted run (alert ids sent), N trials.
 */

const EARSHOT = path.join(PROJECT_ROOT, 'bin', 'earshot.js');
/** /proc's clock ticks per second (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;
const SECRET_ENV = 'SOAK_DESK_SECRET';
const SECRET = 'soak-desk-secret-0123456789abcdef';
const BRAND = { id: 'acme', name: 'Acme', keywords: ['acme'] };
const DESK = { id: 'acme-desk', kind: 'webhook', brand: 'acme', secretEnv: SECRET_ENV };
/** Alert settings that keep every first alert and update visible (no hourly cap, no spikes: they depend on time). */
const ALERTS = { minSeverity: 'low', hourlyCap: 1000, spikes: { enabled: false } };

/** Complaints of distinct problems; `{n}` varies per mention so texts differ but the problem stays the same. */
export const PROBLEMS = [
  'Acme charged me twice for order {n} and nobody answered my 4 emails in 2 weeks. Cancelling, never again!',
  'Acme lost my luggage on flight AC{n}, I waited 3 hours at the airport and nobody helped. Worst airline ever.',
  'The Acme app crashes every time I open it since update {n}, I paid for premium and cannot log in. Refund now!',
  'My Acme washing machine {n} broke after one week, the repair man never came and support hung up on me. Furious.',
  'Acme delivered order {n} to the wrong address, then closed my ticket without a refund. Absolutely useless.',
];
/** Words that tell the problems apart in an alert's text. */
const PROBLEM_WORDS = ['charged me twice', 'lost my luggage', 'app crashes', 'washing machine', 'wrong address'];
const NEUTRAL = 'Picked up an Acme umbrella {n} today, it is blue.';

export interface SoakOptions {
  trials: number;
  concurrency: number;
  /** Pushes of one complaint (phase 1). */
  sameComplaint: number;
  /** Flagged pushes for throughput (phase 2). */
  throughput: number;
  ungrouped: number;
  /** Phases to run (default all). */
  only?: SoakPhase[];
  log: (line: string) => void;
}

export const SOAK_PHASES = ['same', 'throughput', 'hostile', 'ungrouped', 'sigkill'] as const;
export type SoakPhase = (typeof SOAK_PHASES)[number];

interface PushStats {
  pushes: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  status5xx: number;
  duplicates: number;
  stored: number;
  flagged: number;
  lost: number;
  incidents: number;
  incidentsPerProblem: number[];
  firstAlerts: number;
  alertIdsTwice: number;
  ungroupedLeft: number;
  peakRssMb: number;
  /**
   * The child's CPU time per push while the pushes ran: less sensitive than requests/s to what else the machine
   * runs (the child is CPU-bound on one core).
   */
  cpuMsPerPush: number;
}

interface HostileRun {
  name: string;
  pass: number;
  stored: number;
  rejected: number;
  errors: string[];
  peakRssMb: number;
  seconds: number;
}

export interface SoakReport {
  sameComplaint?: PushStats;
  throughput?: PushStats;
  hostile?: HostileRun[];
  ungrouped?: { mentions: number; leftAfterSweep: number[]; incidentsPerProblem: number[] };
  sigkill?: {
    trials: number;
    /** Trials whose alerts (kind and problem of each, once) are those of the uninterrupted run. */
    matching: number;
    /** Trials whose alert ids are exactly the uninterrupted run's (the same mention opened each incident). */
    sameIds: number;
    killedBeforeExit: number;
    baselineAlerts: number;
    alertIdsTwice: number;
    mismatches: string[];
  };
}

// ---------------------------------------------------------------- helpers

/** A temp project: the config file and the store and alert log beside it (inside the config's folder). */
function project(name: string, config: Record<string, unknown>): { dir: string; file: string; alerts: string } {
  const dir = mkdtempSync(path.join(tmpdir(), `earshot-soak-${name}-`));
  const alerts = path.join(dir, 'alerts.jsonl');
  const file = path.join(dir, 'earshot.config.json');
  writeFileSync(
    file,
    JSON.stringify({
      brands: [BRAND],
      storage: { path: path.join(dir, 'db') },
      ...config,
      alerts: { ...ALERTS, sinks: [{ jsonl: alerts }] },
    }),
  );
  return { dir, file, alerts };
}

interface Child {
  proc: ChildProcess;
  stdout: string[];
  stderr: string[];
  peakRssKb: () => number;
  /** CPU time the child has used so far (user + system), from /proc. */
  cpuMs: () => number;
  exited: Promise<number | null>;
}

/** `earshot …` in a fresh process (the CLI as a user runs it), its peak RSS sampled from /proc. */
function earshot(args: string[], cwd: string): Child {
  // EARSHOT_SOAK_NODE_ARGS: extra node flags for the children, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.EARSHOT_SOAK_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, EARSHOT, ...args], {
    cwd,
    env: { ...process.env, [SECRET_ENV]: SECRET },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  proc.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk.toString('utf8')));
  proc.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  let peak = 0;
  const sample = () => {
    try {
      const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+)/.exec(status);
      if (hwm) peak = Math.max(peak, Number(hwm[1]));
    } catch {
      // exited
    }
  };
  const timer = setInterval(sample, 25);
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => {
      clearInterval(timer);
      resolve(code);
    }),
  );
  const cpuMs = () => {
    try {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in ticks.
      const stat = readFileSync(`/proc/${proc.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    } catch {
      return NaN; // exited, or no /proc
    }
  };
  return { proc, stdout, stderr, peakRssKb: () => peak, cpuMs, exited };
}

async function waitFor<T>(what: string, check: () => T | undefined, child: Child, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > until || child.proc.exitCode !== null) {
      child.proc.kill('SIGKILL');
      throw new Error(`soak: no ${what}; the child said:\n${child.stderr.join('').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function runToEnd(args: string[], cwd: string): Promise<{ code: number | null; child: Child; seconds: number }> {
  const start = Date.now();
  const child = earshot(args, cwd);
  const code = await child.exited;
  return { code, child, seconds: (Date.now() - start) / 1000 };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function withConcurrency<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

interface AlertLine {
  alertId: string;
  kind: string;
  text?: string;
}

/** What an alert is about, whichever mention happened to open its incident: kind and problem. */
function aboutOf(line: AlertLine): string {
  const problem = PROBLEM_WORDS.findIndex((words) => (line.text ?? '').includes(words));
  return `${line.kind}:${problem < 0 ? '?' : `problem ${problem}`}`;
}

function readAlerts(file: string): AlertLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AlertLine);
}

function twice(ids: string[]): number {
  const seen = new Map<string, number>();
  for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
  return [...seen.values()].filter((n) => n > 1).length;
}

/** What the store holds after the child has exited (the store has one writer at a time). */
async function inspectStore(dir: string, problemOf: (mentionId: string) => number | undefined, problems: number) {
  const store = await startLocalStore({ path: path.join(dir, 'db') });
  try {
    const repo = new Repository(store.doc, store.tableName);
    const byType = async (type: string) =>
      repo.table.scan({
        FilterExpression: '#type = :type',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': type },
      });
    const mentions = await byType('MENTION');
    const incidents = await byType('INCIDENT');
    const perProblem = new Array<number>(problems).fill(0);
    for (const incident of incidents) {
      const seen = new Set<number>();
      for (const key of (incident.mentionKeys as string[] | undefined) ?? []) {
        const problem = problemOf(key.slice(key.indexOf('#') + 1));
        if (problem !== undefined) seen.add(problem);
      }
      for (const problem of seen) perProblem[problem]++;
    }
    const ungrouped = await repo.mentions.listUngrouped(BRAND.id, { limit: 100_000 });
    return {
      mentions,
      stored: mentions.length,
      flagged: mentions.filter((m) => m.flagged === true).length,
      incidents: incidents.length,
      perProblem,
      ungrouped: ungrouped.length,
    };
  } finally {
    await store.close();
  }
}

const problemOfId = (id: string): number | undefined => {
  const match = /^p(\d+)-/.exec(id);
  return match ? Number(match[1]) : undefined;
};

// ---------------------------------------------------------------- 1 + 2: concurrent signed pushes

async function pushPhase(
  name: string,
  pushes: { id: string; text: string }[],
  problems: number,
  opts: SoakOptions,
): Promise<PushStats> {
  const { dir, file, alerts } = project(name, { sources: [DESK] });
  // --interval 30s: the first pass (no polled sources: just the sweep) runs at start, the next after the pushes.
  const child = earshot(['run', '--config', file, '--listen', '0', '--interval', '30s'], dir);
  const url = await waitFor(
    'listening line from run --listen',
    () => /listening for pushed mentions at (http:\/\/127\.0\.0\.1:\d+)/.exec(child.stderr.join(''))?.[1],
    child,
  );
  const latencies: number[] = [];
  let status5xx = 0;
  let non2xx = 0;
  let duplicates = 0;
  const cpuBefore = child.cpuMs();
  const start = process.hrtime.bigint();
  await withConcurrency(
    opts.concurrency,
    pushes.map((push) => async () => {
      const body = JSON.stringify([push]);
      const at = Math.floor(Date.now() / 1000);
      const t0 = process.hrtime.bigint();
      const response = await fetch(`${url}/ingest/${DESK.id}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signWebhookBody(body, SECRET, at),
          [TIMESTAMP_HEADER]: String(at),
        },
        body,
      });
      const reply = (await response.json()) as { duplicates?: number };
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (response.status >= 500) status5xx++;
      if (response.status < 200 || response.status > 299) non2xx++;
      duplicates += Number(reply.duplicates ?? 0);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpuMsPerPush = (child.cpuMs() - cpuBefore) / pushes.length;
  // SIGTERM: the run finishes the alerting of every push it answered, then closes the store.
  child.proc.kill('SIGTERM');
  await child.exited;
  const peakRssMb = Math.round(child.peakRssKb() / 1024);
  const store = await inspectStore(dir, problemOfId, problems);
  const sent = readAlerts(alerts);
  latencies.sort((a, b) => a - b);
  rmSync(dir, { recursive: true, force: true });
  const stats: PushStats = {
    pushes: pushes.length,
    seconds,
    perSecond: pushes.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    non2xx,
    status5xx,
    duplicates,
    stored: store.stored,
    flagged: store.flagged,
    lost: pushes.length - store.stored,
    incidents: store.incidents,
    incidentsPerProblem: store.perProblem,
    firstAlerts: sent.filter((a) => a.kind === 'mention').length,
    alertIdsTwice: twice(sent.map((a) => a.alertId)),
    ungroupedLeft: store.ungrouped,
    peakRssMb,
    cpuMsPerPush,
  };
  opts.log(
    `${name}: ${pushes.length} pushes in ${seconds.toFixed(1)} s (${stats.perSecond.toFixed(0)}/s), p99 ${stats.p99Ms.toFixed(0)} ms, ${non2xx} non-2xx, ${stats.incidents} incidents, load average ${loadavg()[0].toFixed(1)}`,
  );
  return stats;
}

// ---------------------------------------------------------------- 3: a hostile source

function rssFeed(items: { guid: string; title: string; text: string; at: string }[]): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return (
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>soak</title>' +
    '<link>http://127.0.0.1/</link><description>soak feed</description>' +
    items
      .map(
        (item) =>
          `<item><guid isPermaLink="false">${escape(item.guid)}</guid><title>${escape(item.title)}</title>` +
          `<link>http://127.0.0.1/items/${encodeURIComponent(item.guid.slice(0, 40))}</link>` +
          `<description>${escape(item.text)}</description><pubDate>${new Date(item.at).toUTCString()}</pubDate></item>`,
      )
      .join('') +
    '</channel></rss>'
  );
}

/** A gzip stream of `inflated` zero bytes (about 1,000:1), written once to `file`. */
async function writeGzipBomb(file: string, inflated: number): Promise<number> {
  const chunk = Buffer.alloc(16 * 1024 * 1024);
  let left = inflated;
  const zeros = new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const size = Math.min(left, chunk.length);
      left -= size;
      this.push(size === chunk.length ? chunk : chunk.subarray(0, size));
    },
  });
  await pipe(zeros, createGzip({ level: 9 }), createWriteStream(file));
  return readFileSync(file).length;
}

interface HostileServer {
  url: string;
  close(): Promise<void>;
  bombBytes: number;
  bigBytes: number;
}

async function startHostileServer(
  dir: string,
  feed: string,
  killFeeds: Map<string, string>,
  withBomb: boolean,
): Promise<HostileServer> {
  const bombFile = path.join(dir, 'bomb.gz');
  const bombBytes = withBomb ? await writeGzipBomb(bombFile, 2 * 1024 * 1024 * 1024) : 0;
  const bomb = withBomb ? readFileSync(bombFile) : Buffer.alloc(0);
  const bigBytes = 400 * 1024 * 1024;
  const server: Server = createServer((req, res) => {
    const route = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (route === '/feed.xml') {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed);
    } else if (route === '/bomb.xml') {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' }).end(bomb);
    } else if (route === '/big.xml') {
      // 400 MB streamed, no content-length: the client must stop reading by itself.
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const piece = Buffer.from(`<item><title>${'x'.repeat(1000)}</title></item>`.repeat(64));
      let sent = 0;
      const write = () => {
        while (sent < bigBytes) {
          sent += piece.length;
          if (!res.write(piece)) return void res.once('drain', write);
        }
        res.end();
      };
      res.on('close', () => (sent = bigBytes));
      write();
    } else if (killFeeds.has(route)) {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(killFeeds.get(route));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bombBytes,
    bigBytes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function rssSource(id: string, url: string): Record<string, unknown> {
  return { id, kind: 'rss', brand: 'acme', url, relevantByConstruction: true, lookbackHours: 48 };
}

interface RunSummary {
  stored: number;
  sources: { id: string; rejected?: number; errors: string[] }[];
}

async function hostileRun(name: string, file: string, dir: string, pass: number): Promise<HostileRun> {
  const { child, seconds } = await runToEnd(['run', '--config', file, '--once', '--json'], dir);
  const summary = JSON.parse(child.stdout.join('').trim().split('\n').pop() ?? '{}') as RunSummary;
  return {
    name,
    pass,
    stored: summary.stored,
    rejected: summary.sources.reduce((sum, s) => sum + (s.rejected ?? 0), 0),
    errors: summary.sources.flatMap((s) => s.errors),
    peakRssMb: Math.round(child.peakRssKb() / 1024),
    seconds,
  };
}

async function hostilePhase(server: HostileServer, opts: SoakOptions): Promise<HostileRun[]> {
  const runs: HostileRun[] = [];
  const feed = project('feed', { sources: [rssSource('acme-feed', `${server.url}/feed.xml`)] });
  runs.push(await hostileRun('feed with a 3 KB guid between two normal items', feed.file, feed.dir, 1));
  runs.push(await hostileRun('feed with a 3 KB guid between two normal items', feed.file, feed.dir, 2));
  const bomb = project('bomb', { sources: [rssSource('acme-bomb', `${server.url}/bomb.xml`)] });
  runs.push(await hostileRun(`gzip bomb (${(server.bombBytes / 1e6).toFixed(1)} MB → 2 GiB)`, bomb.file, bomb.dir, 1));
  const big = project('big', { sources: [rssSource('acme-big', `${server.url}/big.xml`)] });
  runs.push(await hostileRun(`${server.bigBytes / 1024 / 1024} MB streamed body`, big.file, big.dir, 1));
  for (const p of [feed, bomb, big]) rmSync(p.dir, { recursive: true, force: true });
  for (const run of runs) opts.log(`hostile: ${run.name} pass ${run.pass}: stored ${run.stored}, ${run.peakRssMb} MB`);
  return runs;
}

// ---------------------------------------------------------------- 4: ungrouped flagged mentions

async function ungroupedPhase(opts: SoakOptions): Promise<SoakReport['ungrouped']> {
  const problems = 4;
  const { dir, file } = project('ungrouped', { sources: [DESK] });
  const store = await startLocalStore({ path: path.join(dir, 'db') });
  const base = Date.now() - 60 * 60 * 1000;
  try {
    const repo = new Repository(store.doc, store.tableName);
    const mentions: Mention[] = Array.from({ length: opts.ungrouped }, (_, i) => {
      const problem = i % problems;
      return {
        id: `p${problem}-${String(i).padStart(5, '0')}`,
        sourceId: DESK.id,
        brandId: BRAND.id,
        kind: 'webhook',
        text: PROBLEMS[problem].replace('{n}', String(1000 + i)),
        createdAt: new Date(base + i * 1000).toISOString(),
      } as Mention;
    });
    // Stored and flagged, never grouped: as after a crash between the store and the alert path.
    await ingestMentions(mentions, { repo, retentionDays: 30, now: () => new Date() });
  } finally {
    await store.close();
  }
  const leftAfterSweep: number[] = [];
  let perProblem: number[] = [];
  for (let sweep = 1; sweep <= 2; sweep++) {
    await runToEnd(['run', '--config', file, '--once', '--json'], dir);
    const after = await inspectStore(dir, problemOfId, problems);
    leftAfterSweep.push(after.ungrouped);
    perProblem = after.perProblem;
  }
  rmSync(dir, { recursive: true, force: true });
  opts.log(`ungrouped: ${opts.ungrouped} → ${leftAfterSweep.join(' → ')} after each sweep`);
  return { mentions: opts.ungrouped, leftAfterSweep, incidentsPerProblem: perProblem };
}

// ---------------------------------------------------------------- 5: SIGKILL mid-pass, then a rerun

function killFeeds(): Map<string, string> {
  // Three feeds of 120 items each: complaints of three problems among neutral chatter, an hour old at most.
  const base = Date.now() - 50 * 60 * 1000;
  const feeds = new Map<string, string>();
  for (let f = 0; f < 3; f++) {
    const items = Array.from({ length: 120 }, (_, i) => {
      const n = f * 1000 + i;
      const complaint = i % 4 === 0;
      const problem = (i / 4 + f) % 3;
      return {
        guid: complaint ? `p${problem}-${n}` : `n-${n}`,
        title: complaint ? 'complaint' : 'chatter',
        text: (complaint ? PROBLEMS[problem] : NEUTRAL).replace('{n}', String(n)),
        at: new Date(base + n * 7000).toISOString(),
      };
    });
    feeds.set(`/kill-${f}.xml`, rssFeed(items.reverse()));
  }
  return feeds;
}

async function sigkillPhase(
  server: HostileServer,
  routes: string[],
  opts: SoakOptions,
): Promise<SoakReport['sigkill']> {
  const sources = routes.map((route, i) => rssSource(`acme-feed-${i}`, `${server.url}${route}`));
  const once = (file: string) => ['run', '--config', file, '--once', '--json'];

  const baseline = project('baseline', { sources });
  const first = await runToEnd(once(baseline.file), baseline.dir);
  const baselineAlerts = readAlerts(baseline.alerts);
  const baselineIds = baselineAlerts.map((a) => a.alertId);
  const expectedIds = [...new Set(baselineIds)].sort();
  const expected = baselineAlerts.map(aboutOf).sort();
  rmSync(baseline.dir, { recursive: true, force: true });

  let matching = 0;
  let sameIds = 0;
  let killedBeforeExit = 0;
  let alertIdsTwice = twice(baselineIds);
  const mismatches: string[] = [];
  for (let trial = 0; trial < opts.trials; trial++) {
    const p = project(`kill-${trial}`, { sources });
    // Spread the kills over the pass: from module loading to the last alert.
    const delayMs = Math.round(first.seconds * 1000 * (0.25 + (0.75 * trial) / Math.max(1, opts.trials - 1)));
    const child = earshot(once(p.file), p.dir);
    const timer = setTimeout(() => child.proc.kill('SIGKILL'), delayMs);
    const code = await child.exited;
    clearTimeout(timer);
    if (code === null) killedBeforeExit++;
    await runToEnd(once(p.file), p.dir);
    const sent = readAlerts(p.alerts);
    const ids = sent.map((a) => a.alertId);
    alertIdsTwice += twice(ids);
    if ([...new Set(ids)].sort().join() === expectedIds.join()) sameIds++;
    // Each alert once (a redelivery of the same id is counted above, not here).
    const got = [...new Map(sent.map((a) => [a.alertId, a])).values()].map(aboutOf).sort();
    if (got.join() === expected.join()) matching++;
    else {
      const missing = expected.filter((id) => !got.includes(id));
      const extra = got.filter((id) => !expected.includes(id));
      mismatches.push(
        `trial ${trial + 1} (kill at ${delayMs} ms): missing ${missing.join(', ') || '-'}; extra ${extra.join(', ') || '-'}`,
      );
    }
    rmSync(p.dir, { recursive: true, force: true });
  }
  opts.log(`sigkill: ${matching}/${opts.trials} trials send the same alerts as the uninterrupted run`);
  return {
    trials: opts.trials,
    matching,
    sameIds,
    killedBeforeExit,
    baselineAlerts: expected.length,
    alertIdsTwice,
    mismatches,
  };
}

// ---------------------------------------------------------------- the suite

export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const runs = (phase: SoakPhase) => !opts.only || opts.only.includes(phase);
  const report: SoakReport = {};
  if (runs('same')) {
    opts.log('soak: one complaint, concurrent pushes');
    const one = Array.from({ length: opts.sameComplaint }, (_, i) => ({
      id: `p0-one-${i}`,
      text: PROBLEMS[0].replace('{n}', '4711'),
    }));
    report.sameComplaint = await pushPhase('same', one, 1, opts);
  }
  if (runs('throughput')) {
    opts.log('soak: throughput');
    const many = Array.from({ length: opts.throughput }, (_, i) => {
      const problem = i % PROBLEMS.length;
      return { id: `p${problem}-t-${i}`, text: PROBLEMS[problem].replace('{n}', String(2000 + i)) };
    });
    report.throughput = await pushPhase('throughput', many, PROBLEMS.length, opts);
  }
  if (runs('ungrouped')) {
    opts.log('soak: ungrouped flagged mentions');
    report.ungrouped = await ungroupedPhase(opts);
  }
  if (!runs('hostile') && !runs('sigkill')) return report;

  const serverDir = mkdtempSync(path.join(tmpdir(), 'earshot-soak-server-'));
  const at = Date.now() - 10 * 60 * 1000;
  const item = (guid: string, text: string, ago: number) => ({
    guid,
    title: guid.slice(0, 20),
    text,
    at: new Date(at - ago).toISOString(),
  });
  const feed = rssFeed([
    item('normal-2', 'Acme support fixed my router in ten minutes.', 0),
    item(`guid-${'g'.repeat(3 * 1024)}`, 'Acme item with a 3 KB guid.', 60_000),
    item('normal-1', 'Acme shipped my order on time.', 120_000),
  ]);
  const kills = killFeeds();
  if (runs('hostile')) opts.log('soak: hostile source (writing a 2 MB gzip bomb first)');
  const server = await startHostileServer(serverDir, feed, kills, runs('hostile'));
  try {
    if (runs('hostile')) report.hostile = await hostilePhase(server, opts);
    if (runs('sigkill')) {
      opts.log(`soak: SIGKILL mid-pass, ${opts.trials} trials`);
      report.sigkill = await sigkillPhase(server, [...kills.keys()], opts);
    }
  } finally {
    await server.close();
    rmSync(serverDir, { recursive: true, force: true });
  }
  return report;
}

export function formatSoakReport(report: SoakReport): string {
  const push = (s: PushStats) => [
    String(s.pushes),
    `${s.perSecond.toFixed(0)}/s`,
    `${s.p50Ms.toFixed(0)} / ${s.p99Ms.toFixed(0)} ms`,
    String(s.status5xx),
    String(s.non2xx),
    String(s.duplicates),
    String(s.lost),
    `${s.stored} / ${s.flagged}`,
    String(s.incidents),
    s.incidentsPerProblem.join(' '),
    String(s.firstAlerts),
    String(s.alertIdsTwice),
    `${s.peakRssMb} MB`,
    Number.isNaN(s.cpuMsPerPush) ? '-' : `${s.cpuMsPerPush.toFixed(1)} ms`,
  ];
  const out: string[] = [];
  out.push(
    ...renderTable(
      [
        'pushes',
        'held',
        'p50 / p99',
        '5xx',
        'non-2xx',
        'dupl.',
        'lost',
        'stored / flagged',
        'incidents',
        'per problem',
        'first alerts',
        'ids twice',
        'RSS peak',
        'CPU / push',
      ],
      [report.sameComplaint, report.throughput].filter((s): s is PushStats => s !== undefined).map(push),
    ),
  );
  out.push('');
  if (report.hostile)
    out.push(
      ...renderTable(
        ['hostile source', 'pass', 'stored', 'rejected', 'RSS peak', 'time', 'error'],
        report.hostile.map((run) => [
          run.name,
          String(run.pass),
          String(run.stored),
          String(run.rejected),
          `${run.peakRssMb} MB`,
          `${run.seconds.toFixed(1)} s`,
          (run.errors[0] ?? '-').slice(0, 90),
        ]),
      ),
    );
  out.push('');
  const u = report.ungrouped;
  if (u)
    out.push(
      `ungrouped flagged mentions: ${u.mentions} → ${u.leftAfterSweep.join(' → ')} left after each sweep; incidents per problem ${u.incidentsPerProblem.join(' ')}`,
    );
  const k = report.sigkill;
  if (k)
    out.push(
      `SIGKILL mid-pass + rerun: ${k.matching} / ${k.trials} trials send the same ${k.baselineAlerts} alerts (kind and problem) as an uninterrupted run, ${k.sameIds} with the very same alert ids (${k.killedBeforeExit} killed before the pass ended); alert ids delivered twice: ${k.alertIdsTwice}`,
    );
  for (const line of k?.mismatches ?? []) out.push(`  ${line}`);
  return out.join('\n');
}

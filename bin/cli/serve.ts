import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../lambdas/config/load';
import type { EarshotConfig } from '../../lambdas/config/schema';
import { openLocalPipeline, type LocalPipeline, type LocalPipelineOptions } from '../../lambdas/pipeline/local';
import { runPass } from '../../lambdas/pipeline/run-pass';
import { inboxAssets } from '../../web/assets';
import { findRunningServer, publishServer, SERVE_TOKEN_ENV } from './serve-file';
import { isTriagePath, SECURITY_HEADERS, triageRoutes } from './serve-triage';
import { handleIngest, handleIngestHandshake, ingestSourceId } from './webhook-server';

/**
 * `earshot serve`: the local pipeline (each source polled on its schedule, pushed mentions at POST /ingest/{sourceId}),
 * the triage HTTP API on the routes it has on AWS, and the web inbox at `/`, in one process that owns the store.
 * While it runs, a small file beside the store names its address, so `earshot triage …` goes through it.
 */

export interface ServeOptions {
  config: string;
  port: number;
  host?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  pipeline: LocalPipeline;
  close(): Promise<void>;
}

const MIN_TOKEN_LENGTH = 16;
/** The sweep (escalations, re-deliveries, spikes) runs this often even when no source is due. */
const SWEEP_MS = 5 * 60_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

// ---- schedules -------------------------------------------------------------------------------------------------

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;

/** Next time (epoch ms, after `afterMs`) an EventBridge `rate(…)` or `cron(…)` schedule fires, in UTC. */
export function nextRunMs(schedule: string, afterMs: number, lastMs?: number): number {
  const rate = RATE.exec(schedule);
  if (rate) {
    const unit = rate[2].startsWith('minute') ? 60_000 : rate[2].startsWith('hour') ? 3_600_000 : 86_400_000;
    return (lastMs ?? afterMs) + Number(rate[1]) * unit;
  }
  const cron = /^cron\((.+)\)$/.exec(schedule);
  if (!cron) throw new Error(`unsupported schedule "${schedule}"`);
  const [minutes, hours, dom, month, dow] = cron[1].trim().split(/\s+/);
  const fields: [string, (d: Date) => number, number, number][] = [
    [minutes, (d) => d.getUTCMinutes(), 0, 59],
    [hours, (d) => d.getUTCHours(), 0, 23],
    [dom, (d) => d.getUTCDate(), 1, 31],
    [month, (d) => d.getUTCMonth() + 1, 1, 12],
    // EventBridge numbers days 1 (Sunday) to 7.
    [dow, (d) => d.getUTCDay() + 1, 1, 7],
  ];
  const start = Math.floor(afterMs / 60_000) * 60_000 + 60_000;
  for (let t = start, i = 0; i < 60 * 24 * 366; i++, t += 60_000) {
    const d = new Date(t);
    if (fields.every(([spec, get, lo, hi]) => cronFieldMatches(spec ?? '*', get(d), lo, hi))) return t;
  }
  throw new Error(`schedule "${schedule}" never fires within a year`);
}

function cronFieldMatches(spec: string, value: number, lo: number, hi: number): boolean {
  return spec.split(',').some((part) => {
    if (part === '*' || part === '?') return true;
    const [range, step] = part.split('/');
    const [from, to] =
      range === '*'
        ? [lo, hi]
        : range.includes('-')
          ? range.split('-').map(Number)
          : [Number(range), step ? hi : Number(range)];
    if (value < from || value > to) return false;
    return (value - from) % Number(step ?? 1) === 0;
  });
}

// ---- HTTP -----------------------------------------------------------------------------------------------------

export async function startServer(
  config: EarshotConfig,
  opts: {
    port: number;
    host?: string;
    configPath?: string;
    env?: NodeJS.ProcessEnv;
    log?: (line: string) => void;
    /** Serve a pipeline that is already open (the demo's) instead of opening the config's store. */
    pipeline?: LocalPipeline;
  },
  pipelineOptions: LocalPipelineOptions = {},
): Promise<RunningServer> {
  const env = opts.env ?? process.env;
  const host = opts.host ?? '127.0.0.1';
  const token = env[SERVE_TOKEN_ENV];
  if (!LOOPBACK.has(host) && (!token || token.length < MIN_TOKEN_LENGTH)) {
    throw new Error(
      `serving on ${host} (not loopback) needs a bearer token of at least ${MIN_TOKEN_LENGTH} characters in $${SERVE_TOKEN_ENV}`,
    );
  }
  const requireToken = !LOOPBACK.has(host) && token !== undefined;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const existing = findRunningServer(config);
  if (existing && existing.pid !== process.pid) {
    throw new Error(`this store is already served by process ${existing.pid} at ${existing.url}`);
  }

  // A busy port is found before the store is opened (or created, on a first run).
  if (!opts.pipeline && opts.port !== 0) await checkPortFree(opts.port, host);
  const pipeline =
    opts.pipeline ??
    (await openLocalPipeline(config, {
      configPath: opts.configPath,
      consoleStream: process.stderr,
      ...pipelineOptions,
    }));
  const triage = triageRoutes(config, pipeline, { token: requireToken ? token : undefined, log });
  const assets = new Map(inboxAssets().map((asset) => [`/${asset.path}`, asset]));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const ingest = ingestSourceId(url.pathname);
    if (ingest && method === 'POST') {
      handleIngest(req, res, ingest, pipeline.deps, log);
      return;
    }
    if (ingest && method === 'GET') {
      handleIngestHandshake(res, ingest, url, pipeline.deps);
      return;
    }
    if (isTriagePath(url.pathname)) {
      await triage(req, res, url);
      return;
    }
    if (url.pathname === '/config.json') {
      // On AWS this file names the Cognito sign-in; locally there is none.
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ local: true, tokenRequired: requireToken }));
      return;
    }
    const asset = assets.get(url.pathname === '/' ? '/index.html' : url.pathname);
    if (asset && (method === 'GET' || method === 'HEAD')) {
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': asset.contentType, 'cache-control': 'no-cache' });
      res.end(method === 'HEAD' ? undefined : asset.body);
      return;
    }
    res.writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: `no route for ${method} ${url.pathname}` }));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      log(`request failed: ${err.message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal error' }));
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await pipeline.close();
    throw portError(err as NodeJS.ErrnoException, opts.port, host);
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const unpublish = publishServer(config, { url, tokenRequired: requireToken, command: 'serve' });
  let closed = false;
  return {
    url,
    port,
    pipeline,
    async close() {
      if (closed) return;
      closed = true;
      unpublish();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pipeline.close();
    },
  };
}

/** EADDRINUSE as a person reads it: which port, and what to do (`flag` is the option that chose it). */
function portError(err: NodeJS.ErrnoException, port: number, host: string, flag = '--port'): Error {
  if (err.code !== 'EADDRINUSE') return err;
  return new Error(
    `port ${port} is in use${LOOPBACK.has(host) ? '' : ` on ${host}`}; pass ${flag} N (${flag} 0 picks a free one)`,
  );
}

/**
 * Fails with the same message as the server would, before work that would be wasted if it cannot listen (the
 * demo checks before it tells its story, `run --listen` before it opens the store). The port is free again when
 * this resolves.
 */
export async function checkPortFree(port: number, host = '127.0.0.1', flag = '--port'): Promise<void> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (err) => reject(portError(err as NodeJS.ErrnoException, port, host, flag)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** Polls each enabled source on its schedule (all of them once at start) and sweeps every 5 minutes. */
export function startScheduler(
  pipeline: LocalPipeline,
  log: (line: string) => void,
  clock: () => number = Date.now,
): { stop(): Promise<void> } {
  const { config } = pipeline.deps;
  const sources = config.sources.filter((source) => source.enabled);
  const due = new Map(sources.map((source) => [source.id, clock()]));
  let nextSweep = clock() + SWEEP_MS;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = async () => {
    const now = clock();
    const ready = sources.filter((source) => due.get(source.id)! <= now);
    if (ready.length > 0 || now >= nextSweep) {
      try {
        const summary = await runPass({ ...pipeline.deps, config: { ...config, sources: ready } });
        const polled = summary.sources.map(
          (s) => `${s.id} ${s.relevant}/${s.fetched}${s.errors.length ? ' (errors)' : ''}`,
        );
        log(
          `pass: ${polled.join(', ') || 'sweep only'} · stored ${summary.stored} · flagged ${summary.flagged} · alerts ${summary.alerts}`,
        );
        for (const s of summary.sources) for (const error of s.errors) log(`  ${s.id}: ${error}`);
      } catch (err) {
        log(`pass failed: ${(err as Error).message}; the next one catches up`);
      }
      for (const source of ready) due.set(source.id, nextRunMs(source.schedule, clock(), now));
      nextSweep = clock() + SWEEP_MS;
    }
    if (stopped) return;
    const wait = Math.max(1000, Math.min(nextSweep, ...due.values()) - clock());
    timer = setTimeout(
      () => {
        running = tick();
      },
      Math.min(wait, 60_000),
    );
  };
  running = tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/** `earshot serve --config FILE [--port 8787] [--host 127.0.0.1]`: runs until Ctrl-C. */
export async function serveCommand(opts: ServeOptions, pipelineOptions: LocalPipelineOptions = {}): Promise<void> {
  const config = loadConfig(opts.config);
  await serveUntilStopped(config, opts, pipelineOptions, { configPath: opts.config });
}

export async function serveUntilStopped(
  config: EarshotConfig,
  opts: Omit<ServeOptions, 'config'>,
  pipelineOptions: LocalPipelineOptions = {},
  extra: { configPath?: string; poll?: boolean; banner?: string; pipeline?: LocalPipeline } = {},
): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const server = await startServer(
    config,
    { port: opts.port, host: opts.host, configPath: extra.configPath, log, pipeline: extra.pipeline },
    pipelineOptions,
  );
  const scheduler = extra.poll === false ? undefined : startScheduler(server.pipeline, log);
  process.stdout.write(`listening on ${server.url}\n`);
  if (extra.banner) process.stdout.write(`${extra.banner}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log('stopping…');
  await scheduler?.stop();
  await server.close();
}

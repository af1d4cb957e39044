import { missingEnvironment } from '../../lambdas/config/env-check';
import { weakSecrets } from '../../lambdas/config/guard-rails';
import { loadConfig } from '../../lambdas/config/load';
import type { EarshotConfig } from '../../lambdas/config/schema';
import { boundHeapForMemoryStore, openLocalPipeline, type LocalPipelineOptions } from '../../lambdas/pipeline/local';
import { runPass, type PassSummary, type ProgressEvent } from '../../lambdas/pipeline/run-pass';
import { EarshotError } from '../../lambdas/core/errors';
import { createTerminal } from './progress';
import { publishServer } from './serve-file';
import { triageRoutes } from './serve-triage';
import { startWebhookServer } from './webhook-server';
import { renderTable } from './table';

export interface RunOptions {
  config: string;
  once?: boolean;
  interval: number;
  json?: boolean;
  passes?: number;
  /** Port for pushed mentions (POST /ingest/{sourceId}) while the run goes on. */
  listen?: number;
}

/** Errors that mean "this machine cannot reach the internet" rather than "the source is broken". */
const OFFLINE_ERROR = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ENETUNREACH|EHOSTUNREACH|network|fetch failed|timed? ?out/i;

/** A source failed its poll: it reported errors and fetched nothing. */
function sourceFailed(source: PassSummary['sources'][number]): boolean {
  return source.errors.length > 0 && source.fetched === 0;
}

/** Every polled source failed (a config with no polled sources has not failed). */
export function everySourceFailed(summary: PassSummary): boolean {
  return summary.sources.length > 0 && summary.sources.every(sourceFailed);
}

/** "2026-06-10 12:00:00 UTC": the clock people read in pass headers. */
export function formatClock(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The line each pass starts with; its alerts print under it, its summary table after them. */
export function passHeader(pass: number, at: Date): string {
  return `── Pass ${pass} · ${formatClock(at)} ${'─'.repeat(30)}`;
}

export function looksOffline(summary: PassSummary): boolean {
  const polled = summary.sources.filter((source) => source.errors.length > 0 || source.fetched > 0);
  return (
    polled.length > 0 &&
    summary.sources.every((source) => source.fetched === 0 && source.errors.some((error) => OFFLINE_ERROR.test(error)))
  );
}

function pct(value: number | null): string {
  return value === null ? '-' : `${Math.round(value * 100)}%`;
}

/** The summary for a person: per source fetched/relevant/noise/SNR, then the pass totals. */
export function formatSummary(summary: PassSummary): string {
  const header = ['source', 'kind', 'fetched', 'relevant', 'noise', 'SNR', 'skipped', 'errors'];
  const rows = summary.sources.map((s) => [
    s.id,
    s.kind,
    String(s.fetched),
    String(s.relevant),
    String(s.noise),
    pct(s.snr),
    String(s.skipped),
    s.stopped ? 'stopped' : String(s.errors.length),
  ]);
  const out = renderTable(header, rows);
  out.push(
    '',
    `stored ${summary.stored} (duplicates ${summary.duplicates}${summary.replied > 0 ? `, ${summary.replied} given the brand's later reply` : ''}) · negative ${summary.negatives} · complaints ${summary.complaints} · memorable ${summary.memorable}`,
    `incidents ${summary.incidents} · alerts ${summary.alerts} · spikes ${summary.spikes} · escalations ${summary.escalations}`,
  );
  for (const source of summary.sources) for (const error of source.errors) out.push(`error ${source.id}: ${error}`);
  // Cut short by Ctrl-C: the stop's doing, not the source's (its cursor and health are left as they were).
  for (const source of summary.sources) if (source.stopped) out.push(`stopped ${source.id}: before its poll finished`);
  for (const source of summary.sources) {
    for (const why of source.rejections ?? []) out.push(`rejected ${source.id}: ${why}`);
  }
  for (const error of summary.alertErrors) out.push(`alert delivery: ${error}`);
  return out.join('\n');
}

/** The `run --json` object: its stable contract fields first. */
export function summaryJson(summary: PassSummary): object {
  return {
    sources: summary.sources.map(
      ({ id, kind, fetched, relevant, noise, skipped, rejected, rejections, errors, snr, stopped }) => ({
        id,
        kind,
        fetched,
        relevant,
        noise,
        skipped,
        rejected,
        ...(rejections ? { rejections } : {}),
        errors,
        snr,
        ...(stopped ? { stopped } : {}),
      }),
    ),
    stored: summary.stored,
    duplicates: summary.duplicates,
    replied: summary.replied,
    flagged: summary.flagged,
    incidents: summary.incidents,
    alerts: summary.alerts,
    negatives: summary.negatives,
    complaints: summary.complaints,
    memorable: summary.memorable,
    spikes: summary.spikes,
    escalations: summary.escalations,
    alertErrors: summary.alertErrors,
    ...(summary.stopped ? { stopped: true } : {}),
  };
}

/** Run passes of the local pipeline on a config; prints each pass's summary. */
export async function runPipeline(
  config: EarshotConfig,
  opts: Omit<RunOptions, 'config'>,
  pipelineOptions: LocalPipelineOptions = {},
): Promise<PassSummary[]> {
  // With --json, stdout carries exactly one JSON object per pass: readable alerts go to stderr, and no bar draws.
  const terminal = opts.json ? undefined : createTerminal(process.stdout);
  // Ctrl-C aborts the requests in flight (the sources' HTTP client shares this signal) and ends the pass early.
  const stopper = new AbortController();
  const pipeline = await openLocalPipeline(config, {
    consoleStream: terminal ? (terminal.out as NodeJS.WritableStream) : process.stderr,
    ...pipelineOptions,
    http: { ...pipelineOptions.http, signal: stopper.signal },
  });
  const now = pipelineOptions.now ?? (() => new Date());
  const summaries: PassSummary[] = [];
  const progress = terminal?.progress;
  const say = (line: string) => terminal?.out.write(`${line}\n`);
  // Notes (pushed mentions, a failed pass) go to stderr; in a terminal, through the writer that keeps them off the bar.
  const log = (line: string) => (progress ? terminal!.out.write(`${line}\n`) : process.stderr.write(`${line}\n`));
  // Ctrl-C stops at once, cleanly: between passes it ends the wait; during a pass, requests in flight are aborted,
  // what was already stored stays stored (a cursor moves only past what was stored), and the store is closed. The
  // handler runs once: a second Ctrl-C ends the process at once.
  let stopping = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopping = true;
    log('stopping… (Ctrl-C again quits at once)');
    stopper.abort();
    wake?.();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, opts.interval);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  // The run owns the store, so it answers the triage routes (on loopback): an alert's printed `earshot triage ack …`
  // finds it through the file beside the store and goes through it, as with `earshot serve`.
  const triage = triageRoutes(config, pipeline, { log });
  const listener =
    opts.listen !== undefined || config.storage !== 'memory'
      ? await startWebhookServer(opts.listen ?? 0, pipeline.deps, log, { ingest: opts.listen !== undefined, triage })
      : undefined;
  if (listener && opts.listen !== undefined) log(`listening for pushed mentions at ${listener.url}/ingest/{sourceId}`);
  const unpublish = listener
    ? publishServer(config, { url: listener.url, tokenRequired: false, command: 'run' })
    : undefined;
  try {
    const passes = opts.once ? 1 : (opts.passes ?? Infinity);
    for (let pass = 1; pass <= passes && !stopping; pass++) {
      say(`${pass > 1 ? '\n' : ''}${passHeader(pass, now())}`);
      let summary: PassSummary | undefined;
      try {
        summary = await runPass({
          ...pipeline.deps,
          signal: stopper.signal,
          onProgress: progress ? (event: ProgressEvent) => progress.update(event) : undefined,
        });
      } catch (error) {
        progress?.stop();
        // One failed pass must not end a long-running `run`: the next pass catches up (nothing is marked done).
        if (passes === 1) throw error;
        log(`pass ${pass} failed: ${(error as Error).message}; trying again in ${Math.round(opts.interval / 1000)} s`);
      }
      progress?.stop();
      if (summary) {
        summaries.push(summary);
        if (opts.json) process.stdout.write(JSON.stringify(summaryJson(summary)) + '\n');
        else {
          say(formatSummary(summary));
          if (summary.stopped) {
            say('\nStopped during the pass: what it stored is kept; the next run goes on from there.');
          } else if (looksOffline(summary)) {
            say(
              '\nNo network: every source failed to connect. Earshot needs internet access to poll real sources.\n' +
                'Try the offline demo instead: npm run demo',
            );
          }
        }
      }
      if (pass < passes && !stopping) {
        say(`\nnext pass at ${formatClock(new Date(now().getTime() + opts.interval))} (Ctrl-C stops)`);
        await pause();
      }
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    progress?.stop();
    unpublish?.();
    await listener?.close();
    await pipeline.close();
  }
  return summaries;
}

/** A finite run whose last pass polled nothing (every source failed) exits 1, after its summary. */
export class AllSourcesFailedError extends EarshotError {
  override readonly name = 'AllSourcesFailedError';
  constructor(count: number) {
    super(`every source failed (${count} of ${count}): see the errors above`, 'upstream_failed', 502);
  }
}

export async function runCommand(opts: RunOptions): Promise<void> {
  if (opts.once && opts.listen !== undefined) throw new Error('--listen keeps running: use it without --once');
  const config = loadConfig(opts.config);
  const missing = missingEnvironment(config);
  if (missing.length > 0) {
    throw new Error(`${opts.config} names credentials that are not set:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
  }
  const weak = weakSecrets(config);
  if (weak.length > 0) {
    throw new Error(`${opts.config} names secrets that are too short:\n${weak.map((m) => `  - ${m}`).join('\n')}`);
  }
  // A busy --listen port is found before the store is opened (or created), with serve's message.
  if (opts.listen !== undefined && opts.listen !== 0) {
    await (require('./serve') as typeof import('./serve')).checkPortFree(opts.listen, '127.0.0.1', '--listen');
  }
  boundHeapForMemoryStore(config);
  const summaries = await runPipeline(config, opts, { configPath: opts.config });
  const last = summaries.at(-1);
  const finite = opts.once === true || opts.passes !== undefined;
  if (finite && last && !last.stopped && everySourceFailed(last)) throw new AllSourcesFailedError(last.sources.length);
}

import type { EarshotConfig } from '../config/schema';
import type { HttpClient } from '../sources/http';
import type { SecretResolver } from '../sources/secrets';
import type { AdapterState } from '../sources/types';
import type { StoredMention } from '../core/mention';
import type { AlertDeps, DeliveryOutcome } from './alert-deps';
import { handleFlaggedMention } from './flagged';
import { sweep } from './sweep';
import { NEGATIVE_COMPOUND } from '../core/analysis/cues';
import { ingestMentions } from './ingest';
import { pollOnce, type SourcePassSummary } from './poll';

/**
 * One pass of the whole pipeline in one process (`earshot run`, `earshot demo`, end-to-end tests): the same
 * functions the Lambdas call, with an in-process hand-off instead of SQS and a direct call instead of the stream.
 */

export interface PassDeps extends AlertDeps {
  /** A local run has the whole config. */
  config: EarshotConfig;
  /** Shared HTTP client; each poll takes its own request budget from it (`forPoll`). */
  http: HttpClient;
  secrets: SecretResolver;
  /** Token caches per source instance, kept across passes of one process. */
  adapterState?: Map<string, AdapterState>;
  onProgress?: (event: ProgressEvent) => void;
  /**
   * `as-polled` (default): a source's flagged mentions are alerted when its own poll is done. `whole-pass`: after
   * every poll, all oldest first, so grouping sees one order every time (the demo's scripted story).
   */
  alertOrder?: 'as-polled' | 'whole-pass';
  /**
   * Aborted when the process stops (Ctrl-C): no further source is polled, the alert in progress finishes and the
   * rest (stored, flagged, not yet grouped) are left to the next pass's sweep, which is skipped now.
   */
  signal?: AbortSignal;
}

export type ProgressEvent =
  | { type: 'source-start'; sourceId: string; index: number; total: number }
  | { type: 'source-done'; summary: SourcePassSummary }
  | { type: 'alerting'; done: number; total: number };

/** The `run --json` summary: its stable contract fields, plus the figures a person wants to see. */
export interface PassSummary {
  sources: (SourcePassSummary & { snr: number | null })[];
  stored: number;
  duplicates: number;
  /** Stored mentions that got the brand's reply after they were stored (by reply updates or duplicates). */
  replied: number;
  flagged: number;
  incidents: number;
  alerts: number;
  negatives: number;
  complaints: number;
  memorable: number;
  spikes: number;
  escalations: number;
  alertErrors: string[];
  /** Ids of the alerts sent in this pass. */
  alertIds: string[];
  /** The pass was cut short by a stop: the sources listed are those it began. */
  stopped?: boolean;
}

function countDeliveries(outcomes: (DeliveryOutcome | null)[], summary: PassSummary, sent: Set<string>): void {
  for (const outcome of outcomes) {
    if (!outcome) continue;
    if (outcome.sent.length > 0 && !sent.has(outcome.alertId)) {
      sent.add(outcome.alertId);
      summary.alerts++;
    }
    for (const failure of outcome.failed)
      summary.alertErrors.push(`${outcome.alertId} → ${failure.sink}: ${failure.error}`);
  }
}

/** Sources polled at once in a local pass. */
const POLL_CONCURRENCY = 4;

/** Run `fn` over `items`, at most `limit` at a time. */
async function eachConcurrently<T>(
  items: T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
  stopped: () => boolean = () => false,
) {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stopped()) {
      const index = next++;
      await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function runPass(deps: PassDeps): Promise<PassSummary> {
  const { config, repo } = deps;
  const summary: PassSummary = {
    sources: [],
    stored: 0,
    duplicates: 0,
    replied: 0,
    flagged: 0,
    incidents: 0,
    alerts: 0,
    negatives: 0,
    complaints: 0,
    memorable: 0,
    spikes: 0,
    escalations: 0,
    alertErrors: [],
    alertIds: [],
  };
  const sources = config.sources.filter((source) => source.enabled);
  const sent = new Set<string>();

  // A source's flagged mentions are alerted as soon as its poll is done, oldest first as a stream would deliver
  // them (so incidents grow in order), while slower sources still poll: one slow source delays no other source's
  // alerts. One source's batch at a time: grouping is serialized per brand anyway, and the bar counts them in order.
  let alerting: Promise<void> = Promise.resolve();
  let alertsDue = 0;
  let alertsDone = 0;
  const held: StoredMention[] = [];
  const alertBatch = (batch: StoredMention[]) => {
    batch.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    alertsDue += batch.length;
    summary.flagged += batch.length;
    alerting = alerting.then(async () => {
      for (const mention of batch) {
        if (deps.signal?.aborted) return;
        deps.onProgress?.({ type: 'alerting', done: alertsDone, total: alertsDue });
        const outcome = await handleFlaggedMention(mention, deps, { fresh: true });
        alertsDone++;
        if (outcome.newIncident) summary.incidents++;
        countDeliveries(outcome.deliveries, summary, sent);
      }
      if (batch.length > 0) deps.onProgress?.({ type: 'alerting', done: alertsDone, total: alertsDue });
    });
    // Awaited after the polls; marked handled now so a failure while sources still poll is not "unhandled".
    alerting.catch(() => undefined);
  };

  // Sources are polled concurrently (bounded), so one slow source delays no other source's mentions.
  const polled: PassSummary['sources'] = [];
  await eachConcurrently(
    sources,
    POLL_CONCURRENCY,
    async (source, index) => {
      deps.onProgress?.({ type: 'source-start', sourceId: source.id, index, total: sources.length });
      const brand = config.brands.find((b) => b.id === source.brand)!;
      const state = deps.adapterState?.get(source.id) ?? new Map();
      deps.adapterState?.set(source.id, state);
      const flagged: StoredMention[] = [];
      const sourceSummary = await pollOnce(source, brand, {
        repo,
        http: deps.http,
        secrets: deps.secrets,
        now: deps.now,
        state,
        signal: deps.signal,
        handOn: async (mentions) => {
          const result = await ingestMentions(mentions, { repo, retentionDays: config.retentionDays, now: deps.now });
          summary.stored += result.stored.length;
          summary.duplicates += result.duplicates;
          summary.replied += result.replied;
          for (const item of result.stored) {
            if (item.analysis.sentiment.compound <= NEGATIVE_COMPOUND) summary.negatives++;
            if (item.analysis.complaint) summary.complaints++;
            if (item.analysis.memorable) summary.memorable++;
          }
          flagged.push(...result.flagged);
        },
      });
      const snr = sourceSummary.fetched > 0 ? sourceSummary.relevant / sourceSummary.fetched : null;
      summary.replied += sourceSummary.replied;
      polled[index] = { ...sourceSummary, snr };
      deps.onProgress?.({ type: 'source-done', summary: sourceSummary });
      if (deps.alertOrder === 'whole-pass') held.push(...flagged);
      else alertBatch(flagged);
    },
    () => deps.signal?.aborted === true,
  );
  summary.sources.push(...polled.filter(Boolean));
  alertBatch(held);
  await alerting;
  if (deps.signal?.aborted) {
    summary.stopped = true;
    summary.alertIds = [...sent];
    return summary;
  }

  // The sweep the escalate Lambda runs on AWS: escalations, flagged mentions an earlier pass stored but never
  // grouped (it stopped in between), spikes, owed updates, digests, failed deliveries.
  const swept = await sweep(deps);
  summary.incidents += swept.newIncidents;
  summary.spikes = swept.spikes.filter((o) => o.sent.length > 0).length;
  summary.escalations = swept.escalations.filter((o) => o.sent.length > 0).length;
  countDeliveries(
    [
      ...swept.caughtUp,
      ...swept.redelivered,
      ...swept.digests,
      ...swept.incidentUpdates,
      ...swept.spikes,
      ...swept.escalations,
    ],
    summary,
    sent,
  );
  summary.alertIds = [...sent];
  return summary;
}

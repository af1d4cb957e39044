/** What the pipeline keeps about each source instance: its cursor, its health and its hourly counters. */

/** Where a source instance has read up to. Never moves backwards. */
export interface SourceCursor {
  sourceId: string;
  /** ISO timestamp of the newest item handed on. */
  watermark: string;
  /** Ids seen at exactly the watermark time (ties are re-fetched with `>=` and deduped by these). */
  seenIds: string[];
  /** Adapter-specific state (e.g. Mastodon min_id, RSS ETag, Bluesky tokens are NOT stored here). */
  extra?: Record<string, string>;
  updatedAt: string;
}

export interface SourceHealth {
  sourceId: string;
  kind: string;
  lastRunAt?: string;
  lastSuccessAt?: string;
  lastErrorAt?: string;
  lastError?: string;
  /** Seconds between the newest item seen and the last successful run. */
  lagSeconds?: number;
  consecutiveFailures: number;
  /** Items rejected as unstorable (invalid, too large) so far, and why the last one was. */
  rejected?: number;
  lastRejection?: string;
  /** What the last successful poll said about the source (e.g. "sample: …"): it reads less than everything. */
  note?: string;
}

/** How one poll went, for the source's health: the newest item it saw, or why it failed. */
export type PollResultForHealth = { ok: true; newestAt?: string } | { ok: false; error: string };

/**
 * The one rule for a source's health after a poll: a success resets the failure count and measures lag (newest
 * item → now); a failure keeps the last success and counts one more consecutive failure.
 */
export function nextHealth(
  previous: SourceHealth | undefined,
  source: { id: string; kind: string },
  now: Date,
  result: PollResultForHealth,
): SourceHealth {
  const base: SourceHealth = {
    consecutiveFailures: 0,
    ...previous,
    sourceId: source.id,
    kind: source.kind,
    lastRunAt: now.toISOString(),
  };
  if (!result.ok) {
    return {
      ...base,
      lastErrorAt: now.toISOString(),
      lastError: result.error,
      consecutiveFailures: base.consecutiveFailures + 1,
    };
  }
  const newestMs = result.newestAt === undefined ? NaN : Date.parse(result.newestAt);
  return {
    ...base,
    lastSuccessAt: now.toISOString(),
    lagSeconds: Number.isNaN(newestMs) ? undefined : Math.max(0, Math.round((now.getTime() - newestMs) / 1000)),
    consecutiveFailures: 0,
  };
}

export const COUNTER_NAMES = ['fetched', 'relevant', 'negative', 'flagged', 'alerted'] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];
export type CounterDeltas = Partial<Record<CounterName, number>>;

/** Hourly counters per brand and source; `hour` is `YYYY-MM-DDTHH` in UTC. */
export interface HourlyCounter extends Record<CounterName, number> {
  brandId: string;
  sourceId: string;
  hour: string;
}

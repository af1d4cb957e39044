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

import type { Analysis, Severity } from '../core/analysis/types';
import type { AlertMessage } from '../core/alerting/format';
import type { Mention } from '../core/mention';

/** The contract between the DynamoDB repository and everything that uses it (handlers, local runner, CLI, tests). */

export const TRIAGE_STATUSES = ['new', 'acknowledged', 'resolved', 'false_positive'] as const;
export type TriageStatus = (typeof TRIAGE_STATUSES)[number];

export interface TriageEvent {
  at: string;
  action: 'created' | 'acknowledged' | 'resolved' | 'false_positive' | 'assigned' | 'noted' | 'reopened';
  by?: string;
  note?: string;
}

export interface TriageState {
  status: TriageStatus;
  assignee?: string;
  note?: string;
  updatedAt: string;
  history: TriageEvent[];
}

/** A mention with its analysis, as stored. `flagged` = complaint that reached the alert threshold (memorable). */
export interface StoredMention extends Mention {
  analysis: Analysis;
  storedAt: string;
  flagged: boolean;
  /** Present on flagged mentions only: they enter the triage queue. */
  triage?: TriageState;
  incidentKey?: string;
}

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

/** Similar flagged mentions of a brand within a window: one alert, then updates as it grows. */
export interface Incident {
  brandId: string;
  key: string;
  title: string;
  /** Representative words of the cluster, used for similarity. */
  signature: string[];
  aspects: string[];
  severity: Severity;
  firstAt: string;
  lastAt: string;
  size: number;
  /** Most recent mention keys (`sourceId#id`), capped. */
  mentionKeys: string[];
  sources: string[];
  /** Sizes at which an alert went out (e.g. [1, 5, 20]). */
  alertedSizes: number[];
  lastAlertAt?: string;
  status: 'open' | 'closed';
  /** Optimistic-locking version. */
  version: number;
}

export type AlertKind = 'mention' | 'incident' | 'spike' | 'escalation' | 'digest';

/** A sent (or to-be-sent) alert; its id is deterministic so a retry cannot send it twice. */
export interface AlertRecord {
  alertId: string;
  brandId: string;
  kind: AlertKind;
  severity: Severity;
  createdAt: string;
  subject: string;
  sourceId?: string;
  mentionKey?: string;
  incidentKey?: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  /** Escalation levels already sent (1, 2, ...), so each level goes out once. */
  escalatedLevels: number[];
  /** Sinks that confirmed delivery; a retry only re-sends to the others. */
  deliveredTo: string[];
  /** Epoch ms until which one deliverer holds the right to send it. */
  leaseUntil?: number;
  /** Set when its decision was re-made after a lost race: never sent. */
  withdrawnAt?: string;
  /** When a delivery attempt last failed for some sink. */
  lastFailureAt?: string;
  /** The formatted message, kept until every sink has it so a later sweep can re-send it unchanged. */
  message?: StoredAlertMessage;
  /** Epoch seconds for DynamoDB TTL. */
  expiresAt: number;
}

/** An alert message as stored with its record, so a later sweep re-sends exactly what was formatted. */
export type StoredAlertMessage = AlertMessage;

/** Alerts held back by a brand's hourly cap, collected into one digest sent after the hour ends. */
export interface DigestRecord {
  brandId: string;
  hour: string;
  items: { alertId: string; severity: Severity; subject: string; url?: string }[];
}

/** Brand-level false-positive feedback comes from triage statuses of stored mentions. */
export interface TriageQuery {
  brandId: string;
  status?: TriageStatus;
  limit?: number;
}

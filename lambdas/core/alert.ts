import type { CueName, Severity } from './analysis/types';
import type { SourceKind } from './mention';

/** Alerts: the record of one alert (deterministic id, delivery state) and the message formatted for the sinks. */

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
  message?: AlertMessage;
  /** Epoch seconds for DynamoDB TTL. */
  expiresAt: number;
}

/** Alerts held back by a brand's hourly cap, collected into one digest sent after the hour ends. */
export interface DigestRecord {
  brandId: string;
  hour: string;
  items: { alertId: string; severity: Severity; subject: string; url?: string }[];
}

// SNS requires subjects "less than 100 characters long".
export const SUBJECT_MAX = 99;
export const EXCERPT_MAX = 500;
/** Alerts listed in one digest message at most. */
export const DIGEST_ITEMS_MAX = 50;
export const MESSAGE_VERSION = 1;

export interface AlertAttributes {
  brand: string;
  severity: string;
  /** Source kind (e.g. `reddit`), or `all` for brand-wide alerts (spikes, digests). */
  source: string;
  kind: AlertKind;
}

/** AWS Chatbot custom notification (https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html). */
export interface ChatbotNotification {
  version: '1.0';
  source: 'custom';
  id?: string;
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps?: string[];
    keywords?: string[];
  };
  metadata?: { threadId?: string; summary?: string; eventType?: string; additionalContext?: Record<string, string> };
}

export interface AlertJson {
  version: number;
  kind: AlertKind;
  alertId: string;
  brand: { id: string; name: string };
  severity: Severity;
  subject: string;
  source: string;
  mention?: {
    sourceId: string;
    id: string;
    kind: SourceKind;
    url?: string;
    author?: string;
    authorReach?: number;
    /** Members of the community it was posted in (a subreddit): the venue's size, not the author's. */
    communitySize?: number;
    createdAt: string;
    excerpt: string;
    memorability: number;
    compound: number;
  };
  why?: { cue: CueName; label: string; strength: number; evidence: string[] }[];
  aspects?: string[];
  cxLevel?: string | null;
  incident?: {
    key: string;
    size: number;
    title: string;
    /** When grouping first and last touched it. */
    firstAt: string;
    lastAt: string;
    /** When its mentions were posted (earliest, latest createdAt); absent on incidents stored before they were kept. */
    firstMentionAt?: string;
    lastMentionAt?: string;
    sources: string[];
  };
  spike?: { hour: string; observed: number; expected: number; threshold: number; baselineHours: number };
  escalation?: { level: number; originalAlertId: string; originalSubject: string; unacknowledgedMinutes?: number };
  digest?: { hour: string; items: DigestItem[] };
  acknowledge?: { cli: string; api: string };
  chatbot: ChatbotNotification;
}

export interface AlertMessage {
  alertId: string;
  kind: AlertKind;
  severity: Severity;
  brandId: string;
  subject: string;
  /** The readable body (Slack mrkdwn-safe plain text). */
  text: string;
  json: AlertJson;
  attributes: AlertAttributes;
}

export interface DigestItem {
  alertId: string;
  severity: Severity;
  subject: string;
  url?: string;
}

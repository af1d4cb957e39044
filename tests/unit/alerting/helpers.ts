import type { Analysis, Cue, Severity } from '../../../lambdas/core/analysis/types';
import { alertsSchema } from '../../../lambdas/config/schema';
import type { AlertRecord } from '../../../lambdas/core/alert';
import type { Incident } from '../../../lambdas/core/incident';
import type { StoredMention } from '../../../lambdas/core/mention';

/** The config defaults, as the loader produces them. */
export const defaultAlerts = alertsSchema().parse({});

export const NOW = new Date('2024-05-01T12:00:00.000Z');

export function minutesAgo(minutes: number, from: Date = NOW): string {
  return new Date(from.getTime() - minutes * 60_000).toISOString();
}

export function analysis(overrides: Partial<Analysis> = {}): Analysis {
  return {
    language: 'en',
    sentiment: { neg: 0.4, neu: 0.6, pos: 0, compound: -0.8 },
    polarity: 'negative',
    complaint: true,
    memorable: true,
    memorability: 0.8,
    severity: 'high',
    cues: [],
    aspects: ['service'],
    cxLevel: 'success',
    ...overrides,
  };
}

let counter = 0;

export function mention(
  text: string,
  overrides: Partial<Omit<StoredMention, 'analysis'>> & {
    analysis?: Partial<Analysis>;
    severity?: Severity;
    cues?: Cue[];
  } = {},
): StoredMention {
  const { analysis: analysisOverrides, severity, cues, ...rest } = overrides;
  counter += 1;
  return {
    id: `m${counter}`,
    sourceId: 'acme-reddit',
    kind: 'reddit',
    brandId: 'acme',
    text,
    createdAt: NOW.toISOString(),
    storedAt: NOW.toISOString(),
    flagged: true,
    ...rest,
    analysis: analysis({ ...analysisOverrides, ...(severity ? { severity } : {}), ...(cues ? { cues } : {}) }),
  };
}

export function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    brandId: 'acme',
    key: 'inc-0000000000000001',
    title: 'Lost baggage on AC123',
    signature: ['lost', 'baggag', 'ac123'],
    aspects: ['service'],
    severity: 'high',
    firstAt: minutesAgo(60),
    lastAt: minutesAgo(10),
    size: 1,
    mentionKeys: ['acme-reddit#first'],
    sources: ['acme-reddit'],
    alertedSizes: [],
    status: 'open',
    version: 3,
    ...overrides,
  };
}

export function alertRecord(overrides: Partial<AlertRecord> = {}): AlertRecord {
  return {
    alertId: 'mention#acme-reddit#t3_abc',
    brandId: 'acme',
    kind: 'mention',
    severity: 'high',
    createdAt: minutesAgo(0),
    subject: '[HIGH] Acme · Reddit · "lost my bag"',
    sourceId: 'acme-reddit',
    mentionKey: 'acme-reddit#t3_abc',
    escalatedLevels: [],
    deliveredTo: ['console'],
    expiresAt: Math.floor(NOW.getTime() / 1000) + 86_400,
    ...overrides,
  };
}

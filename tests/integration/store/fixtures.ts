import type { CueName, Severity } from '../../../lambdas/core/analysis/types';
import type { AlertRecord } from '../../../lambdas/core/alert';
import type { StoredMention } from '../../../lambdas/core/mention';

/** A stored mention with a plausible analysis; override what the test is about. */
export function storedMention(
  overrides: Partial<StoredMention> & { id: string; severity?: Severity; cues?: CueName[] },
): StoredMention {
  const { severity = 'high', cues = ['negativity', 'effort'], ...rest } = overrides;
  return {
    sourceId: 'acme-hn',
    kind: 'hackernews',
    brandId: 'acme',
    text: 'I paid for premium and waited 3 weeks for my refund from Acme. Nobody replied.',
    createdAt: '2024-05-01T10:00:00Z',
    url: `https://news.example/item?id=${overrides.id}`,
    author: 'pat',
    storedAt: '2024-05-01T10:05:00.000Z',
    flagged: true,
    analysis: {
      language: 'en',
      sentiment: { neg: 0.3, neu: 0.7, pos: 0, compound: -0.6 },
      polarity: 'negative',
      complaint: true,
      memorable: true,
      memorability: 0.72,
      severity,
      cues: cues.map((name) => ({ name, strength: 0.6, evidence: ['waited 3 weeks'] })),
      aspects: ['time', 'service'],
      cxLevel: 'effort',
    },
    ...rest,
  };
}

export function alertRecord(overrides: Partial<AlertRecord> & { alertId: string }): AlertRecord {
  return {
    brandId: 'acme',
    kind: 'mention',
    severity: 'high',
    createdAt: '2024-05-01T10:06:00.000Z',
    subject: '[HIGH] Acme · Hacker News · "waited 3 weeks for my refund…"',
    escalatedLevels: [],
    deliveredTo: [],
    expiresAt: Math.floor(Date.parse('2024-06-01T00:00:00Z') / 1000),
    ...overrides,
  };
}

import { analyze } from '../core/analysis/analyze';
import type { Mention } from '../core/mention';
import type { Repository } from '../store/repository';
import type { StoredMention } from '../core/mention';
import { hourOf } from '../core/alerting/common';

/** Compound at or below this counts as a negative mention (VADER's own convention). */
export const NEGATIVE_COMPOUND = -0.05;

export interface IngestDeps {
  repo: Repository;
  retentionDays: number;
  now: () => Date;
}

export interface IngestResult {
  stored: StoredMention[];
  duplicates: number;
  flagged: StoredMention[];
}

/** Analyse one mention into the item we store. Pure. */
export function toStoredMention(mention: Mention, now: Date): StoredMention {
  const analysis = analyze({
    text: mention.text,
    title: mention.title,
    lang: mention.language,
    rating: mention.rating,
    authorReach: mention.authorReach,
    engagement: mention.engagement,
  });
  const storedAt = now.toISOString();
  const flagged = analysis.memorable;
  return {
    ...mention,
    analysis,
    storedAt,
    flagged,
    ...(flagged
      ? { triage: { status: 'new', updatedAt: storedAt, history: [{ at: storedAt, action: 'created' }] } }
      : {}),
  };
}

/**
 * Analyse and store mentions once each. A redelivered mention is a `duplicate`: not stored again, not counted
 * again, not flagged again — so a retried batch can never produce a second alert.
 */
export async function ingestMentions(mentions: Mention[], deps: IngestDeps): Promise<IngestResult> {
  const result: IngestResult = { stored: [], duplicates: 0, flagged: [] };
  for (const mention of mentions) {
    const now = deps.now();
    const item = toStoredMention(mention, now);
    const outcome = await deps.repo.mentions.put(item, deps.retentionDays);
    if (outcome === 'duplicate') {
      result.duplicates++;
      continue;
    }
    result.stored.push(item);
    if (item.flagged) result.flagged.push(item);
    const negative = item.analysis.sentiment.compound <= NEGATIVE_COMPOUND ? 1 : 0;
    await deps.repo.counters.add(item.brandId, item.sourceId, hourOf(now), {
      negative,
      flagged: item.flagged ? 1 : 0,
    });
  }
  return result;
}

import { analyze } from '../core/analysis/analyze';
import { NEGATIVE_COMPOUND } from '../core/analysis/cues';
import type { Mention } from '../core/mention';
import type { Repository } from '../store/repository';
import type { StoredMention } from '../core/mention';
import { hourOf } from '../core/alerting/common';
import { toStorable } from '../core/storable';

export interface IngestDeps {
  repo: Repository;
  retentionDays: number;
  now: () => Date;
}

export interface IngestResult {
  stored: StoredMention[];
  duplicates: number;
  flagged: StoredMention[];
  /** Mentions the store cannot hold (invalid, oversize), with why: passed by, never retried. */
  rejected: { id: string; reason: string }[];
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
  const result: IngestResult = { stored: [], duplicates: 0, flagged: [], rejected: [] };
  for (const raw of mentions) {
    const storable = toStorable(raw);
    if (!storable.ok) {
      result.rejected.push({ id: storable.id, reason: storable.reason });
      continue;
    }
    const now = deps.now();
    const item = toStoredMention(storable.mention, now);
    let outcome: 'created' | 'duplicate';
    try {
      outcome = await deps.repo.mentions.put(item, deps.retentionDays);
    } catch (err) {
      // The store's own refusal of this item (size, key length): retrying cannot help.
      if ((err as { name?: string }).name !== 'ValidationException') throw err;
      result.rejected.push({ id: item.id, reason: `store refused the item: ${(err as Error).message}` });
      continue;
    }
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

import { analyze } from '../core/analysis/analyze';
import type { Mention } from '../core/mention';
import type { Repository } from '../store/repository';
import type { StoredMention } from '../core/mention';
import type { CounterDeltas } from '../core/source-state';
import { hourOf } from '../core/alerting/common';
import { NEGATIVE_COMPOUND } from '../core/analysis/cues';
import { toStorable } from '../core/storable';
import { mapBounded } from './map-bounded';

/** Writes of one batch in flight at once: enough to hide round trips, few enough to stay polite to the table. */
const WRITE_CONCURRENCY = 16;

export interface IngestDeps {
  repo: Repository;
  retentionDays: number;
  now: () => Date;
}

export interface IngestResult {
  stored: StoredMention[];
  duplicates: number;
  /** Duplicates that brought the brand's reply the stored mention lacked: it was set on it (nothing else changes). */
  replied: number;
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
 * again, not flagged again — so a retried batch can never produce a second alert. A duplicate that carries the
 * brand's reply (a review read again because the reply bumped its time) sets it on the stored mention. Stores run concurrently (within
 * a bound); the hourly counters are summed per brand, source and hour and written once per batch.
 */
export async function ingestMentions(mentions: Mention[], deps: IngestDeps): Promise<IngestResult> {
  const result: IngestResult = { stored: [], duplicates: 0, replied: 0, flagged: [], rejected: [] };
  const items: StoredMention[] = [];
  for (const raw of mentions) {
    const storable = toStorable(raw);
    if (storable.ok) items.push(toStoredMention(storable.mention, deps.now()));
    else result.rejected.push({ id: storable.id, reason: storable.reason });
  }
  // A failed write fails the call, but only after the others are counted: a retry sees them as duplicates.
  let failure: { error: unknown } | undefined;
  const outcomes = await mapBounded(items, WRITE_CONCURRENCY, (item) =>
    deps.repo.mentions
      .put(item, deps.retentionDays)
      .then(async (outcome) => {
        if (outcome === 'duplicate' && item.reply) {
          if (await deps.repo.mentions.setReply(item.sourceId, item.id, item.reply)) result.replied++;
        }
        return outcome;
      })
      .catch((error: unknown) => {
        // The store's own refusal of this item (size, key length): retrying cannot help, so it is passed by.
        if ((error as { name?: string }).name === 'ValidationException') {
          result.rejected.push({ id: item.id, reason: `store refused the item: ${(error as Error).message}` });
          return 'rejected' as const;
        }
        failure ??= { error };
        return 'failed' as const;
      }),
  );
  const sums = new Map<string, { brandId: string; sourceId: string; hour: string; deltas: CounterDeltas }>();
  for (const [i, item] of items.entries()) {
    if (outcomes[i] === 'failed' || outcomes[i] === 'rejected') continue;
    if (outcomes[i] === 'duplicate') {
      result.duplicates++;
      continue;
    }
    result.stored.push(item);
    if (item.flagged) result.flagged.push(item);
    const hour = hourOf(item.storedAt);
    const key = `${item.brandId}\u0000${item.sourceId}\u0000${hour}`;
    let sum = sums.get(key);
    if (!sum)
      sums.set(
        key,
        (sum = { brandId: item.brandId, sourceId: item.sourceId, hour, deltas: { negative: 0, flagged: 0 } }),
      );
    sum.deltas.negative! += item.analysis.sentiment.compound <= NEGATIVE_COMPOUND ? 1 : 0;
    sum.deltas.flagged! += item.flagged ? 1 : 0;
  }
  await mapBounded([...sums.values()], WRITE_CONCURRENCY, (s) =>
    deps.repo.counters.add(s.brandId, s.sourceId, s.hour, s.deltas),
  );
  if (failure) throw failure.error;
  return result;
}

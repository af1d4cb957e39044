import type { BrandConfig, SourceConfig } from '../config/schema';
import { nextHealth, type SourceHealth } from '../core/source-state';
import type { Mention } from '../core/mention';
import type { HttpClient } from '../sources/http';
import { pollSource } from '../sources/registry';
import type { SecretResolver } from '../sources/secrets';
import type { AdapterState } from '../sources/types';
import type { Repository } from '../store/repository';
import { hourOf } from '../core/alerting/common';
import { toStorable } from '../core/storable';
import { mapBounded } from './map-bounded';

/** Reply updates of one poll in flight at once. */
const REPLY_CONCURRENCY = 8;

export interface PollDeps {
  repo: Repository;
  http: HttpClient;
  secrets: SecretResolver;
  now: () => Date;
  /** Token caches of the adapter, kept across polls of one process. */
  state?: AdapterState;
  /** Hands the mentions on (SQS on AWS, the in-memory queue locally); the cursor moves only after it resolves. */
  handOn: (mentions: Mention[]) => Promise<void>;
  /** Told the source's health before and after this poll, once it is saved (the poll Lambda's failure metric). */
  onHealth?: (previous: SourceHealth | undefined, next: SourceHealth) => void;
  /** The process is stopping (Ctrl-C): a poll it cut short is not a failure of the source. */
  signal?: AbortSignal;
}

/** One source's line in the run summary (`run --json`'s `sources`; README "Configuration"). */
export interface SourcePassSummary {
  id: string;
  kind: string;
  fetched: number;
  relevant: number;
  noise: number;
  skipped: number;
  /** Items that cannot be stored (invalid, too large): passed by so they never block the source. */
  rejected: number;
  /** Why, for the first few rejected items. */
  rejections?: string[];
  /** Stored mentions that got the brand's reply, which came after they were handed on. */
  replied: number;
  errors: string[];
  /** Cut short by the process stopping (Ctrl-C) before its poll finished: not an error of the source. */
  stopped?: true;
}

/**
 * Poll one source instance: cursor → adapter → hand on → advance cursor → health and counters.
 * Never throws for a source failure: it is reported in `errors` and the cursor stays where it was.
 */
export async function pollOnce(source: SourceConfig, brand: BrandConfig, deps: PollDeps): Promise<SourcePassSummary> {
  const now = deps.now();
  const cursor = (await deps.repo.sources.getCursor(source.id)) ?? null;
  const previousHealth = await deps.repo.sources.getHealth(source.id);
  const result = await pollSource(
    { source, brand, cursor, now, http: deps.http, secrets: deps.secrets, state: deps.state },
    previousHealth,
  );
  // A poll the stop cut short fetched nothing to keep: its cursor, health and counters stay as they were.
  if (deps.signal?.aborted && result.mentions.length === 0 && result.errors.length > 0) {
    return { ...emptySummary(source), stopped: true };
  }
  const errors = [...result.errors];
  const { storable, rejections } = quarantine(result.mentions);
  let handedOn = true;
  if (storable.length > 0) {
    try {
      await deps.handOn(storable);
    } catch (error) {
      handedOn = false;
      errors.push(`could not hand mentions on: ${(error as Error).message}`);
    }
  }
  // Replies to mentions handed on before: set on the stored ones before the cursor moves past them (a failed write
  // holds the cursor, and the next poll writes them again; a reply already stored is not written twice).
  let replied = 0;
  if (handedOn && result.replies?.length) {
    try {
      const written = await mapBounded(result.replies, REPLY_CONCURRENCY, (update) =>
        deps.repo.mentions.setReply(source.id, update.id, update.reply),
      );
      replied = written.filter(Boolean).length;
    } catch (error) {
      handedOn = false;
      errors.push(`could not store replies: ${(error as Error).message}`);
    }
  }
  // A failed poll returns the old cursor: saving it would only create a cursor the source never reached.
  const failed = result.errors.length > 0 && result.mentions.length === 0;
  if (handedOn && !failed) await deps.repo.sources.advanceCursor(result.nextCursor);
  // Mentions fetched but not handed on are a failed poll, whatever the source said.
  const health = handedOn
    ? result.health
    : nextHealth(previousHealth, source, now, { ok: false, error: errors[errors.length - 1] });
  if (rejections.length > 0) {
    health.rejected = (previousHealth?.rejected ?? 0) + rejections.length;
    health.lastRejection = rejections[rejections.length - 1];
  }
  await deps.repo.sources.putHealth(health);
  deps.onHealth?.(previousHealth, health);
  if (handedOn && result.fetched > 0) {
    await deps.repo.counters.add(brand.id, source.id, hourOf(now), {
      fetched: result.fetched,
      relevant: result.relevant,
    });
  }
  return {
    id: source.id,
    kind: source.kind,
    fetched: result.fetched,
    relevant: result.relevant,
    noise: result.noise,
    skipped: result.skipped,
    rejected: rejections.length,
    ...(rejections.length > 0 ? { rejections: rejections.slice(0, 5) } : {}),
    replied,
    errors,
  };
}

function emptySummary(source: SourceConfig): SourcePassSummary {
  return {
    id: source.id,
    kind: source.kind,
    fetched: 0,
    relevant: 0,
    noise: 0,
    skipped: 0,
    rejected: 0,
    replied: 0,
    errors: [],
  };
}

/** Split a poll's mentions into those the store can hold and reasons for the rest (logged, counted, passed by). */
function quarantine(mentions: Mention[]): { storable: Mention[]; rejections: string[] } {
  const storable: Mention[] = [];
  const rejections: string[] = [];
  for (const mention of mentions) {
    const outcome = toStorable(mention);
    if (outcome.ok) storable.push(outcome.mention);
    else rejections.push(`${outcome.id.slice(0, 80)}: ${outcome.reason}`);
  }
  return { storable, rejections };
}

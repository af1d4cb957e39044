import type { BrandConfig, SourceConfig } from '../config/schema';
import type { BrandReply, Mention, SourceKind } from '../core/mention';
import type { SourceCursor, SourceHealth } from '../core/source-state';
import type { HttpClient } from './http';
import type { SecretResolver } from './secrets';

/**
 * State an adapter keeps between polls in the same process (a warm Lambda, a local run): OAuth and session
 * tokens, resolved ids. Never persisted in the cursor, so tokens never reach the table.
 */
export type AdapterState = Map<string, unknown>;

export interface PollContext {
  source: SourceConfig;
  brand: BrandConfig;
  /** Where the last successful poll left off; null on the first poll. */
  cursor: SourceCursor | null;
  now: Date;
  http: HttpClient;
  secrets: SecretResolver;
  state?: AdapterState;
}

/**
 * What a poll found. The caller hands `mentions` on (queue) and only then saves `nextCursor`, so the cursor can
 * never pass an item that was not handed on. On failure `errors` is non-empty and `nextCursor` equals the old one.
 */
export interface PollResult {
  mentions: Mention[];
  nextCursor: SourceCursor;
  /** Items read from the source (new ones, after cursor dedupe). */
  fetched: number;
  /** Items about the brand (handed on). */
  relevant: number;
  /** Items the source returned that do not mention the brand (over-matching). */
  noise: number;
  /** Malformed or deleted items skipped. */
  skipped: number;
  /**
   * Replies the source shows under items handed on by earlier polls, new or changed since: the caller sets them on
   * the stored mentions (never creating one), before it saves `nextCursor`.
   */
  replies?: ReplyUpdate[];
  errors: string[];
  /** What health should say about the source beyond ok/failing (e.g. that it is only a sample). */
  note?: string;
}

/** The brand's reply to an item of this source (`id`) that was handed on without it. */
export interface ReplyUpdate {
  id: string;
  reply: BrandReply;
}

export interface SourceAdapter {
  kind: SourceKind;
  /** For a person: what the source requires (credentials, approvals, caveats). */
  needs: string;
  poll(ctx: PollContext): Promise<PollResult>;
}

/** pollSource's answer: the poll result plus the source's updated health record. */
export interface PollOutcome extends PollResult {
  health: SourceHealth;
}

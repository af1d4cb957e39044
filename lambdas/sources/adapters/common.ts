import type * as z from 'zod/mini';
import type { BrandConfig, SourceConfig } from '../../config/schema';
import type { BrandReply, Mention } from '../../core/mention';
import { EarshotError } from '../../core/errors';
import { CursorWindow } from '../cursor';
import { HttpError } from '../http';
import { isRelevant } from '../match';
import { secretRef } from '../secrets';
import type { PollContext, PollResult } from '../types';

/**
 * A source that cannot work until a person changes something (a revoked or expired token, a missing permission):
 * health shows it as a config error and the poll does not retry it in a loop.
 */
export class SourceConfigError extends EarshotError {
  override readonly name = 'SourceConfigError';
  constructor(message: string) {
    super(message, 'source_config', 502);
  }
}

/** Mention fields every adapter fills the same way. */
export type MentionDraft = Omit<Mention, 'sourceId' | 'kind' | 'brandId'>;

/**
 * Collects one poll's items: dedupes against the cursor, re-checks brand relevance locally, counts noise and
 * skipped items, and tracks what was handed on so the next cursor never passes an item that was not.
 */
export class PollCollector {
  readonly mentions: Mention[] = [];
  /** Replies that came after their item was handed on (new or changed), by item id: the stored mention gets them. */
  private readonly replies = new Map<string, BrandReply>();
  fetched = 0;
  relevant = 0;
  noise = 0;
  skipped = 0;
  readonly window: CursorWindow;
  private readonly seenThisPoll = new Set<string>();
  private complete = true;
  private resumeMs?: number;
  /** New items left this poll may take (`maxItemsPerPoll`): one huge page must not stall the pass. */
  private room: number;
  /** New items left for the next poll because the cap was reached. */
  deferred = 0;

  /**
   * `byTime: false` is for sources paged by id (Mastodon `min_id`): the adapter decides what is new and the
   * collector only dedupes within the poll.
   */
  constructor(
    private readonly ctx: PollContext,
    private readonly byTime = true,
  ) {
    const { source, cursor, now } = ctx;
    this.window = new CursorWindow(cursor, source.id, now, source.lookbackHours);
    this.room = source.maxItemsPerPoll ?? Number.POSITIVE_INFINITY;
  }

  private claim(id: string, createdAtMs: number): boolean {
    if (this.room <= 0) {
      // Not taken, not marked done: the cursor holds below it and the next poll takes it.
      if (this.byTime ? this.window.isNew(id, createdAtMs) : !this.seenThisPoll.has(id)) {
        this.deferred++;
        this.stoppedEarly(undefined);
      }
      return false;
    }
    const claimed = this.claimNew(id, createdAtMs);
    if (claimed) this.room--;
    return claimed;
  }

  private claimNew(id: string, createdAtMs: number): boolean {
    if (!this.byTime) {
      if (this.seenThisPoll.has(id)) return false;
      this.seenThisPoll.add(id);
      return true;
    }
    if (!this.window.isNew(id, createdAtMs)) return false;
    this.window.take(id, createdAtMs);
    return true;
  }

  /** Validate one item; a malformed item is skipped and counted, never fatal. */
  parseItem<S extends z.ZodMiniType>(schema: S, raw: unknown): z.infer<S> | undefined {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    this.skipped++;
    this.fetched++;
    return undefined;
  }

  /** A deleted or removed item: counted as skipped and marked done so the cursor can pass it. */
  drop(id: string, createdAtMs: number): void {
    if (!this.claim(id, createdAtMs)) return;
    this.fetched++;
    this.skipped++;
  }

  /**
   * Offer a normalized item. Items already handed on are ignored; new ones count as fetched and are handed on when
   * relevant (`matchText` defaults to title + text). Returns true when the item was new.
   */
  offer(draft: MentionDraft, options: { matchText?: string; relevant?: boolean } = {}): boolean {
    const createdAtMs = Date.parse(draft.createdAt);
    if (Number.isNaN(createdAtMs)) {
      this.fetched++;
      this.skipped++;
      return false;
    }
    if (!this.claim(draft.id, createdAtMs)) {
      // Handed on before (not merely deferred by the cap): only a reply it did not have then goes on.
      if (this.byTime && !this.window.isNew(draft.id, createdAtMs)) this.reply(draft.id, draft.reply);
      return false;
    }
    this.fetched++;
    if (this.byTime && draft.reply) this.window.noteReply(draft.id, draft.reply);
    const { source, brand } = this.ctx;
    const matchText = options.matchText ?? [draft.title, draft.text].filter(Boolean).join('\n');
    if (options.relevant ?? isRelevant(source, brand, matchText)) {
      this.relevant++;
      this.mentions.push(toMention(draft, source, brand));
    } else {
      this.noise++;
    }
    return true;
  }

  /**
   * The brand's reply under an item handed on by an earlier poll (an item below the watermark on a page read anyway,
   * a comment answered later): handed on once if the cursor has not handed this reply on before. Only an update of
   * a stored mention: it never creates one.
   */
  reply(id: string, reply: BrandReply | undefined): void {
    if (!this.window.isNewReply(id, reply)) return;
    this.replies.set(id, reply);
    this.window.noteReply(id, reply);
  }

  /**
   * One query's paging stopped before it reached the watermark (page cap, request budget): the watermark must hold,
   * and the next poll resumes below the oldest item fetched.
   */
  stoppedEarly(oldestFetchedMs: number | undefined): void {
    this.complete = false;
    if (oldestFetchedMs !== undefined) this.resumeMs = Math.max(this.resumeMs ?? oldestFetchedMs, oldestFetchedMs);
  }

  /**
   * One query's paging, the same for every paged source. `fetchPage(page, seen)` fetches one page, offers its items,
   * calls `seen` with each item's time and returns true when the query reached its end (an empty or last page, or
   * items older than the watermark). Pages are numbered from `first`; a query still going after `maxPages` pages
   * holds the watermark, and the next poll resumes below the oldest item seen.
   */
  async paginate(
    maxPages: number,
    fetchPage: (page: number, seen: (createdAtMs: number) => void) => Promise<boolean>,
    first = 0,
  ): Promise<void> {
    let oldestMs: number | undefined;
    const seen = (createdAtMs: number) => {
      if (!Number.isNaN(createdAtMs)) oldestMs = Math.min(oldestMs ?? createdAtMs, createdAtMs);
    };
    for (let page = first; page < first + maxPages; page++) {
      if (await fetchPage(page, seen)) return;
    }
    this.stoppedEarly(oldestMs);
  }

  /** The poll's result with the cursor it earned. */
  finish(extra?: Record<string, string>): PollResult {
    return this.result(this.window.next({ complete: this.complete, oldestFetchedMs: this.resumeMs, extra }));
  }

  result(nextCursor = this.window.unchanged(), errors: string[] = []): PollResult {
    return {
      mentions: this.mentions,
      nextCursor,
      fetched: this.fetched,
      relevant: this.relevant,
      noise: this.noise,
      skipped: this.skipped,
      ...(this.replies.size > 0 ? { replies: [...this.replies].map(([id, reply]) => ({ id, reply })) } : {}),
      errors,
    };
  }
}

function toMention(draft: MentionDraft, source: SourceConfig, brand: BrandConfig): Mention {
  const mention: Mention = {
    ...draft,
    sourceId: source.id,
    kind: source.kind,
    brandId: brand.id,
    visibility: draft.visibility ?? 'public',
  };
  mention.createdAt = new Date(draft.createdAt).toISOString();
  if (mention.language) mention.language = mention.language.toLowerCase().split(/[-_]/)[0];
  if (mention.engagement && Object.values(mention.engagement).every((v) => v === undefined)) delete mention.engagement;
  for (const key of Object.keys(mention) as (keyof Mention)[]) if (mention[key] === undefined) delete mention[key];
  return mention;
}

/** Validate a whole page; a malformed page fails the poll (the cursor stays where it was). */
export function parsePage<S extends z.ZodMiniType>(schema: S, body: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`unexpected response shape from ${what}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/** Resolve a credential option pair (`<name>Env` / `<name>Secret`) and register it for redaction. */
export async function requireSecret(ctx: PollContext, name: string): Promise<string> {
  const ref = secretRef(ctx.source, name);
  if (!ref) {
    throw new Error(`source ${ctx.source.id} (${ctx.source.kind}) needs ${name}Env (local) or ${name}Secret (AWS)`);
  }
  const value = await ctx.secrets.resolve(ref);
  ctx.http.addSecret(value);
  return value;
}

/** Per-process state for an adapter (tokens), keyed so two sources never share a token by accident. */
export function stateFor<T>(ctx: PollContext, key: string): { get(): T | undefined; set(value: T | undefined): void } {
  const state = ctx.state ?? fallbackState;
  const fullKey = `${ctx.source.kind}:${ctx.source.id}:${key}`;
  return {
    get: () => state.get(fullKey) as T | undefined,
    set: (value) => (value === undefined ? state.delete(fullKey) : state.set(fullKey, value)),
  };
}
const fallbackState = new Map<string, unknown>();

/**
 * Search terms for sources that take a query: the configured `query`, else the brand keywords minus those that
 * contain another keyword's words (searching "acme" already finds "acme air").
 */
export function searchTerms(source: { query?: string }, brand: BrandConfig): string[] {
  if (source.query) return [source.query];
  const words = brand.keywords.map((k) => k.toLowerCase().split(/\s+/).filter(Boolean));
  const terms = brand.keywords.filter(
    (_, i) =>
      !words.some((other, j) => j !== i && other.length < words[i].length && other.every((w) => words[i].includes(w))),
  );
  return [...new Set(terms.map((t) => t.trim()))];
}

/** Quote a multi-word term for search engines that support phrase queries. */
export function quoteTerm(term: string): string {
  return /\s/.test(term) && !term.startsWith('"') ? `"${term}"` : term;
}

/** A finite number or undefined (sources send null, strings, floats). */
export function num(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

export function isHttpStatus(error: unknown, ...statuses: number[]): error is HttpError {
  return error instanceof HttpError && error.status !== undefined && statuses.includes(error.status);
}

/** The `error` field of an XRPC/OAuth-style JSON error body, if any. */
export function errorName(error: HttpError): string | undefined {
  try {
    const body = JSON.parse(error.body ?? '') as { error?: unknown };
    return typeof body.error === 'string' ? body.error : undefined;
  } catch {
    return undefined;
  }
}

/** Whether an optional credential is configured at all. */
export function secretOptional(source: { id: string } & object, name: string): boolean {
  return secretRef(source, name) !== undefined;
}

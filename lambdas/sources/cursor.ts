import { createHash } from 'node:crypto';
import type { BrandReply } from '../core/mention';
import type { SourceCursor } from '../core/source-state';

/**
 * Incremental reading with a time watermark, shared by the newest-first adapters.
 *
 * An item is new when it is newer than the watermark, or at exactly the watermark and not among `seenIds`
 * (sources are re-queried with `>=` so same-second items are not lost). When a poll stops before it has paged down
 * to the watermark (page cap, request budget), the watermark does NOT move: the items between it and the oldest
 * item fetched have not been handed on yet. Instead the cursor remembers, in `extra`, the newest item handed on
 * (`pendingWatermark`) and where to resume (`resumeBefore`); the next poll reads that gap first, and only when it
 * reaches the watermark does the watermark jump to the pending one.
 *
 * Sources publish late (a feed adds an item dated minutes ago, a review list shows it below newer ones), so an item
 * up to REREAD_OVERLAP older than the watermark that turns up on a page a poll reads anyway is still new, unless it
 * was handed on before: the ids handed on in that span are kept (`extra.recent`). The overlap never makes a poll
 * page further or query earlier: paging still stops at the watermark, so busy sources do not fall behind.
 *
 * The brand's reply under an item often comes after the item was handed on. The cursor remembers a short hash of
 * the reply handed on for each item that had one (`extra.replies`), so an item read again (in the overlap, on a page
 * read anyway, or its reply bumped its time) carries its reply on once when it is new or changed, and never again.
 */
export const REREAD_OVERLAP_MS = 30 * 60_000;
/** At most this many recent ids are kept in the cursor (the newest). */
const MAX_RECENT_IDS = 1000;
/** At most this many replies are remembered (the latest handed on). */
const MAX_REPLIES = 500;

/** A short hash of a reply's text and time: what the cursor remembers of it. */
function replyHash(reply: BrandReply): string {
  return createHash('sha256')
    .update(`${reply.text}\u0000${reply.createdAt ?? ''}`)
    .digest('base64url')
    .slice(0, 12);
}

export class CursorWindow {
  /** Items older than this were handed on by earlier polls. */
  readonly watermarkMs: number;
  /** Set while backfilling a gap: items newer than this were handed on already. */
  readonly resumeBeforeMs?: number;
  /** The oldest time an item on a page read anyway may have and still be new (watermark less the overlap). */
  readonly sinceMs: number;
  private readonly seen: Set<string>;
  /** Ids handed on recently, with their times: the re-read overlap is deduplicated against these. */
  private readonly recent: Map<string, number>;
  private readonly taken = new Map<string, number>();
  private pendingMs?: number;
  private pendingIds: Set<string>;
  private newestMs = -Infinity;
  private newestIds = new Set<string>();
  /** Hashes of the replies handed on, by item id, oldest first (this poll's notes move to the end). */
  private readonly replies: Map<string, string>;

  constructor(
    private readonly previous: SourceCursor | null,
    private readonly sourceId: string,
    private readonly now: Date,
    lookbackHours: number,
  ) {
    this.watermarkMs = previous ? Date.parse(previous.watermark) : now.getTime() - lookbackHours * 3_600_000;
    this.seen = new Set(previous?.seenIds ?? []);
    const extra = previous?.extra ?? {};
    this.sinceMs = previous ? this.watermarkMs - REREAD_OVERLAP_MS : this.watermarkMs;
    this.recent = new Map(extra.recent ? (JSON.parse(extra.recent) as [string, number][]) : []);
    this.resumeBeforeMs = extra.resumeBefore ? Date.parse(extra.resumeBefore) : undefined;
    this.pendingMs = extra.pendingWatermark ? Date.parse(extra.pendingWatermark) : undefined;
    this.pendingIds = new Set(extra.pendingSeenIds ? (JSON.parse(extra.pendingSeenIds) as string[]) : []);
    this.replies = new Map(extra.replies ? (JSON.parse(extra.replies) as [string, string][]) : []);
  }

  get watermark(): Date {
    return new Date(this.watermarkMs);
  }

  /** The watermark, for `since`-style query parameters. */
  get sinceIso(): string {
    return new Date(this.watermarkMs).toISOString();
  }

  /** True once paging has reached items older than the watermark: no need to read further pages. */
  isOlderThanWatermark(createdAtMs: number): boolean {
    return createdAtMs < this.watermarkMs;
  }

  /** Whether an item has not been handed on before (and not already in this poll). */
  isNew(id: string, createdAtMs: number): boolean {
    if (Number.isNaN(createdAtMs) || this.taken.has(id)) return false;
    if (createdAtMs < this.sinceMs || this.recent.has(id)) return false;
    if (createdAtMs === this.watermarkMs && this.seen.has(id)) return false;
    if (this.resumeBeforeMs !== undefined && createdAtMs > this.resumeBeforeMs) return false;
    return true;
  }

  /** Record an item as handed on (call for every new item, relevant or noise: both are done with). */
  take(id: string, createdAtMs: number): void {
    this.taken.set(id, createdAtMs);
    if (createdAtMs > this.newestMs) {
      this.newestMs = createdAtMs;
      this.newestIds = new Set([id]);
    } else if (createdAtMs === this.newestMs) {
      this.newestIds.add(id);
    }
  }

  /** Whether `reply` differs from the reply last handed on with item `id` (none: any reply is new). */
  isNewReply(id: string, reply: BrandReply | undefined): reply is BrandReply {
    return reply !== undefined && this.replies.get(id) !== replyHash(reply);
  }

  /** Remember the reply handed on with item `id` (with the item itself, or on its own). */
  noteReply(id: string, reply: BrandReply): void {
    this.replies.delete(id);
    this.replies.set(id, replyHash(reply));
  }

  /** The cursor unchanged (a failed poll). */
  unchanged(): SourceCursor {
    return (
      this.previous ?? {
        sourceId: this.sourceId,
        watermark: new Date(this.watermarkMs).toISOString(),
        seenIds: [],
        updatedAt: this.now.toISOString(),
      }
    );
  }

  /**
   * The next cursor. `complete` = paging reached the watermark (or the source had no more pages).
   * `resumeBeforeMs` = the oldest timestamp fetched, when incomplete, for sources that can query an upper bound.
   */
  next(options: { complete: boolean; oldestFetchedMs?: number; extra?: Record<string, string> }): SourceCursor {
    const extra: Record<string, string> = { ...(this.previous?.extra ?? {}), ...(options.extra ?? {}) };
    delete extra.resumeBefore;
    delete extra.pendingWatermark;
    delete extra.pendingSeenIds;
    // Newest handed on so far across this poll and an interrupted earlier one.
    let topMs = this.pendingMs ?? -Infinity;
    let topIds = this.pendingIds;
    if (this.newestMs > topMs) {
      topMs = this.newestMs;
      topIds = this.newestIds;
    } else if (this.newestMs === topMs) {
      topIds = new Set([...topIds, ...this.newestIds]);
    }

    let watermarkMs = this.watermarkMs;
    let seenIds = [...this.seen];
    if (options.complete) {
      if (topMs > watermarkMs) {
        watermarkMs = topMs;
        seenIds = [...topIds];
      } else if (topMs === watermarkMs) {
        seenIds = [...new Set([...seenIds, ...topIds])];
      }
    } else if (topMs > -Infinity) {
      extra.pendingWatermark = new Date(topMs).toISOString();
      extra.pendingSeenIds = JSON.stringify([...topIds]);
      const resumeMs = options.oldestFetchedMs ?? this.resumeBeforeMs;
      if (resumeMs !== undefined) extra.resumeBefore = new Date(resumeMs).toISOString();
    }
    // Remember what was handed on within the overlap below the (new) watermark, newest first, bounded.
    const recent = [...this.recent, ...this.taken]
      .filter(([, ms]) => ms >= watermarkMs - REREAD_OVERLAP_MS)
      .sort((a, b) => b[1] - a[1])
      .slice(0, MAX_RECENT_IDS);
    if (recent.length > 0) extra.recent = JSON.stringify(recent);
    else delete extra.recent;
    if (this.replies.size > 0) extra.replies = JSON.stringify([...this.replies].slice(-MAX_REPLIES));
    return {
      sourceId: this.sourceId,
      watermark: new Date(watermarkMs).toISOString(),
      seenIds,
      ...(Object.keys(extra).length ? { extra } : {}),
      updatedAt: this.now.toISOString(),
    };
  }
}

import * as z from 'zod/mini';
import '../../core/zod-locale';
import type { SourceConfigOf } from '../../config/schema';
import { buildUrl, HttpError } from '../http';
import { cleanText, joinTitleAndBody } from '../text';
import type { PollContext, PollResult, SourceAdapter } from '../types';
import { PollCollector, SourceConfigError, num, parsePage, requireSecret, secretOptional } from './common';

/**
 * Tiki product reviews (SOURCES-VN §4). FRAGILE: `tiki.vn/api/v2/reviews` is the endpoint Tiki's own product pages
 * call, not a documented API; crawlers use it widely, but it can change or start asking for a guest token without
 * notice. Opt-in only (`acknowledgeFragile: true`).
 *
 * Per product, pages of `sort=id|desc` (newest first) are read until a review older than the watermark. `created_at`
 * is Unix seconds; the `timeline` strings are Vietnam local time (UTC+7) without a zone and are read as such only
 * when `created_at` is missing. Tiki documents no limits: the poll waits `delayMs` (500 ms) between requests, as
 * crawlers do. Reviews of the brand's own products are about the brand by construction.
 */

/** Tiki shows reviews in pages of 20 at most. */
const PAGE_SIZE = 20;
/** Vietnam is UTC+7 all year (no daylight saving). */
const VIETNAM_OFFSET = '+07:00';

const pageSchema = z.looseObject({
  data: z.array(z.unknown()),
  paging: z.optional(
    z.looseObject({
      current_page: z.optional(z.number()),
      last_page: z.optional(z.number()),
      total: z.optional(z.number()),
    }),
  ),
});

const reviewSchema = z.looseObject({
  id: z.pipe(z.union([z.number().check(z.int()), z.string().check(z.regex(/^\d+$/))]), z.transform(String)),
  product_id: z.optional(z.union([z.number(), z.string()])),
  title: z.nullish(z.string()),
  content: z.nullish(z.string()),
  rating: z.nullish(z.number()),
  status: z.nullish(z.string()),
  thank_count: z.nullish(z.number()),
  comment_count: z.nullish(z.number()),
  created_at: z.nullish(z.number()),
  created_by: z.nullish(
    z.looseObject({ id: z.nullish(z.number()), name: z.nullish(z.string()), full_name: z.nullish(z.string()) }),
  ),
  timeline: z.nullish(z.looseObject({ review_created_date: z.nullish(z.string()) })),
});

/** `2024-07-26 15:54:42` in Vietnam local time → epoch ms. */
export function parseVietnamTime(value: string): number {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)$/.exec(value.trim());
  return match ? Date.parse(`${match[1]}T${match[2]}${VIETNAM_OFFSET}`) : NaN;
}

function createdAtMs(review: z.infer<typeof reviewSchema>): number {
  if (typeof review.created_at === 'number' && review.created_at > 0) return review.created_at * 1000;
  return review.timeline?.review_created_date ? parseVietnamTime(review.timeline.review_created_date) : NaN;
}

/** Statuses Tiki uses for reviews that are no longer shown (deleted by the buyer, hidden by moderation). */
const GONE_STATUSES = new Set(['deleted', 'hidden', 'rejected', 'disabled', 'inactive']);

async function poll(ctx: PollContext): Promise<PollResult> {
  const source = ctx.source as SourceConfigOf<'tiki'>;
  const collector = new PollCollector(ctx);
  const { window } = collector;
  const base = source.baseUrl ?? 'https://tiki.vn';
  const guestToken = secretOptional(source, 'guestToken') ? await requireSecret(ctx, 'guestToken') : undefined;
  const headers: Record<string, string> = {
    'user-agent': source.userAgent,
    referer: 'https://tiki.vn/',
    accept: 'application/json',
    ...(guestToken ? { 'x-guest-token': guestToken } : {}),
  };
  let requests = 0;

  async function get(productId: string, page: number): Promise<unknown> {
    if (requests++ > 0 && source.delayMs > 0) await ctx.http.sleep(source.delayMs);
    const url = buildUrl(base, '/api/v2/reviews', {
      product_id: productId,
      page,
      limit: PAGE_SIZE,
      sort: 'id|desc',
    });
    try {
      return (await ctx.http.getJson(url, { headers })).body;
    } catch (error) {
      if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
        throw new SourceConfigError(
          guestToken
            ? `Tiki refused the guest token (HTTP ${error.status}): it has expired; copy a fresh x-guest-token from a tiki.vn session`
            : `Tiki refused the request (HTTP ${error.status}): the endpoint now wants a guest token (guestTokenEnv/…Secret) or blocks this IP`,
        );
      }
      throw error;
    }
  }

  for (const productId of source.productIds) {
    await collector.paginate(
      source.maxPages,
      async (page, seen) => {
        const body = parsePage(pageSchema, await get(productId, page), `Tiki reviews (product ${productId})`);
        let olderThanWatermark = false;
        for (const raw of body.data) {
          const review = collector.parseItem(reviewSchema, raw);
          if (!review) continue;
          const atMs = createdAtMs(review);
          if (Number.isNaN(atMs)) {
            collector.skipped++;
            collector.fetched++;
            continue;
          }
          seen(atMs);
          if (window.isOlderThanWatermark(atMs)) {
            olderThanWatermark = true;
            continue;
          }
          const id = `${productId}:${review.id}`;
          const content = cleanText(review.content);
          if (!content || GONE_STATUSES.has((review.status ?? '').toLowerCase())) {
            // Deleted, hidden, or stars only (the title is Tiki's canned label for the rating, not the buyer's words).
            collector.drop(id, atMs);
            continue;
          }
          const title = cleanText(review.title) || undefined;
          const rating = num(review.rating);
          collector.offer(
            {
              id,
              url: `https://tiki.vn/p${productId}.html?review=${review.id}`,
              author: cleanText(review.created_by?.name ?? review.created_by?.full_name) || undefined,
              title,
              text: joinTitleAndBody(title, content),
              createdAt: new Date(atMs).toISOString(),
              rating: rating !== undefined && rating >= 1 && rating <= 5 ? rating : undefined,
              engagement: { likes: num(review.thank_count), replies: num(review.comment_count) },
              language: 'vi',
              country: 'vn',
            },
            { relevant: true },
          );
        }
        const lastPage = body.paging?.last_page;
        return olderThanWatermark || body.data.length === 0 || (lastPage !== undefined && page >= lastPage);
      },
      1,
    );
  }
  return collector.finish();
}

export const tikiAdapter: SourceAdapter = {
  kind: 'tiki',
  needs:
    "FRAGILE, opt-in (acknowledgeFragile: true): Tiki's unofficial product-page reviews endpoint; the product ids; a guest token (guestTokenEnv/…Secret) only if Tiki starts asking",
  poll,
};

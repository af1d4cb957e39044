import { createHmac } from 'node:crypto';
import * as z from 'zod/mini';
import '../../core/zod-locale';
import type { SourceConfigOf } from '../../config/schema';
import type { BrandReply } from '../../core/mention';
import { buildUrl, HttpError } from '../http';
import { cleanText } from '../text';
import type { PollContext, PollResult, SourceAdapter } from '../types';
import { PollCollector, SourceConfigError, num, parsePage, requireSecret } from './common';

/**
 * The brand's own Shopee shop through the Shopee Open Platform v2 (SOURCES-VN §2), with a shop-authorised access
 * token. `GET /api/v2/product/get_comment` pages by an opaque `cursor` (`""` to start, `next_cursor` while `more`),
 * newest first; paging stops at a comment older than the watermark (`create_time`, Unix seconds; ties by
 * `comment_id`). At most 1,000 comments are reachable, so poll often enough that a poll never needs more.
 *
 * Every request is signed: `sign` = hex HMAC-SHA256, keyed by the partner key, of
 * `partner_id + api_path + timestamp + access_token + shop_id`. The seller's reply (`comment_reply`) is kept on the
 * mention so triage shows the review was answered. A reply written after the review was handed on reaches the
 * stored mention when the review is on a page the poll reads anyway (the newest `pageSize` and the last page read,
 * below the watermark): comments are never re-read further down. An expired or refused token is a config error (Shopee access tokens last 4 hours:
 * keep the secret fresh with the refresh flow outside Earshot); throttling (HTTP 429 or a rate-limit error) fails
 * the poll with the cursor unchanged, after the HTTP client has honoured Retry-After.
 */

export const SHOPEE_COMMENT_PATH = '/api/v2/product/get_comment';

const envelopeSchema = z.looseObject({
  error: z.nullish(z.string()),
  message: z.nullish(z.string()),
  request_id: z.nullish(z.string()),
  response: z.nullish(
    z.looseObject({
      item_comment_list: z.nullish(z.array(z.unknown())),
      more: z.nullish(z.boolean()),
      next_cursor: z.nullish(z.union([z.string(), z.number()])),
    }),
  ),
});

const replySchema = z.looseObject({
  reply: z.nullish(z.string()),
  hidden: z.nullish(z.boolean()),
  create_time: z.nullish(z.number()),
});

const commentSchema = z.looseObject({
  comment_id: z.pipe(z.union([z.number().check(z.int()), z.string().check(z.regex(/^\d+$/))]), z.transform(String)),
  comment: z.nullish(z.string()),
  buyer_username: z.nullish(z.string()),
  item_id: z.pipe(z.union([z.number().check(z.int()), z.string().check(z.regex(/^\d+$/))]), z.transform(String)),
  rating_star: z.nullish(z.number()),
  hidden: z.nullish(z.boolean()),
  create_time: z.number(),
  comment_reply: z.nullish(replySchema),
});

/** Shopee's partner signature for a shop-level call. */
export function shopeeSign(
  partnerKey: string,
  partnerId: string,
  apiPath: string,
  timestamp: number,
  accessToken: string,
  shopId: string,
): string {
  return createHmac('sha256', partnerKey)
    .update(`${partnerId}${apiPath}${timestamp}${accessToken}${shopId}`)
    .digest('hex');
}

const AUTH_ERRORS = /auth|access_?token|sign|permission|partner|shop_?id|unauthori[sz]ed|invalid_acc/i;
const THROTTLE_ERRORS = /rate|limit|too_?many|frequen|throttl/i;

/** Turn Shopee's `error`/`message` into the poll's error: config errors for auth, a clear error for the rest. */
function shopeeError(error: string, message: string | undefined | null): Error {
  const detail = `${error}${message ? `: ${message.slice(0, 160)}` : ''}`;
  if (THROTTLE_ERRORS.test(error)) return new Error(`Shopee throttled this partner (${detail}); the next poll retries`);
  if (AUTH_ERRORS.test(error) || /expired|invalid access/i.test(message ?? '')) {
    return new SourceConfigError(
      `Shopee refused the credentials (${detail}): refresh the shop's access token (it lasts 4 hours) or check partnerId/partnerKey/shopId`,
    );
  }
  return new Error(`Shopee error ${detail}`);
}

async function poll(ctx: PollContext): Promise<PollResult> {
  const source = ctx.source as SourceConfigOf<'shopee'>;
  const collector = new PollCollector(ctx);
  const { window } = collector;
  const base = source.baseUrl ?? 'https://partner.shopeemobile.com';
  const partnerKey = await requireSecret(ctx, 'partnerKey');
  const accessToken = await requireSecret(ctx, 'accessToken');

  async function getComments(cursor: string, itemId: string | undefined) {
    const timestamp = Math.floor(ctx.http.now() / 1000);
    const url = buildUrl(base, SHOPEE_COMMENT_PATH, {
      partner_id: source.partnerId,
      timestamp,
      sign: shopeeSign(partnerKey, source.partnerId, SHOPEE_COMMENT_PATH, timestamp, accessToken, source.shopId),
      access_token: accessToken,
      shop_id: source.shopId,
      item_id: itemId,
      cursor,
      page_size: source.pageSize,
    });
    let body: unknown;
    try {
      body = (await ctx.http.getJson(url)).body;
    } catch (error) {
      // Shopee answers auth and parameter errors with 4xx and the same envelope.
      if (error instanceof HttpError && error.status !== undefined && error.status >= 400 && error.status < 500) {
        const parsed = envelopeSchema.safeParse(safeJson(error.body));
        if (parsed.success && parsed.data.error) throw shopeeError(parsed.data.error, parsed.data.message);
        if (error.status === 401 || error.status === 403) throw shopeeError('error_auth', `HTTP ${error.status}`);
      }
      throw error;
    }
    const envelope = parsePage(envelopeSchema, body, 'Shopee get_comment');
    if (envelope.error) throw shopeeError(envelope.error, envelope.message);
    if (!envelope.response) throw new Error('unexpected response shape from Shopee get_comment: no response');
    return envelope.response;
  }

  const scopes: (string | undefined)[] = source.itemIds?.length ? source.itemIds : [undefined];
  for (const itemId of scopes) {
    let cursor = '';
    await collector.paginate(source.maxPages, async (_page, seen) => {
      const response = await getComments(cursor, itemId);
      const list = response.item_comment_list ?? [];
      let olderThanWatermark = false;
      for (const raw of list) {
        const comment = collector.parseItem(commentSchema, raw);
        if (!comment) continue;
        const atMs = comment.create_time * 1000;
        seen(atMs);
        const reply = sellerReply(comment.comment_reply);
        if (window.isOlderThanWatermark(atMs)) {
          // Read before; its seller reply may be new (comments are not re-read otherwise).
          collector.reply(comment.comment_id, reply);
          olderThanWatermark = true;
          continue;
        }
        const text = cleanText(comment.comment);
        if (comment.hidden || !text) {
          // Hidden by Shopee or the seller, or stars only: nothing a customer can read.
          collector.drop(comment.comment_id, atMs);
          continue;
        }
        const rating = num(comment.rating_star);
        collector.offer(
          {
            id: comment.comment_id,
            url: `https://shopee.vn/product/${source.shopId}/${comment.item_id}`,
            author: cleanText(comment.buyer_username) || undefined,
            text,
            createdAt: new Date(atMs).toISOString(),
            rating: rating !== undefined && rating >= 1 && rating <= 5 ? rating : undefined,
            language: 'vi',
            country: 'vn',
            reply,
          },
          { relevant: true },
        );
      }
      const next =
        response.next_cursor === undefined || response.next_cursor === null ? '' : String(response.next_cursor);
      const end = olderThanWatermark || list.length === 0 || !response.more || next === '' || next === cursor;
      cursor = next;
      return end;
    });
  }
  return collector.finish();
}

/** The seller's visible reply, as the mention keeps it. */
function sellerReply(reply: z.infer<typeof replySchema> | null | undefined): BrandReply | undefined {
  const text = reply && !reply.hidden ? cleanText(reply.reply) : '';
  if (!text) return undefined;
  return { text, ...(reply?.create_time ? { createdAt: new Date(reply.create_time * 1000).toISOString() } : {}) };
}

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}

export const shopeeAdapter: SourceAdapter = {
  kind: 'shopee',
  needs:
    "the brand's own shop on Shopee Open Platform: partnerId, shopId, the partner key (partnerKeyEnv/…Secret) and the shop's access token (accessTokenEnv/…Secret, 4 h: refreshed outside Earshot)",
  poll,
};

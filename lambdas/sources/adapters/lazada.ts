import { createHmac } from 'node:crypto';
import * as z from 'zod/mini';
import '../../core/zod-locale';
import type { SourceConfigOf } from '../../config/schema';
import { buildUrl, HttpError } from '../http';
import { cleanText } from '../text';
import type { PollContext, PollResult, SourceAdapter } from '../types';
import { PollCollector, SourceConfigError, num, parsePage, requireSecret } from './common';

/**
 * The brand's own Lazada shop through Lazada Open Platform (SOURCES-VN §3), with a seller-authorised access token.
 * Reviews are listed per item, in two steps: `/review/seller/history/list` gives the review ids of one item in a
 * time window (`start_time`/`end_time` in ms, at most 7 days a window, `current` page ≤ 50), then
 * `/review/seller/list/v2?id_list=[…]` gives the reviews. Each poll reads the windows from the watermark (less the
 * re-read overlap; at most `maxLookbackDays` back) to now, oldest first; the cursor window dedupes.
 *
 * Every request carries `app_key`, `timestamp` (ms), `access_token`, `sign_method=sha256` and `sign`: Lazada's
 * scheme (its SDKs'): the API path followed by every other parameter as `key` + `value`, sorted by key, HMAC-SHA256
 * keyed by the app secret, hex in upper case. `ratings.product_rating` becomes the mention's rating and the
 * `seller_reply` is kept on it. `IllegalAccessToken` and other auth codes are config errors; `ApiCallLimit`
 * (throttled) fails the poll with the cursor unchanged.
 */

const WINDOW_MS = 7 * 86_400_000;
/** Lazada pages the id history up to `current` 50. */
const MAX_HISTORY_PAGE = 50;
/** Review ids per `list/v2` call. */
const DETAIL_BATCH = 20;

/** Lazada's signature: HMAC-SHA256(app secret, api path + sorted key+value pairs), hex upper case. */
export function lazadaSign(appSecret: string, apiPath: string, params: Record<string, string>): string {
  const base =
    apiPath +
    Object.keys(params)
      .filter((key) => key !== 'sign')
      .sort()
      .map((key) => `${key}${params[key]}`)
      .join('');
  return createHmac('sha256', appSecret).update(base, 'utf8').digest('hex').toUpperCase();
}

const envelopeSchema = z.looseObject({
  code: z.pipe(z.union([z.string(), z.number()]), z.transform(String)),
  type: z.nullish(z.string()),
  message: z.nullish(z.string()),
  request_id: z.nullish(z.string()),
  data: z.optional(z.unknown()),
});

const historySchema = z.looseObject({
  id_list: z.nullish(
    z.array(z.pipe(z.union([z.number().check(z.int()), z.string().check(z.regex(/^\d+$/))]), z.transform(String))),
  ),
  total: z.nullish(z.number()),
});

const listSchema = z.looseObject({ review_list: z.nullish(z.array(z.unknown())) });

const reviewSchema = z.looseObject({
  id: z.pipe(z.union([z.number().check(z.int()), z.string().check(z.regex(/^\d+$/))]), z.transform(String)),
  create_time: z.number(),
  review_content: z.nullish(z.string()),
  ratings: z.nullish(
    z.looseObject({
      product_rating: z.nullish(z.number()),
      seller_rating: z.nullish(z.number()),
      logistics_rating: z.nullish(z.number()),
    }),
  ),
  can_reply: z.nullish(z.boolean()),
  seller_reply: z.nullish(
    z.union([
      z.string(),
      z.looseObject({
        content: z.nullish(z.string()),
        reply_content: z.nullish(z.string()),
        create_time: z.nullish(z.number()),
      }),
    ]),
  ),
  buyer_name: z.nullish(z.string()),
  status: z.nullish(z.string()),
});

const AUTH_CODES =
  /IllegalAccessToken|MissingAccessToken|AccessTokenExpired|IncompleteSignature|InvalidAppKey|AppKeyNotExist|InsufficientPermission|AppNotAuthorized|IllegalAppKey|Unauthori[sz]ed/i;
const THROTTLE_CODES = /CallLimit|Throttl|TooMany|Frequency/i;

function lazadaError(code: string, message: string | null | undefined): Error {
  const detail = `${code}${message ? `: ${message.slice(0, 160)}` : ''}`;
  if (THROTTLE_CODES.test(code)) return new Error(`Lazada throttled this app (${detail}); the next poll retries`);
  if (AUTH_CODES.test(code)) {
    return new SourceConfigError(
      `Lazada refused the credentials (${detail}): renew the seller's access token or check appKey/appSecret`,
    );
  }
  return new Error(`Lazada error ${detail}`);
}

function replyOf(
  reply: z.infer<typeof reviewSchema>['seller_reply'],
): { text: string; createdAt?: string } | undefined {
  if (!reply) return undefined;
  const text = cleanText(typeof reply === 'string' ? reply : (reply.content ?? reply.reply_content));
  if (!text) return undefined;
  const at = typeof reply === 'string' ? undefined : num(reply.create_time);
  return { text, ...(at ? { createdAt: new Date(at).toISOString() } : {}) };
}

async function poll(ctx: PollContext): Promise<PollResult> {
  const source = ctx.source as SourceConfigOf<'lazada'>;
  const collector = new PollCollector(ctx);
  const { window } = collector;
  const base = source.baseUrl ?? 'https://api.lazada.vn/rest';
  const appSecret = await requireSecret(ctx, 'appSecret');
  const accessToken = await requireSecret(ctx, 'accessToken');

  async function call(apiPath: string, query: Record<string, string>): Promise<unknown> {
    const params: Record<string, string> = {
      ...query,
      app_key: source.appKey,
      timestamp: String(ctx.http.now()),
      access_token: accessToken,
      sign_method: 'sha256',
    };
    params.sign = lazadaSign(appSecret, apiPath, params);
    let body: unknown;
    try {
      body = (await ctx.http.getJson(buildUrl(base, apiPath, params))).body;
    } catch (error) {
      if (error instanceof HttpError && error.status !== undefined && error.status >= 400 && error.status < 500) {
        const parsed = envelopeSchema.safeParse(safeJson(error.body));
        if (parsed.success && parsed.data.code !== '0') throw lazadaError(parsed.data.code, parsed.data.message);
      }
      throw error;
    }
    const envelope = parsePage(envelopeSchema, body, `Lazada ${apiPath}`);
    if (envelope.code !== '0') throw lazadaError(envelope.code, envelope.message);
    return envelope.data;
  }

  const nowMs = ctx.now.getTime();
  const startMs = Math.max(window.sinceMs, nowMs - source.maxLookbackDays * 86_400_000);
  const maxPages = Math.min(MAX_HISTORY_PAGE, source.maxPages);
  for (const itemId of source.itemIds) {
    for (let from = startMs; from < nowMs; from += WINDOW_MS) {
      const to = Math.min(nowMs, from + WINDOW_MS);
      const ids: string[] = [];
      let complete = false;
      for (let page = 1; page <= maxPages; page++) {
        const history = parsePage(
          historySchema,
          await call('/review/seller/history/list', {
            item_id: itemId,
            start_time: String(from),
            end_time: String(to),
            current: String(page),
          }),
          'Lazada review history',
        );
        const list = history.id_list ?? [];
        ids.push(...list);
        const total = num(history.total);
        if (list.length === 0 || (total !== undefined && ids.length >= total)) {
          complete = true;
          break;
        }
      }
      if (!complete) collector.stoppedEarly(undefined);
      const fresh = [...new Set(ids)];
      for (let i = 0; i < fresh.length; i += DETAIL_BATCH) {
        const batch = fresh.slice(i, i + DETAIL_BATCH);
        const details = parsePage(
          listSchema,
          await call('/review/seller/list/v2', { id_list: `[${batch.join(',')}]` }),
          'Lazada review list',
        );
        for (const raw of details.review_list ?? []) {
          const review = collector.parseItem(reviewSchema, raw);
          if (!review) continue;
          const text = cleanText(review.review_content);
          if (!text || /^(deleted|hidden|rejected)$/i.test(review.status ?? '')) {
            collector.drop(review.id, review.create_time);
            continue;
          }
          const rating = num(review.ratings?.product_rating);
          collector.offer(
            {
              id: review.id,
              url: `https://www.lazada.vn/products/i${itemId}.html`,
              author: cleanText(review.buyer_name) || undefined,
              text,
              createdAt: new Date(review.create_time).toISOString(),
              rating: rating !== undefined && rating >= 1 && rating <= 5 ? rating : undefined,
              language: 'vi',
              country: 'vn',
              reply: replyOf(review.seller_reply),
            },
            { relevant: true },
          );
        }
      }
    }
  }
  return collector.finish();
}

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}

export const lazadaAdapter: SourceAdapter = {
  kind: 'lazada',
  needs:
    "the brand's own Lazada shop: the app key, app secret (appSecretEnv/…Secret), the seller's access token (accessTokenEnv/…Secret) and the item ids to watch (reviews are listed per item)",
  poll,
};

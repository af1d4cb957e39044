import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import '../../core/zod-locale';
import type { SourceConfigOf } from '../../config/schema';
import { buildUrl, HttpError } from '../http';
import { cleanText } from '../text';
import type { PollContext, PollResult, SourceAdapter } from '../types';
import { PollCollector, SourceConfigError, errorName, parsePage, requireSecret, stateFor } from './common';

/**
 * Google reviews (SOURCES-VN §5), two ways.
 *
 * Owner: the brand's own Business Profile locations through `mybusiness` v4
 * (`accounts/{a}/locations/{l}/reviews?orderBy=updateTime desc`, `nextPageToken` paging), with an OAuth client and
 * the owner's refresh token (scope `business.manage`). Access tokens last an hour: one is fetched from the refresh
 * token when none is cached or the API answers 401, kept in memory for the process, never in the cursor. A refused
 * refresh (`invalid_grant`: revoked, or the owner changed the password) is a config error.
 *
 * Reviews are edited (a 5★ becomes a 1★ "update: still no refund"), so the watermark is `updateTime`, not
 * `createTime`, and an edited review is read again. The store keeps a mention once per id and never overwrites it,
 * so a mention's id names the version: review id plus a short hash of its stars and words. An edit that changes
 * them is a new mention (dated at its `updateTime`); one that changes neither (the owner's reply bumped the time)
 * has the same id and is stored once, and the reply is set on the stored mention. `starRating` ("ONE"…"FIVE") → `rating`; `reviewReply` → the mention's
 * `reply`. Reviews with stars only are skipped (nothing to read). Google-translated comments keep the original.
 *
 * Sampler (optional, `placeIds`): the Places API (New) `places/{id}` for any place, which shows at most 5 reviews,
 * by relevance, without paging: a sample, not a feed, and health says so. Its reviews are new when not seen before
 * (their ids are kept in the cursor) and published within `lookbackHours`; the place's rating and count go in the
 * health note, for the trend.
 */

const DEFAULT_API = 'https://mybusiness.googleapis.com';
const DEFAULT_AUTH = 'https://oauth2.googleapis.com';
const DEFAULT_PLACES = 'https://places.googleapis.com';
const PLACE_FIELDS = 'id,displayName,rating,userRatingCount,googleMapsUri,reviews';
/** Refresh a cached token this long before Google says it expires. */
const EXPIRY_MARGIN_MS = 2 * 60_000;
const STARS: Record<string, number> = { ONE: 1, TWO: 2, THREE: 3, FOUR: 4, FIVE: 5 };

const reviewPageSchema = z.looseObject({
  reviews: z._default(z.array(z.unknown()), []),
  nextPageToken: z.nullish(z.string()),
  averageRating: z.nullish(z.number()),
  totalReviewCount: z.nullish(z.number()),
});

const reviewSchema = z.looseObject({
  reviewId: z.string().check(z.minLength(1)),
  reviewer: z.nullish(z.looseObject({ displayName: z.nullish(z.string()), isAnonymous: z.nullish(z.boolean()) })),
  starRating: z.nullish(z.string()),
  comment: z.nullish(z.string()),
  createTime: z.string(),
  updateTime: z.nullish(z.string()),
  reviewReply: z.nullish(z.looseObject({ comment: z.nullish(z.string()), updateTime: z.nullish(z.string()) })),
});

const tokenSchema = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  expires_in: z.optional(z.number()),
});

const localized = z.nullish(z.looseObject({ text: z.nullish(z.string()), languageCode: z.nullish(z.string()) }));

const placeSchema = z.looseObject({
  id: z.nullish(z.string()),
  displayName: localized,
  rating: z.nullish(z.number()),
  userRatingCount: z.nullish(z.number()),
  googleMapsUri: z.nullish(z.string()),
  reviews: z._default(z.array(z.unknown()), []),
});

const placeReviewSchema = z.looseObject({
  name: z.string().check(z.minLength(1)),
  rating: z.nullish(z.number()),
  text: localized,
  originalText: localized,
  authorAttribution: z.nullish(z.looseObject({ displayName: z.nullish(z.string()) })),
  publishTime: z.string(),
  googleMapsUri: z.nullish(z.string()),
});

interface CachedToken {
  token: string;
  expiresAtMs: number;
}

/**
 * The customer's own words. Business Profile sends a review in another language than the owner's as
 * "(Translated by Google) …\n\n(Original)\n…", or as the original followed by "(Translated by Google)" and the
 * translation: either way the original is kept.
 */
export function originalComment(comment: string | null | undefined): string {
  const text = cleanText(comment);
  const marker = '(Translated by Google)';
  const at = text.indexOf(marker);
  if (at < 0) return text;
  if (at === 0) {
    const original = /\(Original\)\s*([\s\S]*)$/.exec(text);
    return original ? original[1].trim() : text.slice(marker.length).trim();
  }
  return text.slice(0, at).trim();
}

/** A review version's id: the same stars and words give the same id, an edit of either a new one. */
function versionId(locationId: string, reviewId: string, stars: string, text: string): string {
  const hash = createHash('sha256').update(`${stars}\n${text}`).digest('hex').slice(0, 10);
  return `${locationId}:${reviewId}:${hash}`;
}

function starsOf(value: number | undefined | null): number | undefined {
  return value !== undefined && value !== null && value >= 1 && value <= 5 ? Math.round(value) : undefined;
}

/** The `error.status` of a Google API error body (`PERMISSION_DENIED`, `NOT_FOUND`…), if any. */
function googleStatus(error: HttpError): string | undefined {
  try {
    const body = JSON.parse(error.body ?? '') as { error?: { status?: unknown } };
    return typeof body.error?.status === 'string' ? body.error.status : undefined;
  } catch {
    return undefined;
  }
}

async function poll(ctx: PollContext): Promise<PollResult> {
  const source = ctx.source as SourceConfigOf<'googlereviews'>;
  const owner = new PollCollector(ctx);
  const notes: string[] = [];
  if (source.locationIds.length > 0) await readOwnerReviews(ctx, source, owner);
  const sampler = new PollCollector(ctx, false);
  let sampled: [string, number][] | undefined;
  if (source.placeIds.length > 0) sampled = await samplePlaces(ctx, source, sampler, notes);
  const result = owner.finish(sampled ? { sampled: JSON.stringify(sampled) } : undefined);
  if (source.locationIds.length === 0 && sampled?.length) {
    // A sampler alone: its newest review is where health measures lag from (the owner watermark never moves).
    const newest = Math.max(Date.parse(result.nextCursor.watermark), ...sampled.map(([, ms]) => ms));
    result.nextCursor = { ...result.nextCursor, watermark: new Date(newest).toISOString() };
  }
  return {
    ...result,
    mentions: [...result.mentions, ...sampler.mentions],
    fetched: result.fetched + sampler.fetched,
    relevant: result.relevant + sampler.relevant,
    noise: result.noise + sampler.noise,
    skipped: result.skipped + sampler.skipped,
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
}

async function readOwnerReviews(
  ctx: PollContext,
  source: SourceConfigOf<'googlereviews'>,
  collector: PollCollector,
): Promise<void> {
  const { window } = collector;
  if (!source.accountId) throw new SourceConfigError('locationIds need the Business Profile accountId that owns them');
  const base = source.baseUrl ?? DEFAULT_API;
  const cache = stateFor<CachedToken>(ctx, 'token');
  const nowMs = ctx.now.getTime();

  async function refresh(): Promise<string> {
    const clientId = await requireSecret(ctx, 'clientId');
    const clientSecret = await requireSecret(ctx, 'clientSecret');
    const refreshToken = await requireSecret(ctx, 'refreshToken');
    const body = new URLSearchParams({
      client_id: clientId,
      client_secret: clientSecret,
      refresh_token: refreshToken,
      grant_type: 'refresh_token',
    });
    try {
      const response = await ctx.http.request(buildUrl(source.authUrl ?? DEFAULT_AUTH, '/token'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      });
      const token = parsePage(tokenSchema, ctx.http.parseJson(response.body, response.url), 'Google OAuth token');
      ctx.http.addSecret(token.access_token);
      cache.set({
        token: token.access_token,
        expiresAtMs: nowMs + (token.expires_in ?? 3600) * 1000 - EXPIRY_MARGIN_MS,
      });
      return token.access_token;
    } catch (error) {
      if (error instanceof HttpError && (error.status === 400 || error.status === 401)) {
        cache.set(undefined);
        throw new SourceConfigError(
          `Google refused the refresh token (${errorName(error) ?? `HTTP ${error.status}`}): the owner must authorise Earshot again (scope business.manage), or check clientId/clientSecret`,
        );
      }
      throw error;
    }
  }

  async function token(): Promise<string> {
    const cached = cache.get();
    if (cached && cached.expiresAtMs > ctx.http.now()) {
      ctx.http.addSecret(cached.token);
      return cached.token;
    }
    return refresh();
  }

  let refreshed = false;
  async function getReviews(locationId: string, pageToken: string | undefined): Promise<unknown> {
    const url = buildUrl(base, `/v4/accounts/${source.accountId}/locations/${locationId}/reviews`, {
      pageSize: source.pageSize,
      pageToken,
      orderBy: 'updateTime desc',
    });
    for (;;) {
      try {
        return (await ctx.http.getJson(url, { headers: { authorization: `Bearer ${await token()}` } })).body;
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        if (error.status === 401 && !refreshed) {
          // Expired or revoked access token: one fresh one from the refresh token, then the same call again.
          refreshed = true;
          cache.set(undefined);
          continue;
        }
        if (error.status === 401) {
          throw new SourceConfigError('Business Profile refused a freshly refreshed access token (HTTP 401)');
        }
        if (error.status === 403) {
          throw new SourceConfigError(
            `Business Profile refused access to location ${locationId} (${googleStatus(error) ?? 'HTTP 403'}): the authorising user must own or manage it, and the project needs the Business Profile APIs enabled`,
          );
        }
        if (error.status === 404) {
          throw new SourceConfigError(`Business Profile has no location ${locationId} in account ${source.accountId}`);
        }
        throw error;
      }
    }
  }

  for (const locationId of source.locationIds) {
    let pageToken: string | undefined;
    await collector.paginate(source.maxPages, async (_page, seen) => {
      const body = parsePage(
        reviewPageSchema,
        await getReviews(locationId, pageToken),
        `Business Profile reviews (location ${locationId})`,
      );
      let olderThanWatermark = false;
      for (const raw of body.reviews) {
        const review = collector.parseItem(reviewSchema, raw);
        if (!review) continue;
        const atMs = Date.parse(review.updateTime ?? review.createTime);
        if (Number.isNaN(atMs)) {
          collector.fetched++;
          collector.skipped++;
          continue;
        }
        seen(atMs);
        if (window.isOlderThanWatermark(atMs)) {
          olderThanWatermark = true;
          continue;
        }
        const text = originalComment(review.comment);
        const stars = review.starRating ?? '';
        const id = versionId(locationId, review.reviewId, stars, text);
        if (!text) {
          // Stars only (or the words were removed): nothing a person can read or answer.
          collector.drop(id, atMs);
          continue;
        }
        const replyText = cleanText(review.reviewReply?.comment);
        const replyAt = review.reviewReply?.updateTime ? Date.parse(review.reviewReply.updateTime) : NaN;
        collector.offer(
          {
            id,
            author: review.reviewer?.isAnonymous ? undefined : cleanText(review.reviewer?.displayName) || undefined,
            text,
            createdAt: new Date(atMs).toISOString(),
            rating: STARS[stars],
            reply: replyText
              ? { text: replyText, ...(Number.isNaN(replyAt) ? {} : { createdAt: new Date(replyAt).toISOString() }) }
              : undefined,
          },
          { relevant: true },
        );
      }
      pageToken = body.nextPageToken || undefined;
      return olderThanWatermark || body.reviews.length === 0 || !pageToken;
    });
  }
}

/** The Places sampler; returns the review ids to remember (with their times) for the next poll. */
async function samplePlaces(
  ctx: PollContext,
  source: SourceConfigOf<'googlereviews'>,
  collector: PollCollector,
  notes: string[],
): Promise<[string, number][]> {
  const apiKey = await requireSecret(ctx, 'apiKey');
  const sinceMs = ctx.now.getTime() - source.lookbackHours * 3_600_000;
  const previous = ctx.cursor?.extra?.sampled ? (JSON.parse(ctx.cursor.extra.sampled) as [string, number][]) : [];
  const seen = new Map(previous.filter(([, ms]) => ms >= sinceMs));
  const summaries: string[] = [];
  for (const placeId of source.placeIds) {
    let body: unknown;
    try {
      body = (
        await ctx.http.getJson(
          buildUrl(source.placesUrl ?? DEFAULT_PLACES, `/v1/places/${placeId}`, { languageCode: source.languageCode }),
          { headers: { 'x-goog-api-key': apiKey, 'x-goog-fieldmask': PLACE_FIELDS } },
        )
      ).body;
    } catch (error) {
      if (error instanceof HttpError && (error.status === 400 || error.status === 403)) {
        throw new SourceConfigError(
          `the Places API refused the key for place ${placeId} (${googleStatus(error) ?? `HTTP ${error.status}`}): check apiKey and that Places API (New) is enabled for it`,
        );
      }
      if (error instanceof HttpError && error.status === 404) {
        throw new SourceConfigError(`the Places API has no place ${placeId}`);
      }
      throw error;
    }
    const place = parsePage(placeSchema, body, `Places API (place ${placeId})`);
    const name = cleanText(place.displayName?.text, 80) || placeId;
    if (place.rating !== undefined && place.rating !== null) {
      summaries.push(`${name} ${place.rating.toFixed(1)}★ of ${place.userRatingCount ?? '?'}`);
    }
    for (const raw of place.reviews) {
      const review = collector.parseItem(placeReviewSchema, raw);
      if (!review) continue;
      const atMs = Date.parse(review.publishTime);
      const id = `place:${placeId}:${review.name.split('/').pop()}`;
      if (Number.isNaN(atMs) || atMs < sinceMs || seen.has(id)) continue;
      seen.set(id, atMs);
      const text = cleanText(review.originalText?.text ?? review.text?.text);
      if (!text) {
        collector.drop(id, atMs);
        continue;
      }
      collector.offer(
        {
          id,
          url: review.googleMapsUri ?? place.googleMapsUri ?? undefined,
          author: cleanText(review.authorAttribution?.displayName) || undefined,
          text,
          createdAt: new Date(atMs).toISOString(),
          rating: starsOf(review.rating),
          language: review.originalText?.languageCode ?? review.text?.languageCode ?? undefined,
        },
        { relevant: true },
      );
    }
  }
  notes.push(
    `sample: the Places API shows at most 5 reviews per place, by relevance (not a complete feed)${summaries.length ? `; ${summaries.join(', ')}` : ''}`,
  );
  return [...seen].sort((a, b) => b[1] - a[1]).slice(0, 500);
}

export const googleReviewsAdapter: SourceAdapter = {
  kind: 'googlereviews',
  needs:
    "the brand's own Business Profile locations (accountId, locationIds) with an OAuth client (clientIdEnv/…Secret, clientSecretEnv/…Secret) and the owner's refresh token (refreshTokenEnv/…Secret, scope business.manage); optionally placeIds with a Places API key (apiKeyEnv/…Secret) for a 5-review sample of any place",
  poll,
};

import type { SourceConfigOf } from '../../config/schema';
import { buildUrl } from '../http';
import { cleanText } from '../text';
import type { PollContext, PollResult, SourceAdapter } from '../types';
import { PollCollector, num } from './common';

/**
 * Google Play reviews. FRAGILE: Google has no public API for other developers' apps, so this posts to the Play
 * web app's internal `batchexecute` RPC, as the `google-play-scraper` package does, and reads positional JSON.
 * It can break without notice, is against Google's terms, and cloud IPs may get 429s. Opt-in only
 * (`acknowledgeFragile: true`). For your own apps use the Play Developer API instead.
 */

const SORT_NEWEST = 2;
const PAGE_SIZE = 100;

function requestBody(appId: string, token: string | undefined): string {
  const inner = JSON.stringify([null, null, [2, SORT_NEWEST, [PAGE_SIZE, null, token ?? null], null, []], [appId, 7]]);
  return new URLSearchParams({ 'f.req': JSON.stringify([[['UsvDTd', inner, null, 'generic']]]) }).toString();
}

/** Drop the `)]}'` anti-JSON-hijacking prefix, find the `wrb.fr` envelope and parse its payload. */
export function parseBatchExecute(text: string): { reviews: unknown[]; token?: string } {
  const stripped = text.replace(/^\)\]\}'\s*/, '');
  let outer: unknown;
  try {
    outer = JSON.parse(stripped);
  } catch (error) {
    throw new Error(`malformed batchexecute response from Google Play: ${(error as Error).message.slice(0, 100)}`);
  }
  const envelope = Array.isArray(outer)
    ? (outer as unknown[]).find((part) => Array.isArray(part) && part[0] === 'wrb.fr')
    : undefined;
  if (!Array.isArray(envelope))
    throw new Error('unexpected batchexecute response from Google Play: no wrb.fr envelope');
  if (envelope[2] === null || envelope[2] === undefined) return { reviews: [] };
  if (typeof envelope[2] !== 'string') throw new Error('unexpected batchexecute response from Google Play: no payload');
  let payload: unknown;
  try {
    payload = JSON.parse(envelope[2]);
  } catch {
    throw new Error('malformed batchexecute payload from Google Play');
  }
  if (!Array.isArray(payload)) throw new Error('unexpected batchexecute payload from Google Play: not an array');
  const reviews = Array.isArray(payload[0]) ? (payload[0] as unknown[]) : [];
  const tokenBox = payload[1];
  const token = Array.isArray(tokenBox) && typeof tokenBox[1] === 'string' ? tokenBox[1] : undefined;
  return { reviews, token };
}

interface PlayReview {
  id: string;
  userName?: string;
  score?: number;
  text: string;
  createdAtMs: number;
  thumbsUp?: number;
}

/** Positions from google-play-scraper's lib/reviews.js: id [0], user [1][0], score [2], text [4], date [5]. */
function readReview(raw: unknown): PlayReview | undefined {
  if (!Array.isArray(raw)) return undefined;
  const [id, user, score, , text, date, thumbsUp] = raw as unknown[];
  const seconds = Array.isArray(date) ? num(date[0]) : undefined;
  if (typeof id !== 'string' || seconds === undefined) return undefined;
  return {
    id,
    userName: Array.isArray(user) && typeof user[0] === 'string' ? user[0] : undefined,
    score: num(score),
    text: typeof text === 'string' ? text : '',
    createdAtMs: seconds * 1000,
    thumbsUp: num(thumbsUp),
  };
}

async function poll(ctx: PollContext): Promise<PollResult> {
  const source = ctx.source as SourceConfigOf<'googleplay'>;
  const collector = new PollCollector(ctx);
  const { window } = collector;
  const base = source.baseUrl ?? 'https://play.google.com';
  const url = buildUrl(base, '/_/PlayStoreUi/data/batchexecute', {
    rpcids: 'qnKhOb',
    'source-path': `/store/apps/details`,
    hl: source.language,
    gl: source.country,
    'soc-app': 121,
    'soc-platform': 1,
    'soc-device': 1,
  });
  let token: string | undefined;
  await collector.paginate(source.maxPages, async (_page, seen) => {
    const response = await ctx.http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: requestBody(source.appId, token),
    });
    const { reviews, token: nextToken } = parseBatchExecute(response.body);
    let olderThanWatermark = false;
    for (const raw of reviews) {
      const review = readReview(raw);
      if (!review) {
        collector.skipped++;
        collector.fetched++;
        continue;
      }
      seen(review.createdAtMs);
      if (window.isOlderThanWatermark(review.createdAtMs)) {
        olderThanWatermark = true;
        continue;
      }
      const text = cleanText(review.text);
      if (!text) {
        collector.drop(review.id, review.createdAtMs);
        continue;
      }
      collector.offer({
        id: review.id,
        url: `https://play.google.com/store/apps/details?id=${encodeURIComponent(source.appId)}&reviewId=${encodeURIComponent(review.id)}`,
        author: review.userName,
        text,
        createdAt: new Date(review.createdAtMs).toISOString(),
        rating: review.score !== undefined && review.score >= 1 && review.score <= 5 ? review.score : undefined,
        engagement: { likes: review.thumbsUp },
        country: source.country,
      });
    }
    token = nextToken;
    return olderThanWatermark || !token || reviews.length === 0;
  });
  return collector.finish();
}

export const googleplayAdapter: SourceAdapter = {
  kind: 'googleplay',
  needs:
    'FRAGILE, opt-in (acknowledgeFragile: true): scrapes the undocumented Play web RPC, may break without notice, against Google ToS; the package name',
  poll,
};

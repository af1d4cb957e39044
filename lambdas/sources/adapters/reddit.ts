import * as z from 'zod/mini';
import '../../core/zod-locale';
import type { SourceConfigOf } from '../../config/schema';
import { buildUrl, HttpError } from '../http';
import { cleanText, joinTitleAndBody } from '../text';
import type { PollContext, PollResult, SourceAdapter } from '../types';
import { PollCollector, isHttpStatus, num, parsePage, quoteTerm, requireSecret, searchTerms, stateFor } from './common';

/**
 * Reddit through OAuth (client credentials; new apps need Reddit's approval since Nov 2025). Listings are read
 * newest first (`sort=new`) and paged with `after` until items are older than the watermark.
 */

const DEFAULT_AUTH_URL = 'https://www.reddit.com';
const DEFAULT_API_URL = 'https://oauth.reddit.com';

const tokenSchema = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  expires_in: z.optional(z.number()),
});

const listingSchema = z.looseObject({
  kind: z.literal('Listing'),
  data: z.looseObject({ after: z.nullish(z.string()), children: z.array(z.unknown()) }),
});

const thingSchema = z.looseObject({
  kind: z.enum(['t1', 't3']),
  data: z.looseObject({
    name: z.string(),
    created_utc: z.number(),
    author: z.nullish(z.string()),
    permalink: z.nullish(z.string()),
    title: z.nullish(z.string()),
    selftext: z.nullish(z.string()),
    body: z.nullish(z.string()),
    link_title: z.nullish(z.string()),
    score: z.nullish(z.number()),
    num_comments: z.nullish(z.number()),
    subreddit_subscribers: z.nullish(z.number()),
    removed_by_category: z.nullish(z.string()),
  }),
});

interface Token {
  accessToken: string;
  expiresAtMs: number;
}

const REMOVED = new Set(['[deleted]', '[removed]']);

async function fetchToken(ctx: PollContext, authUrl: string): Promise<Token> {
  const clientId = await requireSecret(ctx, 'clientId');
  const clientSecret = await requireSecret(ctx, 'clientSecret');
  const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
  ctx.http.addSecret(basic);
  try {
    const response = await ctx.http.request(buildUrl(authUrl, '/api/v1/access_token'), {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const token = parsePage(tokenSchema, ctx.http.parseJson(response.body, response.url), 'Reddit access_token');
    ctx.http.addSecret(token.access_token);
    return { accessToken: token.access_token, expiresAtMs: ctx.now.getTime() + (token.expires_in ?? 3600) * 1000 };
  } catch (error) {
    if (isHttpStatus(error, 400, 401, 403)) {
      throw new Error(
        `Reddit rejected the client credentials for source ${ctx.source.id} (HTTP ${error.status}): check the client id/secret and that the app is approved`,
      );
    }
    throw error;
  }
}

function redditUserAgent(source: SourceConfigOf<'reddit'>): string {
  // Reddit throttles generic agents; its format is <platform>:<app id>:<version> (by /u/<user>).
  return source.userAgent ?? 'server:earshot:0.1 (social listening; +https://github.com/earshot)';
}

async function poll(ctx: PollContext): Promise<PollResult> {
  const source = ctx.source as SourceConfigOf<'reddit'>;
  const collector = new PollCollector(ctx);
  const { window } = collector;
  const authUrl = source.authUrl ?? DEFAULT_AUTH_URL;
  const apiUrl = source.baseUrl ?? DEFAULT_API_URL;
  const tokenState = stateFor<Token>(ctx, `token:${authUrl}`);

  async function token(): Promise<string> {
    const cached = tokenState.get();
    // Renew a minute early so a token never expires mid-poll.
    if (cached && cached.expiresAtMs - 60_000 > ctx.now.getTime()) return cached.accessToken;
    const fresh = await fetchToken(ctx, authUrl);
    tokenState.set(fresh);
    return fresh.accessToken;
  }

  async function getListing(path: string, query: Record<string, string | number | undefined>) {
    const url = buildUrl(apiUrl, path, { ...query, raw_json: 1 });
    for (let attempt = 0; ; attempt++) {
      const accessToken = await token();
      ctx.http.addSecret(accessToken);
      try {
        const response = await ctx.http.getJson(url, {
          headers: { authorization: `Bearer ${accessToken}`, 'user-agent': redditUserAgent(source) },
        });
        return parsePage(listingSchema, response.body, `Reddit ${path}`);
      } catch (error) {
        // A revoked or expired token: forget it and authenticate once more.
        if (attempt === 0 && error instanceof HttpError && error.status === 401) {
          tokenState.set(undefined);
          continue;
        }
        throw error;
      }
    }
  }

  const ageHours = (ctx.now.getTime() - window.watermarkMs) / 3_600_000;
  const t = ageHours <= 1 ? 'hour' : ageHours <= 24 ? 'day' : ageHours <= 24 * 7 ? 'week' : 'month';
  const listings: { path: string; query: Record<string, string | number | undefined> }[] = [
    {
      path: '/search',
      query: {
        q: searchTerms(source, ctx.brand).map(quoteTerm).join(' OR '),
        sort: 'new',
        t,
        type: 'link',
        limit: 100,
      },
    },
  ];
  for (const sub of source.subreddits ?? []) {
    listings.push({ path: `/r/${sub}/new`, query: { limit: 100 } });
    if (source.includeComments) listings.push({ path: `/r/${sub}/comments`, query: { limit: 100 } });
  }

  for (const listing of listings) {
    let after: string | undefined;
    await collector.paginate(source.maxPages, async (_page, seen) => {
      const body = await getListing(listing.path, { ...listing.query, after });
      let olderThanWatermark = false;
      for (const raw of body.data.children) {
        const thing = collector.parseItem(thingSchema, raw);
        if (!thing) continue;
        const item = thing.data;
        const createdAtMs = Math.round(item.created_utc * 1000);
        seen(createdAtMs);
        if (window.isOlderThanWatermark(createdAtMs)) {
          olderThanWatermark = true;
          continue;
        }
        const isComment = thing.kind === 't1';
        const rawText = (isComment ? item.body : item.selftext) ?? '';
        if (
          !item.author ||
          REMOVED.has(item.author) ||
          REMOVED.has(rawText.trim()) ||
          item.removed_by_category ||
          (isComment && !rawText)
        ) {
          collector.drop(item.name, createdAtMs);
          continue;
        }
        const title = isComment ? undefined : cleanText(item.title);
        const text = cleanText(rawText);
        collector.offer(
          {
            id: item.name,
            url: item.permalink ? `https://www.reddit.com${item.permalink}` : undefined,
            author: item.author,
            title: title ?? (item.link_title ? cleanText(item.link_title) : undefined),
            text: isComment ? text : joinTitleAndBody(title, text),
            createdAt: new Date(createdAtMs).toISOString(),
            engagement: { likes: num(item.score), replies: num(item.num_comments) },
            // The subreddit's size, not the author's audience: shown as such, never weighed as reach.
            communitySize: num(item.subreddit_subscribers),
          },
          { matchText: isComment ? text : undefined },
        );
      }
      after = body.data.after ?? undefined;
      return olderThanWatermark || !after || body.data.children.length === 0;
    });
  }
  return collector.finish();
}

export const redditAdapter: SourceAdapter = {
  kind: 'reddit',
  needs:
    'a Reddit OAuth app (client id + secret via clientIdEnv/clientSecretEnv or …Secret); new apps need Reddit approval since Nov 2025; 100 requests/minute',
  poll,
};

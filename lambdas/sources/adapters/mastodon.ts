import * as z from 'zod/mini';
import '../../core/zod-locale';
import type { SourceConfigOf } from '../../config/schema';
import { foldText } from '../match';
import { buildUrl } from '../http';
import { cleanText, htmlToText } from '../text';
import type { PollContext, PollResult, SourceAdapter } from '../types';
import type { SourceCursor } from '../../core/source-state';
import { PollCollector, num, parsePage, requireSecret, secretOptional, searchTerms } from './common';

/**
 * Mastodon, one instance. Anonymous callers get hashtag timelines (paged forward with `min_id`, which returns the
 * statuses immediately newer, so progress is saved per hashtag and nothing is skipped); with a user token on a
 * server with full-text search, status search is added. Status ids are instance-local numeric strings compared as
 * BigInt; the mention id is the status `uri`, which is the same on every instance.
 */

const statusSchema = z.looseObject({
  id: z.string().check(z.regex(/^\d+$/)),
  uri: z.string(),
  url: z.nullish(z.string()),
  created_at: z.string(),
  content: z.nullish(z.string()),
  spoiler_text: z.nullish(z.string()),
  language: z.nullish(z.string()),
  visibility: z.optional(z.string()),
  replies_count: z.nullish(z.number()),
  reblogs_count: z.nullish(z.number()),
  favourites_count: z.nullish(z.number()),
  reblog: z.nullish(z.unknown()),
  account: z.looseObject({
    acct: z.string(),
    followers_count: z.nullish(z.number()),
    display_name: z.nullish(z.string()),
  }),
});

const timelineSchema = z.array(z.unknown());
const searchSchema = z.looseObject({ statuses: z.array(z.unknown()) });

const maxId = (a: string | undefined, b: string): string => (a === undefined || BigInt(b) > BigInt(a) ? b : a);

/** Hashtags from the brand keywords: "acme air" → acmeair. */
function defaultHashtags(keywords: string[]): string[] {
  return [...new Set(keywords.map((k) => foldText(k).replace(/[^\p{L}\p{N}_]/gu, '')).filter((t) => t.length >= 2))];
}

async function poll(ctx: PollContext): Promise<PollResult> {
  const source = ctx.source as SourceConfigOf<'mastodon'>;
  const collector = new PollCollector(ctx, false);
  const base = source.baseUrl ?? source.instance ?? 'https://mastodon.social';
  const token = secretOptional(source, 'token') ? await requireSecret(ctx, 'token') : undefined;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const extra: Record<string, string> = { ...(ctx.cursor?.extra ?? {}) };
  const lookbackStartMs = ctx.now.getTime() - source.lookbackHours * 3_600_000;
  let newestMs = ctx.cursor ? Date.parse(ctx.cursor.watermark) : -Infinity;

  /** Normalize one status; returns its id for min_id tracking (also for skipped ones, so paging moves on). */
  function handle(raw: unknown, minCreatedMs: number): string | undefined {
    const status = collector.parseItem(statusSchema, raw);
    if (!status) return undefined;
    const createdAtMs = Date.parse(status.created_at);
    if (status.reblog || createdAtMs < minCreatedMs) return status.id; // boosts repeat another post; old ones seen
    const text = [cleanText(status.spoiler_text), htmlToText(status.content)].filter(Boolean).join('\n\n');
    if (!text) {
      collector.drop(status.uri, createdAtMs);
      return status.id;
    }
    if (
      collector.offer({
        id: status.uri,
        url: status.url ?? status.uri,
        author: status.account.acct,
        text,
        createdAt: status.created_at,
        language: status.language ?? undefined,
        engagement: {
          likes: num(status.favourites_count),
          shares: num(status.reblogs_count),
          replies: num(status.replies_count),
        },
        authorReach: num(status.account.followers_count),
      })
    )
      newestMs = Math.max(newestMs, createdAtMs);
    return status.id;
  }

  const hashtags = source.hashtags ?? defaultHashtags(ctx.brand.keywords);
  for (const tag of hashtags) {
    const key = `minId:${tag.toLowerCase()}`;
    let minId = extra[key];
    const path = `/api/v1/timelines/tag/${encodeURIComponent(tag)}`;
    for (let page = 0; page < source.maxPages; page++) {
      // First poll: newest page, then older with max_id until the lookback start. Later: forward from min_id.
      const query = minId ? { limit: 40, min_id: minId } : { limit: 40, max_id: extra[`${key}:maxId`] };
      const body = parsePage(
        timelineSchema,
        (await ctx.http.getJson(buildUrl(base, path, query), { headers })).body,
        `Mastodon ${path}`,
      );
      if (body.length === 0) break;
      let pageMax: string | undefined;
      let pageMin: string | undefined;
      let oldestMs = Infinity;
      for (const raw of body) {
        // Defensive: a server (or replay) that ignores min_id must not make us hand the same statuses on again.
        const rawId = (raw as { id?: unknown }).id;
        if (minId && typeof rawId === 'string' && /^\d+$/.test(rawId) && BigInt(rawId) <= BigInt(minId)) continue;
        const id = handle(raw, minId ? -Infinity : lookbackStartMs);
        if (id === undefined) continue;
        pageMax = maxId(pageMax, id);
        pageMin = pageMin === undefined || BigInt(id) < BigInt(pageMin) ? id : pageMin;
        const createdAtMs = Date.parse((raw as { created_at?: string }).created_at ?? '');
        if (!Number.isNaN(createdAtMs)) oldestMs = Math.min(oldestMs, createdAtMs);
      }
      if (minId) {
        if (pageMax === undefined) break;
        minId = extra[key] = maxId(minId, pageMax);
      } else {
        if (pageMax !== undefined) extra[`${key}:first`] = maxId(extra[`${key}:first`], pageMax);
        if (oldestMs < lookbackStartMs || pageMin === undefined) break;
        extra[`${key}:maxId`] = pageMin;
      }
    }
    if (!minId) {
      // The first pass is done (or capped): from now on read forward from the newest status seen.
      if (extra[`${key}:first`]) extra[key] = extra[`${key}:first`];
      delete extra[`${key}:first`];
      delete extra[`${key}:maxId`];
    }
  }

  if (token) {
    const q = searchTerms(source, ctx.brand).join(' ');
    const body = parsePage(
      searchSchema,
      (await ctx.http.getJson(buildUrl(base, '/api/v2/search', { q, type: 'statuses', limit: 40 }), { headers })).body,
      'Mastodon /api/v2/search',
    );
    const searchMin = extra['search:minId'];
    let newest = searchMin;
    for (const raw of body.statuses) {
      const id = (raw as { id?: unknown }).id;
      if (typeof id === 'string' && /^\d+$/.test(id)) {
        if (searchMin && BigInt(id) <= BigInt(searchMin)) continue;
        newest = maxId(newest, id);
      }
      handle(raw, searchMin ? -Infinity : lookbackStartMs);
    }
    if (newest) extra['search:minId'] = newest;
  }

  const next: SourceCursor = {
    sourceId: source.id,
    watermark: new Date(Number.isFinite(newestMs) ? newestMs : lookbackStartMs).toISOString(),
    seenIds: [],
    extra,
    updatedAt: ctx.now.toISOString(),
  };
  return collector.result(next);
}

export const mastodonAdapter: SourceAdapter = {
  kind: 'mastodon',
  needs:
    'nothing for hashtag timelines on instances with public previews; keyword search needs a user token (tokenEnv/tokenSecret) on a server with full-text search',
  poll,
};

import * as z from 'zod/mini';
import '../../core/zod-locale';
import type { SourceConfigOf } from '../../config/schema';
import { buildUrl, HttpError } from '../http';
import { brandMatcher } from '../match';
import { cleanText, htmlToText, joinTitleAndBody } from '../text';
import type { PollContext, PollResult, SourceAdapter } from '../types';
import { PollCollector, num, parsePage, quoteTerm, requireSecret, searchTerms } from './common';

/**
 * YouTube Data API v3 with an API key. search.list has its own quota of 100 calls a day, so each poll spends ONE
 * search call on videos published since the last search; videos that name the brand become mentions and are
 * tracked (newest `maxVideos`), and their comments are read with commentThreads order=time (1 unit each) until
 * older than the watermark. Comments on a tracked brand video are about the brand by context.
 */

const searchSchema = z.looseObject({
  items: z._default(z.array(z.unknown()), []),
  nextPageToken: z.optional(z.string()),
});

const videoSchema = z.looseObject({
  id: z.looseObject({ videoId: z.string() }),
  snippet: z.looseObject({
    publishedAt: z.string(),
    channelTitle: z.optional(z.string()),
    title: z.optional(z.string()),
    description: z.optional(z.string()),
  }),
});

const threadSchema = z.looseObject({
  snippet: z.looseObject({
    videoId: z.optional(z.string()),
    totalReplyCount: z.optional(z.number()),
    topLevelComment: z.looseObject({
      id: z.string(),
      snippet: z.looseObject({
        textDisplay: z.optional(z.string()),
        textOriginal: z.optional(z.string()),
        authorDisplayName: z.optional(z.string()),
        likeCount: z.optional(z.number()),
        publishedAt: z.string(),
      }),
    }),
  }),
});

/** The `reason` of a Google API error body (`quotaExceeded`, `commentsDisabled`, ...). */
function reason(error: HttpError): string | undefined {
  try {
    const body = JSON.parse(error.body ?? '') as { error?: { errors?: { reason?: string }[] } };
    return body.error?.errors?.[0]?.reason;
  } catch {
    return undefined;
  }
}

async function poll(ctx: PollContext): Promise<PollResult> {
  const source = ctx.source as SourceConfigOf<'youtube'>;
  const collector = new PollCollector(ctx);
  const { window } = collector;
  const base = source.baseUrl ?? 'https://www.googleapis.com';
  const key = await requireSecret(ctx, 'apiKey');
  const extra: Record<string, string> = { ...(ctx.cursor?.extra ?? {}) };
  const tracked: string[] = extra.videos ? extra.videos.split(',').filter(Boolean) : [];

  async function get(path: string, query: Record<string, string | number | undefined>) {
    try {
      return (await ctx.http.getJson(buildUrl(base, `/youtube/v3/${path}`, { ...query, key }))).body;
    } catch (error) {
      if (error instanceof HttpError && error.status === 403 && reason(error) === 'quotaExceeded') {
        throw new Error(
          'YouTube quota exceeded (search.list: 100 calls/day; 10,000 units/day); it resets at midnight Pacific',
        );
      }
      throw error;
    }
  }

  // 1. New videos naming the brand: one search call per poll.
  const publishedAfter = extra.videosSince ?? window.sinceIso;
  const search = parsePage(
    searchSchema,
    await get('search', {
      part: 'snippet',
      q: searchTerms(source, ctx.brand).map(quoteTerm).join('|'),
      type: 'video',
      order: 'date',
      publishedAfter,
      channelId: source.channelId,
      maxResults: Math.min(50, source.maxVideos),
    }),
    'YouTube search.list',
  );
  let newestVideoMs = Date.parse(publishedAfter);
  const matcher = brandMatcher(ctx.brand);
  const fresh: string[] = [];
  for (const raw of search.items) {
    const video = collector.parseItem(videoSchema, raw);
    if (!video) continue;
    const { snippet } = video;
    const title = htmlToText(snippet.title);
    const description = htmlToText(snippet.description);
    newestVideoMs = Math.max(newestVideoMs, Date.parse(snippet.publishedAt) || 0);
    const isNew = collector.offer({
      id: `video:${video.id.videoId}`,
      url: `https://www.youtube.com/watch?v=${video.id.videoId}`,
      author: snippet.channelTitle,
      title: title || undefined,
      text: joinTitleAndBody(title, description),
      createdAt: snippet.publishedAt,
    });
    if (isNew && matcher.match(`${title}\n${description}`).relevant) fresh.push(video.id.videoId);
  }
  extra.videosSince = new Date(newestVideoMs).toISOString();
  const videos = [...new Set([...fresh, ...tracked])].slice(0, source.maxVideos);

  // 2. New comments on tracked videos, newest first.
  const keep: string[] = [];
  for (const videoId of videos) {
    let pageToken: string | undefined;
    let reachedEnd = false;
    let oldestMs: number | undefined;
    let gone = false;
    for (let page = 0; page < source.maxPages; page++) {
      let body: unknown;
      try {
        body = await get('commentThreads', {
          part: 'snippet',
          videoId,
          order: 'time',
          maxResults: 100,
          textFormat: 'plainText',
          pageToken,
        });
      } catch (error) {
        if (error instanceof HttpError && (error.status === 403 || error.status === 404)) {
          // commentsDisabled / videoNotFound: nothing to read there, stop tracking it.
          gone = true;
          reachedEnd = true;
          break;
        }
        throw error;
      }
      const threads = parsePage(searchSchema, body, 'YouTube commentThreads.list');
      let olderThanWatermark = false;
      for (const raw of threads.items) {
        const thread = collector.parseItem(threadSchema, raw);
        if (!thread) continue;
        const comment = thread.snippet.topLevelComment;
        const createdAtMs = Date.parse(comment.snippet.publishedAt);
        oldestMs = Math.min(oldestMs ?? createdAtMs, createdAtMs);
        if (window.isOlderThanWatermark(createdAtMs)) {
          olderThanWatermark = true;
          continue;
        }
        const text = comment.snippet.textOriginal
          ? cleanText(comment.snippet.textOriginal)
          : htmlToText(comment.snippet.textDisplay);
        if (!text) {
          collector.drop(comment.id, createdAtMs);
          continue;
        }
        collector.offer(
          {
            id: comment.id,
            url: `https://www.youtube.com/watch?v=${videoId}&lc=${comment.id}`,
            author: comment.snippet.authorDisplayName,
            text,
            createdAt: comment.snippet.publishedAt,
            engagement: { likes: num(comment.snippet.likeCount), replies: num(thread.snippet.totalReplyCount) },
          },
          { relevant: true },
        );
      }
      pageToken = threads.nextPageToken;
      if (olderThanWatermark || !pageToken || threads.items.length === 0) {
        reachedEnd = true;
        break;
      }
    }
    if (!gone) keep.push(videoId);
    if (!reachedEnd) collector.stoppedEarly(oldestMs);
  }
  extra.videos = keep.join(',');
  return collector.finish(extra);
}

export const youtubeAdapter: SourceAdapter = {
  kind: 'youtube',
  needs:
    'a YouTube Data API v3 key (apiKeyEnv/apiKeySecret); quota 10,000 units/day and 100 search calls/day: schedule ≥ every 15 minutes',
  poll,
};

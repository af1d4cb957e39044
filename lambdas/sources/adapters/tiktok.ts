import * as z from 'zod/mini';
import '../../core/zod-locale';
import type { SourceConfigOf } from '../../config/schema';
import type { BrandReply, Mention } from '../../core/mention';
import { buildUrl } from '../http';
import { cleanText } from '../text';
import type { PollContext, PollResult, SourceAdapter } from '../types';
import { PollCollector, SourceConfigError, num, parsePage, requireSecret, secretOptional, stateFor } from './common';

/**
 * The brand's own TikTok Business account through the Business API v1.3 (SOURCES-VN §6), header `Access-Token`.
 *
 * Each poll lists the account's recent videos (`business/video/list/`, newest first, those of the last
 * `recentVideoDays`, at most `maxVideos`), then each video's comments with replies (`business/comment/list/`,
 * `sort_field=create_time&sort_order=desc`, cursor paging) until they are older than the watermark. New comments
 * land on old videos, so every poll re-reads the recent ones. The account's own comments are its answers: kept as
 * the reply of the comment they answer (when `username` is configured), never mentions.
 *
 * Envelope `{code, message, request_id, data}`: `code != 0` is an error. Access tokens last a day: with a refresh
 * token and the app's secret the adapter refreshes (`tt_user/oauth2/refresh_token/`) when the token is missing or
 * refused (40102/40104/40105) and keeps the new one in memory for the process, never in the cursor. A refused
 * refresh is a config error. 40100 (requests too frequent) or HTTP 429 fails the poll with the cursor unchanged.
 */

const API = '/open_api/v1.3';
const TOKEN_CODES = new Set([40102, 40104, 40105]);
const THROTTLE_CODES = new Set([40100, 40133]);
/** Refresh a cached token this long before TikTok says it expires. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

const envelopeSchema = z.looseObject({
  code: z.number(),
  message: z.optional(z.string()),
  data: z.optional(z.unknown()),
});

const paging = {
  cursor: z.optional(z.union([z.number(), z.string()])),
  has_more: z._default(z.boolean(), false),
};
const videoListSchema = z.looseObject({ videos: z._default(z.array(z.unknown()), []), ...paging });
const commentListSchema = z.looseObject({ comments: z._default(z.array(z.unknown()), []), ...paging });

const seconds = z.pipe(z.union([z.number(), z.string().check(z.regex(/^\d+$/))]), z.transform(Number));

const videoSchema = z.looseObject({
  item_id: z.string().check(z.minLength(1)),
  create_time: seconds,
  caption: z.optional(z.string()),
  share_url: z.optional(z.string()),
});

const commentSchema = z.looseObject({
  comment_id: z.string().check(z.minLength(1)),
  video_id: z.optional(z.string()),
  create_time: seconds,
  text: z.optional(z.string()),
  likes: z.optional(z.number()),
  replies: z.optional(z.number()),
  username: z.optional(z.string()),
  parent_comment_id: z.optional(z.string()),
  status: z.optional(z.string()),
});

const tokenSchema = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  expires_in: z.optional(z.number()),
  refresh_token: z.optional(z.string()),
});

interface CachedToken {
  token: string;
  expiresAtMs: number;
  refreshToken?: string;
}

class TikTokError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

async function poll(ctx: PollContext): Promise<PollResult> {
  const source = ctx.source as SourceConfigOf<'tiktok'>;
  const collector = new PollCollector(ctx);
  const { window } = collector;
  const base = source.baseUrl ?? 'https://business-api.tiktok.com';
  const cache = stateFor<CachedToken>(ctx, 'token');
  const canRefresh = secretOptional(source, 'refreshToken') && secretOptional(source, 'appSecret');
  const nowMs = ctx.now.getTime();

  async function refresh(): Promise<string> {
    if (!canRefresh) {
      throw new SourceConfigError(
        'TikTok access token refused or expired and no refresh is configured (refreshTokenEnv/…Secret and appSecretEnv/…Secret)',
      );
    }
    const refreshToken = cache.get()?.refreshToken ?? (await requireSecret(ctx, 'refreshToken'));
    ctx.http.addSecret(refreshToken);
    const appSecret = await requireSecret(ctx, 'appSecret');
    const response = await ctx.http.postJson(buildUrl(base, `${API}/tt_user/oauth2/refresh_token/`), {
      client_id: source.appId,
      client_secret: appSecret,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });
    const body = parsePage(envelopeSchema, response.body, 'TikTok refresh_token');
    if (body.code !== 0) {
      cache.set(undefined);
      throw new SourceConfigError(
        `TikTok refused the refresh token (code ${body.code}: ${(body.message ?? '').slice(0, 120)}): authorise the account again`,
      );
    }
    const data = parsePage(tokenSchema, body.data, 'TikTok refresh_token data');
    ctx.http.addSecret(data.access_token);
    ctx.http.addSecret(data.refresh_token);
    cache.set({
      token: data.access_token,
      expiresAtMs: nowMs + (data.expires_in ?? 86_400) * 1000 - EXPIRY_MARGIN_MS,
      refreshToken: data.refresh_token ?? refreshToken,
    });
    return data.access_token;
  }

  async function currentToken(): Promise<string> {
    const cached = cache.get();
    if (cached && cached.expiresAtMs > nowMs) {
      ctx.http.addSecret(cached.token);
      return cached.token;
    }
    if (!cached && secretOptional(source, 'accessToken')) return requireSecret(ctx, 'accessToken');
    return refresh();
  }

  let token = await currentToken();
  let refreshed = false;

  async function get(path: string, query: Record<string, string | number | boolean | undefined>): Promise<unknown> {
    for (;;) {
      const response = await ctx.http.getJson(buildUrl(base, `${API}/${path}`, query), {
        headers: { 'Access-Token': token },
      });
      const body = parsePage(envelopeSchema, response.body, `TikTok ${path}`);
      if (body.code === 0) return body.data;
      if (TOKEN_CODES.has(body.code) && !refreshed) {
        refreshed = true;
        token = await refresh();
        continue;
      }
      if (TOKEN_CODES.has(body.code)) {
        throw new SourceConfigError(`TikTok access token refused (code ${body.code}) even after a refresh`);
      }
      if (THROTTLE_CODES.has(body.code)) {
        throw new TikTokError(body.code, `TikTok throttled this app (code ${body.code}): the next poll retries`);
      }
      throw new TikTokError(body.code, `TikTok error ${body.code}: ${(body.message ?? '').slice(0, 160)}`);
    }
  }

  // 1. Recent videos, newest first.
  const videos: { id: string; url?: string }[] = [];
  const videosSince = nowMs - source.recentVideoDays * 86_400_000;
  let videoCursor: string | number | undefined;
  for (let page = 0; page < source.maxPages && videos.length < source.maxVideos; page++) {
    const data = parsePage(
      videoListSchema,
      await get('business/video/list/', {
        business_id: source.businessId,
        fields: JSON.stringify(['item_id', 'create_time', 'caption', 'share_url']),
        max_count: 20,
        cursor: videoCursor,
      }),
      'TikTok video list',
    );
    let older = false;
    for (const raw of data.videos) {
      const video = videoSchema.safeParse(raw);
      if (!video.success) continue;
      if (video.data.create_time * 1000 < videosSince) {
        older = true;
        continue;
      }
      if (videos.length < source.maxVideos) videos.push({ id: video.data.item_id, url: video.data.share_url });
    }
    videoCursor = data.cursor;
    if (older || !data.has_more || data.videos.length === 0) break;
  }

  // 2. Each video's comments and replies, newest first, down to the watermark.
  const mentionsById = new Map<string, Mention>();
  const answers: { parentId: string; text: string; createdAt: string }[] = [];
  const own = source.username?.replace(/^@/, '').toLowerCase();
  for (const video of videos) {
    let cursor: string | number | undefined;
    await collector.paginate(source.maxPages, async (_page, seen) => {
      const data = parsePage(
        commentListSchema,
        await get('business/comment/list/', {
          business_id: source.businessId,
          video_id: video.id,
          include_replies: true,
          status: 'PUBLIC',
          sort_field: 'create_time',
          sort_order: 'desc',
          cursor,
          max_count: 30,
        }),
        'TikTok comment list',
      );
      let older = false;
      for (const raw of data.comments) {
        const comment = collector.parseItem(commentSchema, raw);
        if (!comment) continue;
        const createdMs = comment.create_time * 1000;
        seen(createdMs);
        if (window.isOlderThanWatermark(createdMs)) {
          older = true;
          continue;
        }
        const text = cleanText(comment.text);
        const createdAt = new Date(createdMs).toISOString();
        if (own && comment.username?.toLowerCase() === own) {
          if (comment.parent_comment_id && text) answers.push({ parentId: comment.parent_comment_id, text, createdAt });
          continue;
        }
        if ((comment.status && comment.status !== 'PUBLIC') || !text) {
          collector.drop(comment.comment_id, createdMs);
          continue;
        }
        const isNew = collector.offer(
          {
            id: comment.comment_id,
            url: video.url ?? `https://www.tiktok.com/video/${video.id}`,
            author: comment.username,
            text,
            createdAt,
            engagement: { likes: num(comment.likes), replies: num(comment.replies) },
          },
          { relevant: true },
        );
        if (isNew) mentionsById.set(comment.comment_id, collector.mentions[collector.mentions.length - 1]);
      }
      cursor = data.cursor;
      return older || !data.has_more || data.comments.length === 0;
    });
  }
  const latest = new Map<string, BrandReply>();
  for (const answer of answers) {
    const mention = mentionsById.get(answer.parentId);
    if (mention && (!mention.reply || (mention.reply.createdAt ?? '') < answer.createdAt)) {
      mention.reply = { text: answer.text, createdAt: answer.createdAt };
    }
    // An answer to a comment handed on by an earlier poll goes to the stored mention (the latest answer wins).
    if (!mention && (latest.get(answer.parentId)?.createdAt ?? '') < answer.createdAt) {
      latest.set(answer.parentId, { text: answer.text, createdAt: answer.createdAt });
    }
  }
  for (const [parentId, reply] of latest) collector.reply(parentId, reply);
  return collector.finish();
}

export const tiktokAdapter: SourceAdapter = {
  kind: 'tiktok',
  needs:
    'the Business account id (businessId), the app id (appId) and an access token (accessTokenEnv/…Secret, scope comment.list + video.list); for refresh (tokens last a day) a refresh token (refreshTokenEnv/…Secret) and the app secret (appSecretEnv/…Secret)',
  poll,
};

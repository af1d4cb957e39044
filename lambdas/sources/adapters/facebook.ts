import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import '../../core/zod-locale';
import type { BrandConfig, SourceConfigOf } from '../../config/schema';
import type { BrandReply, Mention } from '../../core/mention';
import { buildUrl, HttpError } from '../http';
import { cleanText } from '../text';
import type { PollContext, PollResult, SourceAdapter } from '../types';
import { PollCollector, SourceConfigError, num, parsePage, requireSecret, secretOptional } from './common';
import { headerValue, type PushResult } from './push';

/**
 * The brand's own Facebook Page through the Graph API with a Page access token (SOURCES-VN §1).
 *
 * Poll: the Page's posts of the last `recentPostDays` (`feed` includes visitor posts: a post whose `from.id` is not
 * the Page is a customer's and becomes a mention), then each post's comments and replies (`filter=stream`) since
 * the watermark. Every poll re-reads the recent posts because new comments land on old posts. Ranked comments may
 * ignore `order`, so comment paging never stops on time: `since=` bounds it server-side and the cursor window
 * dedupes. The Page's own comments are its replies: attached to the comment they answer, never mentions.
 *
 * Rate limits: `X-App-Usage` and `X-Business-Use-Case-Usage` report percentages; above 80% the poll slows down and
 * stops after the post it is on; when throttled (codes 4, 17, 32, 613, 80001 or a regain time) the source pauses
 * until `estimated_time_to_regain_access` (kept in the cursor). Error 190 (token invalid or expired) is a config
 * error shown in health, never retried in a loop.
 *
 * Push: Page webhooks (`feed` field) on `POST /ingest/{sourceId}`, verified with X-Hub-Signature-256; the GET
 * handshake answers `hub.challenge` when `hub.verify_token` matches. Comment ids are the same Graph ids in both
 * paths, so a comment pushed and later polled is stored once.
 */

const SLOW_DOWN_PERCENT = 80;
const SLOW_DOWN_SLEEP_MS = 2_000;
/** Pause when throttled without a regain estimate. */
const DEFAULT_PAUSE_MINUTES = 15;
const THROTTLE_CODES = new Set([4, 17, 32, 613, 80001]);
const PERMISSION_CODES = new Set([10, 100]);

const COMMENT_FIELDS =
  'id,message,created_time,from{id,name},like_count,comment_count,permalink_url,parent{id},is_hidden';
const POST_FIELDS = 'id,message,created_time,from{id,name},permalink_url';

const pageSchema = z.looseObject({
  data: z.array(z.unknown()),
  paging: z.optional(
    z.looseObject({
      next: z.optional(z.string()),
      cursors: z.optional(z.looseObject({ after: z.optional(z.string()) })),
    }),
  ),
});

const fromSchema = z.looseObject({ id: z.string(), name: z.optional(z.string()) });

const postSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  message: z.optional(z.string()),
  created_time: z.string(),
  from: z.optional(fromSchema),
  permalink_url: z.optional(z.string()),
});

const commentSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  message: z.optional(z.string()),
  created_time: z.string(),
  from: z.optional(fromSchema),
  like_count: z.optional(z.number()),
  comment_count: z.optional(z.number()),
  permalink_url: z.optional(z.string()),
  parent: z.optional(z.looseObject({ id: z.string() })),
  is_hidden: z.optional(z.boolean()),
});

/** Graph times are `2021-07-23T08:35:18+0000` (no colon in the offset). */
export function parseGraphTime(value: string): number {
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

interface GraphError {
  code?: number;
  subcode?: number;
  message?: string;
}

function graphError(error: HttpError): GraphError | undefined {
  try {
    const body = JSON.parse(error.body ?? '') as {
      error?: { code?: unknown; error_subcode?: unknown; message?: unknown };
    };
    if (!body.error) return undefined;
    return {
      code: num(body.error.code),
      subcode: num(body.error.error_subcode),
      message: typeof body.error.message === 'string' ? body.error.message.slice(0, 200) : undefined,
    };
  } catch {
    return undefined;
  }
}

/** The highest usage percentage and the longest regain time (minutes) in the usage headers. */
export function readUsage(headers: Headers): { percent: number; regainMinutes: number } {
  let percent = 0;
  let regainMinutes = 0;
  const take = (entry: unknown) => {
    if (!entry || typeof entry !== 'object') return;
    const record = entry as Record<string, unknown>;
    for (const key of ['call_count', 'total_time', 'total_cputime']) percent = Math.max(percent, num(record[key]) ?? 0);
    regainMinutes = Math.max(regainMinutes, num(record.estimated_time_to_regain_access) ?? 0);
  };
  for (const name of ['x-app-usage', 'x-page-usage', 'x-business-use-case-usage']) {
    const raw = headers.get(name);
    if (!raw) continue;
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (name === 'x-business-use-case-usage' && parsed && typeof parsed === 'object') {
        for (const list of Object.values(parsed as Record<string, unknown>)) {
          if (Array.isArray(list)) list.forEach(take);
        }
      } else {
        take(parsed);
      }
    } catch {
      // An unreadable usage header is not a reason to fail the poll.
    }
  }
  return { percent, regainMinutes };
}

class Throttled extends Error {
  constructor(readonly minutes: number) {
    super(`Facebook throttled this app (retry in ${minutes} min)`);
  }
}

/** `appsecret_proof`: hex HMAC-SHA256 of the access token keyed by the app secret. */
export function appSecretProof(accessToken: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(accessToken).digest('hex');
}

async function poll(ctx: PollContext): Promise<PollResult> {
  const source = ctx.source as SourceConfigOf<'facebook'>;
  const collector = new PollCollector(ctx);
  const { window } = collector;
  const extra: Record<string, string> = { ...(ctx.cursor?.extra ?? {}) };
  const nowMs = ctx.now.getTime();
  if (extra.pausedUntil && Date.parse(extra.pausedUntil) > nowMs) {
    throw new Error(`Facebook throttled this app: paused until ${extra.pausedUntil} (estimated_time_to_regain_access)`);
  }
  delete extra.pausedUntil;
  const base = `${(source.baseUrl ?? 'https://graph.facebook.com').replace(/\/+$/, '')}/${source.apiVersion}`;
  const token = await requireSecret(ctx, 'accessToken');
  const proof = secretOptional(source, 'appSecret')
    ? appSecretProof(token, await requireSecret(ctx, 'appSecret'))
    : undefined;
  // Derived from the token and the app secret, so as secret as they are: scrubbed from every message.
  ctx.http.addSecret(proof);
  let slowDown = false;

  async function graph(path: string, query: Record<string, string | number | undefined>): Promise<unknown> {
    if (slowDown) await ctx.http.sleep(SLOW_DOWN_SLEEP_MS);
    try {
      const response = await ctx.http.getJson(
        buildUrl(base, path, { ...query, access_token: token, appsecret_proof: proof }),
      );
      const usage = readUsage(response.headers);
      if (usage.regainMinutes > 0 || usage.percent >= 100) {
        throw new Throttled(Math.max(1, usage.regainMinutes || DEFAULT_PAUSE_MINUTES));
      }
      if (usage.percent >= SLOW_DOWN_PERCENT) slowDown = true;
      return response.body;
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      const detail = graphError(error);
      if (detail?.code === 190) {
        const why =
          detail.subcode === 463 ? 'expired' : detail.subcode === 460 ? 'invalidated (password changed)' : 'invalid';
        throw new SourceConfigError(
          `Facebook access token ${why} (error 190${detail.subcode ? `/${detail.subcode}` : ''}): issue a new Page access token for page ${source.pageId}`,
        );
      }
      if (detail?.code !== undefined && THROTTLE_CODES.has(detail.code)) {
        throw new Throttled(error.retryAfterSeconds ? Math.ceil(error.retryAfterSeconds / 60) : DEFAULT_PAUSE_MINUTES);
      }
      if (
        detail?.code !== undefined &&
        (PERMISSION_CODES.has(detail.code) || (detail.code >= 200 && detail.code < 300))
      ) {
        throw new SourceConfigError(
          `Facebook permission error ${detail.code}: ${detail.message ?? 'missing permission'} (the token needs pages_read_engagement and pages_read_user_content)`,
        );
      }
      if (error.kind === 'rate_limited')
        throw new Throttled(Math.max(1, Math.ceil((error.retryAfterSeconds ?? 900) / 60)));
      throw error;
    }
  }

  const sinceUnix = Math.floor(window.sinceMs / 1000);
  const postsSince = Math.floor((nowMs - source.recentPostDays * 86_400_000) / 1000);
  const mentionsById = new Map<string, Mention>();
  const replies: { parentId: string; text: string; createdAt: string }[] = [];
  try {
    // 1. Recent posts (time-paged: paging.next carries until= and __paging_token=).
    const posts: { id: string; createdMs: number }[] = [];
    let postQuery: Record<string, string | number | undefined> = {
      fields: POST_FIELDS,
      limit: Math.min(100, source.maxPosts),
      since: postsSince,
    };
    for (let page = 0; page < source.maxPages && posts.length < source.maxPosts; page++) {
      const body = parsePage(pageSchema, await graph(`/${source.pageId}/${source.edge}`, postQuery), 'Facebook posts');
      for (const raw of body.data) {
        const post = collector.parseItem(postSchema, raw);
        if (!post) continue;
        const createdMs = parseGraphTime(post.created_time);
        if (Number.isNaN(createdMs)) {
          collector.skipped++;
          continue;
        }
        posts.push({ id: post.id, createdMs });
        // A visitor's post is a customer speaking; the Page's own posts are only where comments live.
        if (post.from && post.from.id !== source.pageId) {
          const text = cleanText(post.message);
          if (!text) {
            collector.drop(post.id, createdMs);
            continue;
          }
          collector.offer(
            {
              id: post.id,
              url: post.permalink_url ?? `https://www.facebook.com/${post.id}`,
              author: post.from.name,
              text,
              createdAt: new Date(createdMs).toISOString(),
            },
            { relevant: true },
          );
        }
      }
      const next = body.paging?.next ? new URL(body.paging.next) : undefined;
      if (!next || body.data.length === 0 || !next.searchParams.get('until')) break;
      postQuery = {
        ...postQuery,
        until: next.searchParams.get('until') ?? undefined,
        __paging_token: next.searchParams.get('__paging_token') ?? undefined,
      };
    }

    // 2. Comments and replies on each recent post, newest posts first.
    posts.sort((a, b) => b.createdMs - a.createdMs);
    for (const post of posts.slice(0, source.maxPosts)) {
      if (slowDown && mentionsById.size + replies.length > 0) {
        collector.stoppedEarly(undefined);
        break;
      }
      let after: string | undefined;
      let done = false;
      for (let page = 0; page < source.maxPages; page++) {
        const body = parsePage(
          pageSchema,
          await graph(`/${post.id}/comments`, {
            filter: 'stream',
            order: 'reverse_chronological',
            since: sinceUnix,
            limit: 100,
            summary: 1,
            fields: COMMENT_FIELDS,
            after,
          }),
          'Facebook comments',
        );
        for (const raw of body.data) {
          const comment = collector.parseItem(commentSchema, raw);
          if (!comment) continue;
          const createdMs = parseGraphTime(comment.created_time);
          const text = cleanText(comment.message);
          if (comment.from?.id === source.pageId) {
            // The Page answering: kept as the reply of the comment it answers.
            if (comment.parent && text)
              replies.push({ parentId: comment.parent.id, text, createdAt: new Date(createdMs).toISOString() });
            continue;
          }
          if (comment.is_hidden || !text) {
            collector.drop(comment.id, createdMs);
            continue;
          }
          const isNew = collector.offer(
            {
              id: comment.id,
              url: comment.permalink_url ?? `https://www.facebook.com/${comment.id}`,
              author: comment.from?.name,
              text,
              createdAt: Number.isNaN(createdMs) ? comment.created_time : new Date(createdMs).toISOString(),
              engagement: { likes: num(comment.like_count), replies: num(comment.comment_count) },
            },
            { relevant: true },
          );
          if (isNew) mentionsById.set(comment.id, collector.mentions[collector.mentions.length - 1]);
        }
        after = body.paging?.next ? body.paging.cursors?.after : undefined;
        if (!after || body.data.length === 0) {
          done = true;
          break;
        }
      }
      if (!done) collector.stoppedEarly(undefined);
    }
  } catch (error) {
    if (!(error instanceof Throttled)) throw error;
    // Keep what was read; pause the source until Facebook says it can be called again.
    collector.stoppedEarly(undefined);
    extra.pausedUntil = new Date(nowMs + error.minutes * 60_000).toISOString();
  }
  const latest = new Map<string, BrandReply>();
  for (const reply of replies) {
    const mention = mentionsById.get(reply.parentId);
    if (mention && (!mention.reply || (mention.reply.createdAt ?? '') < reply.createdAt)) {
      mention.reply = { text: reply.text, createdAt: reply.createdAt };
    }
    // An answer to a comment handed on by an earlier poll goes to the stored mention (the latest answer wins).
    if (!mention && (latest.get(reply.parentId)?.createdAt ?? '') < reply.createdAt) {
      latest.set(reply.parentId, { text: reply.text, createdAt: reply.createdAt });
    }
  }
  for (const [parentId, reply] of latest) collector.reply(parentId, reply);
  return collector.finish(extra);
}

export const facebookAdapter: SourceAdapter = {
  kind: 'facebook',
  needs:
    'the brand Page id and a Page access token (accessTokenEnv/accessTokenSecret) with pages_read_engagement + pages_read_user_content; for webhooks the app secret (appSecretEnv/…Secret) and a verify token (verifyTokenEnv/…Secret)',
  poll,
};

// ---------------------------------------------------------------------------------------------------------------
// Push: Page webhooks

export const FACEBOOK_SIGNATURE_HEADER = 'x-hub-signature-256';

/** The signature Facebook puts in X-Hub-Signature-256. */
export function signFacebookBody(rawBody: string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody, 'utf8').digest('hex')}`;
}

/** The GET handshake: answer `hub.challenge` when the mode is subscribe and the token matches, else 403. */
export function answerFacebookHandshake(
  query: Record<string, string | undefined>,
  verifyToken: string,
): { status: 200 | 403; body: string } {
  const given = Buffer.from(query['hub.verify_token'] ?? '');
  const expected = Buffer.from(verifyToken);
  const tokenOk = given.length === expected.length && timingSafeEqual(given, expected);
  const challenge = query['hub.challenge'];
  if (query['hub.mode'] !== 'subscribe' || !tokenOk || !challenge || !/^[\w.-]{1,256}$/.test(challenge)) {
    return { status: 403, body: 'verification failed' };
  }
  return { status: 200, body: challenge };
}

const changeValueSchema = z.looseObject({
  item: z.string(),
  verb: z.string(),
  comment_id: z.optional(z.string()),
  post_id: z.optional(z.string()),
  parent_id: z.optional(z.string()),
  message: z.optional(z.string()),
  from: z.optional(fromSchema),
  created_time: z.union([z.number(), z.string()]),
});

const deliverySchema = z.looseObject({
  object: z.literal('page'),
  entry: z.array(
    z.looseObject({
      id: z.string(),
      time: z.optional(z.number()),
      changes: z._default(z.array(z.looseObject({ field: z.string(), value: z.unknown() })), []),
    }),
  ),
});

/**
 * One Page webhook delivery: signature checked over the raw body, then `feed` changes that add a comment or a
 * visitor post become mentions (`created_time` is Unix seconds here). Other verbs (edited, remove), other pages'
 * entries and the Page's own comments are acknowledged and ignored, so Facebook does not retry them.
 */
export function parseFacebookDelivery(
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
  appSecret: string,
  source: SourceConfigOf<'facebook'>,
  brand: BrandConfig,
): PushResult {
  const signature = headerValue(headers, FACEBOOK_SIGNATURE_HEADER);
  if (!signature) return { ok: false, status: 401, error: `missing ${FACEBOOK_SIGNATURE_HEADER} header` };
  const expected = Buffer.from(signFacebookBody(rawBody, appSecret));
  const given = Buffer.from(signature.trim());
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, status: 401, error: 'bad signature' };
  }
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, status: 400, error: 'body is not valid JSON' };
  }
  const parsed = deliverySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, status: 400, error: `invalid delivery: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  const mentions: Mention[] = [];
  let ignored = 0;
  for (const entry of parsed.data.entry) {
    if (entry.id !== source.pageId) {
      ignored += entry.changes.length;
      continue;
    }
    for (const change of entry.changes) {
      const value = changeValueSchema.safeParse(change.value);
      if (change.field !== 'feed' || !value.success || value.data.verb !== 'add') {
        ignored++;
        continue;
      }
      const v = value.data;
      const id = v.item === 'comment' ? v.comment_id : v.item === 'post' || v.item === 'status' ? v.post_id : undefined;
      const seconds = num(v.created_time);
      const text = cleanText(v.message);
      if (!id || seconds === undefined || !text || v.from?.id === source.pageId) {
        ignored++;
        continue;
      }
      mentions.push({
        id,
        sourceId: source.id,
        kind: 'facebook',
        brandId: brand.id,
        url: `https://www.facebook.com/${id}`,
        ...(v.from?.name ? { author: v.from.name } : {}),
        text,
        createdAt: new Date(seconds * 1000).toISOString(),
        visibility: 'public',
      });
    }
  }
  return { ok: true, mentions, ignored };
}

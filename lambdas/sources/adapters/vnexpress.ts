import Parser from 'rss-parser';
import * as z from 'zod/mini';
import '../../core/zod-locale';
import type { SourceConfigOf } from '../../config/schema';
import { buildUrl, HttpError } from '../http';
import { brandMatcher } from '../match';
import { cleanText, htmlToText } from '../text';
import type { PollContext, PollResult, SourceAdapter } from '../types';
import { PollCollector, SourceConfigError, num, parsePage } from './common';

/**
 * Comments under VnExpress articles (SOURCES-VN §9). FRAGILE: `usi-saas.vnexpress.net` and `gw.vnexpress.net` are
 * the endpoints vnexpress.net's own pages call, not a documented API; crawlers use them widely, but they can change
 * or start refusing without notice. Opt-in only (`acknowledgeFragile: true`).
 *
 * Articles: the configured `articleIds` (watched by choice: every comment under them is the brand's), and the
 * articles of the configured VnExpress RSS `feeds` whose title or summary names the brand, matched with and without
 * Vietnamese diacritics by the brand matcher. Feed articles are remembered in the cursor and re-read for
 * `recentArticleDays`, because comments keep coming after an article leaves the feed. Each article's comment type
 * comes from `ar/get_basic` once (kept in the cursor).
 *
 * Comments: `index/get` pages of 100 top-level comments (by likes: the order says nothing about age), each with the
 * first of its replies inline; a comment showing fewer replies than its count has them read from `index/getreplay`.
 * What is new is decided per article by comment id, which only grows: the cursor keeps each article's highest id
 * read and its comment counts. An article whose counts (`total`, `totalitem`) are what they were when it was last
 * read to its end is unchanged and costs one request; a deleted comment and a new one between two polls leave the
 * counts equal, so an article is read to its end again at least every 6 hours whatever its counts. An article not read to its end (`maxPages`, the
 * request budget) keeps its old highest id, so the next poll reads it again (the store keeps one copy of what comes
 * twice). The least recently read articles go first, so a budget that cannot cover all of them rotates.
 * Replies read from `getreplay` are not read again while their comment's reply count stays the same (the counts are
 * kept per article), so an article too big for one poll's budget is finished over the next ones.
 * `creation_time` is Unix seconds; a comment never read before is taken if younger than `lookbackHours` on an
 * article's first read. Empty (deleted) comments are skipped; an article the API no longer knows is dropped.
 */

const DEFAULT_COMMENTS = 'https://usi-saas.vnexpress.net';
const DEFAULT_ARTICLES = 'https://gw.vnexpress.net';
const SITE_ID = 1000000;
const PAGE_SIZE = 100;
/** Counts that have not moved are trusted this long; then the article is read to its end again. */
const FULL_READ_MS = 6 * 3_600_000;
/** Articles remembered in the cursor at most (the configured ones are always kept). */
const MAX_ARTICLES_KEPT = 200;

const parser = new Parser();

const idSchema = z.pipe(
  z.union([z.number().check(z.int(), z.nonnegative()), z.string().check(z.regex(/^\d+$/))]),
  z.transform(Number),
);
const seconds = z.pipe(z.union([z.number(), z.string().check(z.regex(/^\d+$/))]), z.transform(Number));

const commentSchema = z.looseObject({
  comment_id: idSchema,
  article_id: z.optional(idSchema),
  parent_id: z.nullish(idSchema),
  content: z.nullish(z.string()),
  full_name: z.nullish(z.string()),
  creation_time: seconds,
  userlike: z.nullish(z.number()),
  replys: z.nullish(z.looseObject({ total: z.nullish(z.number()), items: z.nullish(z.array(z.unknown())) })),
});

const listSchema = z.looseObject({
  total: z.nullish(z.number()),
  totalitem: z.nullish(z.number()),
  items: z.nullish(z.array(z.unknown())),
});

const envelopeSchema = z.looseObject({
  error: z.pipe(z.union([z.number(), z.string()]), z.transform(Number)),
  errorDescription: z.nullish(z.string()),
  // An article without comments answers `data: []` or `data: null`.
  data: z.optional(z.union([listSchema, z.array(z.unknown()).check(z.maxLength(0)), z.null()])),
});

const basicSchema = z.looseObject({
  article_id: z.optional(idSchema),
  title: z.nullish(z.string()),
  share_url: z.nullish(z.string()),
  article_type: z.pipe(z.union([z.number(), z.string().check(z.regex(/^\d+$/))]), z.transform(Number)),
  publish_time: z.nullish(z.number()),
});

const basicEnvelopeSchema = z.looseObject({
  code: z.optional(z.number()),
  data: z.optional(z.union([z.record(z.string(), z.unknown()), z.array(z.unknown()), z.null()])),
});

/** What the cursor remembers of one article. */
interface ArticleRecord {
  /** Article id. */
  id: string;
  /** Comment `objecttype` (from get_basic). */
  type?: number;
  /** Published (ms; 0 when unknown). */
  pub: number;
  /** Highest comment id read to the end of the article; 0 before its first complete read. */
  max: number;
  /** `total` and `totalitem` at that read, and when it was (ms). */
  t: number;
  ti: number;
  f?: number;
  /** Last read (ms). */
  read: number;
  /** Reply counts of comments whose replies were read from getreplay: unchanged counts are not read again. */
  rc?: Record<string, number>;
  /** From a feed: title and summary (what named the brand) and link. Absent for configured articles. */
  title?: string;
  url?: string;
}

interface Comment {
  id: number;
  parentId?: number;
  author?: string;
  text: string;
  createdMs: number;
  likes?: number;
  replies?: number;
  shownReplies: unknown[];
}

/** The article id in a VnExpress link: `…/bep-hong-xin-loi-4795123.html` → `4795123`. */
export function articleIdOf(link: string | undefined): string | undefined {
  const match = link ? /-(\d{5,})\.html(?:[?#].*)?$/.exec(link) : null;
  return match?.[1];
}

function readRecords(raw: string | undefined): Map<string, ArticleRecord> {
  if (!raw) return new Map();
  try {
    return new Map((JSON.parse(raw) as ArticleRecord[]).map((r) => [r.id, r]));
  } catch {
    return new Map();
  }
}

class Stop extends Error {}

async function poll(ctx: PollContext): Promise<PollResult> {
  const source = ctx.source as SourceConfigOf<'vnexpress'>;
  const collector = new PollCollector(ctx, false);
  const nowMs = ctx.now.getTime();
  const horizonMs = nowMs - source.lookbackHours * 3_600_000;
  const recentMs = nowMs - source.recentArticleDays * 86_400_000;
  const commentsBase = source.commentsUrl ?? source.baseUrl ?? DEFAULT_COMMENTS;
  const articlesBase = source.articlesUrl ?? source.baseUrl ?? DEFAULT_ARTICLES;
  const headers = {
    'user-agent': source.userAgent,
    referer: 'https://vnexpress.net/',
    origin: 'https://vnexpress.net',
    accept: 'application/json',
  };
  const previous = ctx.cursor;
  const records = readRecords(previous?.extra?.articles);
  const configured = new Set(source.articleIds);
  let requests = 0;

  async function get(url: string, accept?: string): Promise<string> {
    if (ctx.http.budgetLeft <= 0) throw new Stop();
    if (requests++ > 0 && source.delayMs > 0) await ctx.http.sleep(source.delayMs);
    try {
      const response = await ctx.http.request(url, { headers: accept ? { ...headers, accept } : headers });
      return response.body;
    } catch (error) {
      if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
        throw new SourceConfigError(
          `VnExpress refused the request (HTTP ${error.status}): the unofficial endpoint now blocks this caller or has changed`,
        );
      }
      throw error;
    }
  }
  const getJson = async (url: string) => ctx.http.parseJson(await get(url), url);

  // 1. Feed articles that name the brand (with or without diacritics).
  const matcher = brandMatcher(ctx.brand);
  for (const feedUrl of source.feeds) {
    const url = source.baseUrl ? onBase(source.baseUrl, feedUrl) : feedUrl;
    let feed: Awaited<ReturnType<typeof parser.parseString>>;
    const body = await get(url, 'application/rss+xml, application/xml;q=0.9, */*;q=0.5');
    try {
      feed = await parser.parseString(body);
    } catch (error) {
      throw new Error(`malformed VnExpress feed from ${new URL(url).host}: ${(error as Error).message.slice(0, 120)}`);
    }
    for (const item of feed.items ?? []) {
      const id = articleIdOf(item.link) ?? articleIdOf(item.guid);
      const pub = Date.parse(item.isoDate ?? item.pubDate ?? '');
      if (!id || Number.isNaN(pub) || pub < recentMs || records.has(id)) continue;
      const title = htmlToText(item.title);
      const summary = htmlToText(item.content ?? item.contentSnippet);
      if (!matcher.match(`${title}\n${summary}`).relevant) continue;
      records.set(id, {
        id,
        pub,
        max: 0,
        t: -1,
        ti: -1,
        read: 0,
        title: `${title}\n${summary}`.trim(),
        url: item.link,
      });
    }
  }
  for (const id of configured) if (!records.has(id)) records.set(id, { id, pub: 0, max: 0, t: -1, ti: -1, read: 0 });
  // Feed articles past their window, and articles no longer configured, are forgotten.
  for (const [id, record] of records) {
    if (!configured.has(id) && (record.title === undefined || record.pub < recentMs)) records.delete(id);
  }

  // 2. This poll's articles: the least recently read first.
  const due = [...records.values()].sort((a, b) => a.read - b.read || b.pub - a.pub).slice(0, source.maxArticles);
  let completed = 0;
  try {
    const untyped = due.filter((r) => r.type === undefined).map((r) => r.id);
    if (untyped.length > 0) await describeArticles(untyped);
    for (const record of due) {
      if (!records.has(record.id) || record.type === undefined) continue;
      await readArticle(record);
      completed++;
    }
  } catch (error) {
    // Out of requests or told to wait: keep what was read; the other articles go first next time.
    const stop =
      error instanceof Stop ||
      (error instanceof HttpError && (error.kind === 'budget' || (error.kind === 'rate_limited' && completed > 0)));
    if (!stop) throw error;
  }

  const kept = [...records.values()]
    .sort((a, b) => Number(configured.has(b.id)) - Number(configured.has(a.id)) || b.pub - a.pub)
    .slice(0, Math.max(MAX_ARTICLES_KEPT, configured.size));
  const newest = collector.mentions.reduce((ms, m) => Math.max(ms, Date.parse(m.createdAt)), -Infinity);
  const watermarkMs = Math.max(previous ? Date.parse(previous.watermark) : horizonMs, newest);
  return collector.result({
    sourceId: source.id,
    watermark: new Date(watermarkMs).toISOString(),
    seenIds: [],
    extra: { ...(previous?.extra ?? {}), articles: JSON.stringify(kept) },
    updatedAt: ctx.now.toISOString(),
  });

  async function describeArticles(ids: string[]): Promise<void> {
    const body = parsePage(
      basicEnvelopeSchema,
      await getJson(
        buildUrl(articlesBase, '/ar/get_basic', {
          article_id: ids.join(','),
          data_select: 'article_id,title,share_url,article_type,publish_time',
        }),
      ),
      'VnExpress get_basic',
    );
    const rows = Array.isArray(body.data) ? body.data : Object.values(body.data ?? {});
    const found = new Set<string>();
    for (const raw of rows) {
      const basic = basicSchema.safeParse(raw);
      if (!basic.success || basic.data.article_id === undefined) continue;
      const id = String(basic.data.article_id);
      const record = records.get(id);
      if (!record) continue;
      found.add(id);
      record.type = basic.data.article_type;
      if (basic.data.publish_time) record.pub = basic.data.publish_time * 1000;
      if (!record.url && basic.data.share_url) record.url = basic.data.share_url;
    }
    for (const id of ids) {
      if (found.has(id)) continue;
      // Unpublished or removed: nothing to read. A configured one stays and is looked up again next poll.
      collector.skipped++;
      if (!configured.has(id)) records.delete(id);
    }
  }

  async function readComments(
    path: string,
    record: ArticleRecord,
    extraQuery: Record<string, string | number>,
    offset: number,
  ) {
    const url = buildUrl(commentsBase, path, {
      offset,
      limit: PAGE_SIZE,
      objectid: record.id,
      objecttype: record.type,
      siteid: SITE_ID,
      ...extraQuery,
    });
    const envelope = parsePage(envelopeSchema, await getJson(url), `VnExpress ${path.slice(7)}`);
    if (envelope.error !== 0) {
      throw new Error(
        `VnExpress comments error ${envelope.error}${envelope.errorDescription ? `: ${envelope.errorDescription.slice(0, 120)}` : ''}`,
      );
    }
    const data = envelope.data && !Array.isArray(envelope.data) ? envelope.data : {};
    return { total: num(data.total), totalItem: num(data.totalitem), items: data.items ?? [] };
  }

  function parseComment(raw: unknown): Comment | undefined {
    const comment = collector.parseItem(commentSchema, raw);
    if (!comment) return undefined;
    const parentId = comment.parent_id && comment.parent_id !== comment.comment_id ? comment.parent_id : undefined;
    return {
      id: comment.comment_id,
      parentId,
      author: cleanText(comment.full_name) || undefined,
      text: htmlToText(comment.content),
      createdMs: comment.creation_time * 1000,
      likes: num(comment.userlike),
      replies: num(comment.replys?.total),
      shownReplies: comment.replys?.items ?? [],
    };
  }

  async function readArticle(record: ArticleRecord): Promise<void> {
    // Marked read before its requests: an article the budget cannot finish goes to the back of the queue.
    record.read = nowMs;
    const firstRead = record.max === 0;
    let highest = record.max;
    const offer = (comment: Comment) => {
      highest = Math.max(highest, comment.id);
      if (comment.id <= record.max) return;
      if (firstRead && comment.createdMs < horizonMs) return;
      const id = `${record.id}-${comment.id}`;
      if (!comment.text) {
        collector.drop(id, comment.createdMs);
        return;
      }
      collector.offer(
        {
          id,
          url: record.url ? `${record.url.replace(/#.*$/, '')}#box_comment_vne` : undefined,
          author: comment.author,
          text: comment.text,
          createdAt: new Date(comment.createdMs).toISOString(),
          engagement: { likes: comment.likes, replies: comment.parentId ? undefined : comment.replies },
          language: 'vi',
          country: 'vn',
        },
        configured.has(record.id) ? { relevant: true } : { matchText: `${record.title ?? ''}\n${comment.text}` },
      );
    };

    let complete = false;
    let repliesComplete = true;
    let counts: { total?: number; totalItem?: number } = {};
    for (let page = 0, offset = 0; page < source.maxPages; page++) {
      const list = await readComments('/index/get', record, { sort_by: 'like' }, offset);
      if (page === 0) {
        counts = { total: list.total, totalItem: list.totalItem };
        // Unchanged since it was last read to its end (and that was recently enough to trust the counts).
        if (list.total === record.t && list.totalItem === record.ti && nowMs - (record.f ?? 0) < FULL_READ_MS) return;
      }
      for (const raw of list.items) {
        const comment = parseComment(raw);
        if (!comment) continue;
        offer(comment);
        const shown = comment.shownReplies.map(parseComment).filter((c): c is Comment => c !== undefined);
        shown.forEach(offer);
        const replyCount = comment.replies ?? 0;
        const key = String(comment.id);
        if (replyCount > comment.shownReplies.length && record.rc?.[key] !== replyCount) {
          const replies = await readReplies(record, comment.id);
          replies.replies.forEach(offer);
          if (!replies.complete) repliesComplete = false;
          else record.rc = limitReplyCounts({ ...record.rc, [key]: replyCount });
        }
      }
      offset += list.items.length;
      if (list.items.length === 0 || list.total === undefined || offset >= list.total) {
        complete = true;
        break;
      }
    }
    if (complete && repliesComplete) {
      record.max = Math.max(highest, 1);
      record.t = counts.total ?? -1;
      record.ti = counts.totalItem ?? -1;
      record.f = nowMs;
    }
  }

  async function readReplies(
    record: ArticleRecord,
    commentId: number,
  ): Promise<{ replies: Comment[]; complete: boolean }> {
    const replies: Comment[] = [];
    for (let page = 0, offset = 0; page < source.maxPages; page++) {
      const list = await readComments('/index/getreplay', record, { id: commentId }, offset);
      for (const raw of list.items) {
        const reply = parseComment(raw);
        if (reply) replies.push(reply);
      }
      offset += list.items.length;
      if (list.items.length === 0 || list.total === undefined || offset >= list.total)
        return { replies, complete: true };
    }
    // More replies than maxPages: the article is not read to its end, its highest id holds.
    return { replies, complete: false };
  }
}

/** Reply counts kept per article at most (the highest comment ids: the most recent threads). */
const MAX_REPLY_COUNTS = 100;

function limitReplyCounts(counts: Record<string, number>): Record<string, number> {
  const keys = Object.keys(counts);
  if (keys.length <= MAX_REPLY_COUNTS) return counts;
  const kept = keys.sort((a, b) => Number(b) - Number(a)).slice(0, MAX_REPLY_COUNTS);
  return Object.fromEntries(kept.map((k) => [k, counts[k]]));
}

/** A URL moved to `baseUrl`'s origin (tests, replays). */
function onBase(baseUrl: string, url: string): string {
  const original = new URL(url);
  const base = new URL(baseUrl);
  return new URL(original.pathname + original.search, base.origin + base.pathname.replace(/\/+$/, '') + '/').toString();
}

export const vnexpressAdapter: SourceAdapter = {
  kind: 'vnexpress',
  needs:
    "FRAGILE, opt-in (acknowledgeFragile: true): VnExpress's unofficial comment endpoints; articleIds to watch and/or VnExpress RSS feeds (filtered by the brand's keywords); no credentials",
  poll,
};

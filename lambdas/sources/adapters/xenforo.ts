import type { HTMLElement } from 'node-html-parser';
import Parser from 'rss-parser';
import type { SourceConfigOf } from '../../config/schema';
import type { SourceCursor } from '../../core/source-state';
import { HttpError } from '../http';
import { cleanText, htmlToText, joinTitleAndBody } from '../text';
import type { PollContext, PollResult, SourceAdapter } from '../types';
import { PollCollector, num } from './common';

/**
 * XenForo forums (voz.vn, tinhte.vn, any XenForo 2 site) through their public RSS (SOURCES-VN §8).
 *
 * The feed has one item per THREAD whose `pubDate` is the thread's last post and `slash:comments` its reply count,
 * so a thread that moves again comes back with a later pubDate. The cursor keeps, per thread, the last post read
 * (time, position, post id). A moved thread is read from its HTML pages, forward from the page after the last post
 * read, and only posts with a higher post id become mentions; a thread seen for the first time is read backwards
 * from its last page to the lookback start. A brand-new thread with no replies is taken from the feed alone (its
 * first post is the item's `content:encoded`), without a page request. Every page is a request against the poll's
 * budget: when the budget or `maxPages` per thread runs out, the thread's record stops at the last post handed on
 * and the next poll goes on from there, so nothing is skipped.
 *
 * Post markup (XenForo 2): `<article class="message message--post" data-author="…" data-content="post-123">`, the
 * time in `<time class="u-dt" datetime="…" data-timestamp="…">` (`data-time` before 2.3), the position in the
 * `.message-attribution-opposite` link (`#12`), the text in `.message-body .bbWrapper` (quoted posts,
 * `blockquote.bbCodeBlock--quote`, are left out: a reply quoting a complaint is not a second complaint), and
 * `a.pageNav-jump--next` to the next page. Deleted or moderated posts (`message--deleted`, `message--moderated`) and
 * empty ones are skipped. Ids: `thread-<threadId>` for the first post (the feed and page 1 name the same post),
 * `post-<postId>` for replies.
 *
 * Relevance: forums are not the brand's own, so every post is re-checked against the brand's keywords together with
 * its thread's title: a reply in a thread titled "Tiki giao hàng chậm" is about Tiki.
 */

const parser = new Parser<Record<string, unknown>, { 'slash:comments'?: string; 'content:encoded'?: string }>({
  customFields: { item: ['slash:comments', 'content:encoded'] },
});

/** Per-thread records kept in the cursor at most (the most recently active). */
const MAX_THREADS_KEPT = 500;

/** What the cursor remembers of one thread: the last post handed on or passed. */
interface ThreadRecord {
  /** Time of the last post read (ms). */
  pub: number;
  /** Its position in the thread (1 = the first post). */
  n: number;
  /** Its post id (0 when only the feed's first post was read). */
  id: number;
  /** The feed's reply count when the thread was last read to its end. */
  c: number;
}

interface ForumPost {
  postId: number;
  position: number;
  author?: string;
  createdAtMs: number;
  text: string;
  url?: string;
  removed: boolean;
}

function readThreads(cursor: SourceCursor | null): Map<string, ThreadRecord> {
  const raw = cursor?.extra?.threads;
  if (!raw) return new Map();
  try {
    const rows = JSON.parse(raw) as [string, number, number, number, number][];
    return new Map(rows.map(([thread, pub, n, id, c]) => [thread, { pub, n, id, c: c ?? 0 }]));
  } catch {
    return new Map();
  }
}

function writeThreads(threads: Map<string, ThreadRecord>): string {
  const rows = [...threads]
    .sort((a, b) => b[1].pub - a[1].pub)
    .slice(0, MAX_THREADS_KEPT)
    .map(([thread, r]) => [thread, r.pub, r.n, r.id, r.c]);
  return JSON.stringify(rows);
}

/** `invalid@example.com (username)` → `username`. */
export function feedAuthor(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const inParens = /\(([^()]+)\)\s*$/.exec(value);
  return cleanText(inParens ? inParens[1] : value) || undefined;
}

/** The thread id: the feed's guid, else the number after the slug in the link (`/threads/slug.123/`, `/t/slug.123/`). */
export function threadIdOf(guid: string | undefined, link: string | undefined): string | undefined {
  if (guid && /^\d+$/.test(guid.trim())) return guid.trim();
  const match = link ? /\.(\d+)\/?(?:[?#].*)?$/.exec(link.replace(/\/(?:page-\d+|latest|unread)\/?$/, '/')) : null;
  return match?.[1];
}

/** A post's time: `data-timestamp` (XenForo 2.3), `data-time` (2.x, Unix seconds), else the ISO `datetime`. */
function postTime(time: HTMLElement | null): number {
  if (!time) return Number.NaN;
  for (const name of ['data-timestamp', 'data-time']) {
    const seconds = num(time.getAttribute(name));
    if (seconds !== undefined && seconds > 1e9) return seconds * 1000;
  }
  const iso = time.getAttribute('datetime');
  return iso ? Date.parse(iso.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : Number.NaN;
}

/** The posts on one thread page and the link to the next page, from XenForo 2's markup. */
export function parseThreadPage(
  html: string,
  pageUrl: string,
  firstPosition: number,
): { posts: ForumPost[]; next?: string; recognised: boolean } {
  // Loaded on first use: only forum sources pay for the parser.
  const { parse } = require('node-html-parser') as typeof import('node-html-parser');
  const root = parse(html, { blockTextElements: { script: false, style: false, noscript: false } });
  const articles = root.querySelectorAll('article.message');
  const posts: ForumPost[] = [];
  articles.forEach((article, index) => {
    const content = article.getAttribute('data-content') ?? article.getAttribute('id') ?? '';
    const postId = Number(/post-(\d+)/.exec(content)?.[1]);
    if (!Number.isSafeInteger(postId)) return;
    const classes = article.classList;
    const attribution = article.querySelectorAll('.message-attribution-opposite a');
    const positionLink = attribution.find((a) => /^#\s*\d/.test(a.text.trim()));
    const position = positionLink ? Number(positionLink.text.replace(/[^\d]/g, '')) : firstPosition + index;
    const body = article.querySelector('.message-body .bbWrapper') ?? article.querySelector('.bbWrapper');
    for (const quote of body?.querySelectorAll('blockquote.bbCodeBlock--quote, .bbCodeBlock--quote') ?? []) {
      quote.remove();
    }
    const href = positionLink?.getAttribute('href') ?? attribution[0]?.getAttribute('href');
    posts.push({
      postId,
      position,
      author: cleanText(article.getAttribute('data-author')) || undefined,
      createdAtMs: postTime(article.querySelector('time.u-dt')),
      text: htmlToText(body?.innerHTML ?? ''),
      url: href ? new URL(href, pageUrl).toString() : undefined,
      removed: classes.contains('message--deleted') || classes.contains('message--moderated'),
    });
  });
  const nextHref = root.querySelector('a.pageNav-jump--next')?.getAttribute('href');
  const recognised = articles.length > 0 || root.querySelector('.block-body, .p-body-pageContent') !== null;
  return { posts, next: nextHref ? new URL(nextHref, pageUrl).toString() : undefined, recognised };
}

/** Where to send a request: the real URL, moved to `baseUrl`'s origin when one is set (tests, replays). */
function onBase(source: SourceConfigOf<'xenforo'>, url: string): string {
  if (!source.baseUrl) return url;
  const original = new URL(url);
  const base = new URL(source.baseUrl);
  return new URL(original.pathname + original.search, base.origin + base.pathname.replace(/\/+$/, '') + '/').toString();
}

/** The thread URL with a page: `…/slug.123/` → `…/slug.123/page-4`. */
function pageUrl(threadUrl: string, page: number): string {
  const url = new URL(threadUrl);
  url.hash = '';
  url.search = '';
  url.pathname = url.pathname.replace(/\/(?:page-\d+|latest|unread)\/?$/, '/').replace(/\/?$/, '/');
  if (page > 1) url.pathname += `page-${page}`;
  return url.toString();
}

class Stop extends Error {}

async function poll(ctx: PollContext): Promise<PollResult> {
  const source = ctx.source as SourceConfigOf<'xenforo'>;
  const collector = new PollCollector(ctx, false);
  const previous = ctx.cursor;
  const extra: Record<string, string> = { ...(previous?.extra ?? {}) };
  const threads = readThreads(previous);
  const watermarkMs = previous ? Date.parse(previous.watermark) : Number.NaN;
  // A thread without a record (new activity, one deferred by the budget, or one pushed out of the feed between
  // polls) is read back to the lookback start: its posts since then were never handed on, or, for a record
  // evicted long ago, come again under the same ids and the store keeps one copy.
  const horizonMs = ctx.now.getTime() - source.lookbackHours * 3_600_000;
  let newestMs = Number.isNaN(watermarkMs) ? horizonMs : watermarkMs;

  const headers: Record<string, string> = {
    accept: 'application/rss+xml, application/xml;q=0.9, */*;q=0.5',
  };
  if (extra.etag) headers['if-none-match'] = extra.etag;
  if (extra.lastModified) headers['if-modified-since'] = extra.lastModified;
  const response = await ctx.http.request(onBase(source, source.url), { headers, acceptStatus: [304] });
  if (response.status === 304) return collector.result(previous ?? cursorOf(newestMs));

  let feed: Awaited<ReturnType<typeof parser.parseString>>;
  try {
    feed = await parser.parseString(response.body);
  } catch (error) {
    throw new Error(
      `malformed forum feed from ${new URL(response.url).host}: ${(error as Error).message.slice(0, 120)}`,
    );
  }

  interface Moved {
    threadId: string;
    link: string;
    title: string;
    pubMs: number;
    replies?: number;
    starter?: string;
    firstPost: string;
  }
  const moved: Moved[] = [];
  for (const item of feed.items ?? []) {
    const threadId = threadIdOf(item.guid, item.link);
    const pubMs = Date.parse(item.isoDate ?? item.pubDate ?? '');
    if (!threadId || !item.link || Number.isNaN(pubMs)) {
      collector.skipped++;
      collector.fetched++;
      continue;
    }
    const replies = num(item['slash:comments']);
    const record = threads.get(threadId);
    // Unchanged since it was read; at the same second, only a higher reply count says there is more.
    if (record && (pubMs < record.pub || (pubMs === record.pub && (replies === undefined || replies <= record.c)))) {
      continue;
    }
    if (!record && pubMs < horizonMs) continue;
    moved.push({
      threadId,
      link: item.link,
      title: htmlToText(item.title),
      pubMs,
      replies,
      starter: feedAuthor((item as { author?: string }).author ?? item.creator),
      firstPost: htmlToText(item['content:encoded'] ?? item.content) || cleanText(item.contentSnippet),
    });
  }
  // Freshest threads first: when the budget runs out, the others wait for the next poll, unread and unmarked.
  moved.sort((a, b) => b.pubMs - a.pubMs);

  let threadsRead = 0;
  let deferred = false;
  try {
    for (const thread of moved) {
      if (threadsRead >= source.maxThreads) break;
      const record = threads.get(thread.threadId);
      const offerPost = (post: ForumPost, title: string) => {
        const id = post.position === 1 ? `thread-${thread.threadId}` : `post-${post.postId}`;
        if (post.removed || !post.text) {
          collector.drop(id, post.createdAtMs);
          return;
        }
        collector.offer(
          {
            id,
            url: post.url ?? `${pageUrl(thread.link, 1)}#post-${post.postId}`,
            author: post.author,
            title: post.position === 1 ? title || undefined : undefined,
            text: post.position === 1 ? joinTitleAndBody(title, post.text) : post.text,
            createdAt: new Date(post.createdAtMs).toISOString(),
            engagement: post.position === 1 ? { replies: thread.replies } : undefined,
          },
          { matchText: `${title}\n${post.text}` },
        );
        newestMs = Math.max(newestMs, post.createdAtMs);
      };

      // A new thread with no replies: the feed carries its only post; no page needed.
      if (!record && thread.replies === 0 && thread.firstPost) {
        offerPost(
          {
            postId: 0,
            position: 1,
            author: thread.starter,
            createdAtMs: thread.pubMs,
            text: thread.firstPost,
            url: pageUrl(thread.link, 1),
            removed: false,
          },
          thread.title,
        );
        threads.set(thread.threadId, { pub: thread.pubMs, n: 1, id: 0, c: 0 });
        continue;
      }

      threadsRead++;
      if (ctx.http.budgetLeft <= 0) throw new Stop();
      const updated: ThreadRecord = record ? { ...record } : { pub: horizonMs, n: 0, id: 0, c: 0 };
      // Known thread: replies after the last one read (by post id; the first post was taken or is older).
      // First sight: posts since the horizon.
      const isNew = (post: ForumPost) =>
        record ? post.position > 1 && post.postId > record.id : post.createdAtMs >= horizonMs;
      const take = (post: ForumPost) => {
        if (Number.isNaN(post.createdAtMs)) {
          collector.skipped++;
          collector.fetched++;
        } else if (isNew(post)) {
          offerPost(post, thread.title);
        }
        updated.pub = Math.max(updated.pub, post.createdAtMs || 0);
        updated.n = Math.max(updated.n, post.position);
        updated.id = Math.max(updated.id, post.postId);
      };
      let reachedEnd = false;
      try {
        if (record || thread.replies === undefined) {
          // Forward from the page holding the post after the last one read (page 1 for an unknown reply count).
          let page = Math.max(1, Math.ceil(((record?.n ?? 0) + 1) / source.postsPerPage));
          let url: string | undefined = pageUrl(thread.link, page);
          for (let read = 0; url && read < source.maxPages; read++, page++) {
            const parsed = await readPage(ctx, source, url, (page - 1) * source.postsPerPage + 1);
            if (parsed === 'gone') {
              collector.skipped++;
              reachedEnd = true;
              break;
            }
            parsed.posts.forEach(take);
            url = parsed.next;
            if (!url) reachedEnd = true;
          }
        } else {
          // First sight: backwards from the last page to the horizon, then handed on oldest first. A walk this
          // poll's remaining budget cannot finish waits for the next poll (which starts with it), unless even a
          // whole budget could not: then, like `maxPages`, the newest pages the budget allows are all it reads.
          const lastPage = Math.max(1, Math.ceil((thread.replies + 1) / source.postsPerPage));
          const wanted = Math.min(source.maxPages, lastPage);
          const affordable = ctx.http.budgetLeft;
          if (affordable < wanted && affordable < source.requestBudget - 1) {
            deferred = true;
            continue;
          }
          const collected: ForumPost[] = [];
          let page = lastPage;
          for (let read = 0; page >= 1 && read < Math.min(wanted, affordable); read++, page--) {
            const parsed = await readPage(
              ctx,
              source,
              pageUrl(thread.link, page),
              (page - 1) * source.postsPerPage + 1,
            );
            if (parsed === 'gone') {
              collector.skipped++;
              break;
            }
            collected.unshift(...parsed.posts);
            if (parsed.posts.length === 0 || parsed.posts.some((p) => p.createdAtMs < horizonMs)) break;
          }
          collected.sort((a, b) => a.position - b.position).forEach(take);
          reachedEnd = true;
        }
      } finally {
        if (reachedEnd) {
          updated.pub = Math.max(updated.pub, thread.pubMs);
          updated.c = Math.max(updated.c, thread.replies ?? 0);
        }
        if (updated.n > 0 || reachedEnd) threads.set(thread.threadId, { ...updated, n: Math.max(updated.n, 1) });
      }
    }
  } catch (error) {
    // Out of requests or told to wait: keep what was handed on; the threads not read are read by the next poll.
    const stop =
      error instanceof Stop ||
      (error instanceof HttpError && (error.kind === 'budget' || error.kind === 'rate_limited'));
    if (!stop) throw error;
  }

  extra.threads = writeThreads(threads);
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  if (etag) extra.etag = etag;
  else delete extra.etag;
  if (lastModified) extra.lastModified = lastModified;
  else delete extra.lastModified;
  // Threads left for the next poll mean the feed must be read again even if unchanged.
  if (deferred || moved.some((t) => !threads.has(t.threadId) || (threads.get(t.threadId)?.pub ?? 0) < t.pubMs)) {
    delete extra.etag;
    delete extra.lastModified;
  }
  return collector.result({ ...cursorOf(newestMs), extra });

  function cursorOf(ms: number): SourceCursor {
    return {
      sourceId: source.id,
      watermark: new Date(ms).toISOString(),
      seenIds: [],
      updatedAt: ctx.now.toISOString(),
    };
  }
}

/** One thread page; 'gone' when the thread is gone (404/403: deleted, moved to a private forum). */
async function readPage(
  ctx: PollContext,
  source: SourceConfigOf<'xenforo'>,
  url: string,
  firstPosition: number,
): Promise<ReturnType<typeof parseThreadPage> | 'gone'> {
  let body: string;
  try {
    body = (await ctx.http.request(onBase(source, url), { headers: { accept: 'text/html' } })).body;
  } catch (error) {
    if (error instanceof HttpError && (error.status === 404 || error.status === 403 || error.status === 410)) {
      return 'gone';
    }
    throw error;
  }
  const parsed = parseThreadPage(body, url, firstPosition);
  if (!parsed.recognised) {
    throw new Error(`unexpected thread page from ${new URL(url).host}: no XenForo posts (article.message) found`);
  }
  return parsed;
}

export const xenforoAdapter: SourceAdapter = {
  kind: 'xenforo',
  needs:
    'a forum RSS URL (XenForo: /forums/-/index.rss, a forum’s /forums/<slug>.<id>/index.rss; voz: /f/<slug>.<id>/index.rss); nothing else. Thread pages are read for new replies within the request budget',
  poll,
};

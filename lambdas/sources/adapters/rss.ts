import Parser from 'rss-parser';
import type { SourceConfigOf } from '../../config/schema';
import { cleanText, htmlToText } from '../text';
import type { PollContext, PollResult, SourceAdapter } from '../types';
import { PollCollector } from './common';

/**
 * Generic RSS / Atom (Google Alerts, news, Reddit RSS). The feed is fetched by the shared client (timeout,
 * retries) with If-None-Match / If-Modified-Since from the cursor, then parsed with rss-parser's parseString.
 */

const parser = new Parser();

/** Google Alerts links are redirects (`https://www.google.com/url?...&url=<target>`): return the target. */
export function unwrapRedirect(link: string | undefined): string | undefined {
  if (!link) return undefined;
  try {
    const url = new URL(link);
    const target = url.searchParams.get('url') ?? url.searchParams.get('q');
    if (/(^|\.)google\.[a-z.]+$/.test(url.hostname) && url.pathname === '/url' && target && /^https?:/.test(target)) {
      return target;
    }
  } catch {
    // not a URL: keep as is
  }
  return link;
}

/** The feed URL, moved to `baseUrl`'s origin when one is set (tests, replays). */
function feedUrl(source: SourceConfigOf<'rss'>): string {
  if (!source.baseUrl) return source.url;
  const original = new URL(source.url);
  return new URL(original.pathname + original.search, source.baseUrl).toString();
}

async function poll(ctx: PollContext): Promise<PollResult> {
  const source = ctx.source as SourceConfigOf<'rss'>;
  const collector = new PollCollector(ctx);
  const { window } = collector;
  const extra = ctx.cursor?.extra ?? {};
  const headers: Record<string, string> = {
    accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5',
  };
  if (extra.etag) headers['if-none-match'] = extra.etag;
  if (extra.lastModified) headers['if-modified-since'] = extra.lastModified;

  const response = await ctx.http.request(feedUrl(source), { headers, acceptStatus: [304] });
  if (response.status === 304) return collector.result(window.next({ complete: true }));

  let feed: Awaited<ReturnType<typeof parser.parseString>>;
  try {
    feed = await parser.parseString(response.body);
  } catch (error) {
    throw new Error(`malformed feed from ${new URL(response.url).host}: ${(error as Error).message.slice(0, 120)}`);
  }
  for (const item of feed.items ?? []) {
    const raw = item as typeof item & { id?: string; author?: string };
    const id = raw.guid ?? raw.id ?? raw.link;
    const dated = raw.isoDate ?? (raw.pubDate ? new Date(raw.pubDate).toISOString() : undefined);
    if (!id) {
      collector.skipped++;
      collector.fetched++;
      continue;
    }
    // Undated items are dated now: deduped by id within the watermark's tie set afterwards.
    const createdAt = dated && !Number.isNaN(Date.parse(dated)) ? dated : ctx.now.toISOString();
    const title = htmlToText(raw.title) || undefined;
    const text = cleanText(raw.contentSnippet) || htmlToText(raw.content) || title || '';
    if (!text) {
      collector.drop(id, Date.parse(createdAt));
      continue;
    }
    collector.offer({
      id,
      url: unwrapRedirect(raw.link),
      author: cleanText(raw.creator ?? raw.author) || undefined,
      title,
      text,
      createdAt,
    });
  }
  const nextExtra: Record<string, string> = {};
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  if (etag) nextExtra.etag = etag;
  if (lastModified) nextExtra.lastModified = lastModified;
  const next = window.next({ complete: true, extra: nextExtra });
  if (next.extra) {
    if (!etag) delete next.extra.etag;
    if (!lastModified) delete next.extra.lastModified;
  }
  return collector.result(next);
}

export const rssAdapter: SourceAdapter = {
  kind: 'rss',
  needs: 'a feed URL (RSS or Atom: Google Alerts, news, Reddit .rss); nothing else',
  poll,
};

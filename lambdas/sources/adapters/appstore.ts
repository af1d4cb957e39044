import * as z from 'zod/mini';
import '../../core/zod-locale';
import type { SourceConfigOf } from '../../config/schema';
import { buildUrl } from '../http';
import { cleanText } from '../text';
import type { PollContext, PollResult, SourceAdapter } from '../types';
import { PollCollector, num, parsePage } from './common';

/**
 * Apple App Store customer reviews RSS (JSON flavour), one feed per storefront country, `sortby=mostRecent`.
 * No cursor parameter: read page 1.. and stop at reviews older than the watermark (at most 10 pages of 50).
 */

const label = z.looseObject({ label: z.string() });

const entrySchema = z.looseObject({
  id: label,
  author: z.looseObject({ name: label, uri: z.optional(label) }),
  'im:rating': label,
  title: z.optional(label),
  content: z.optional(label),
  'im:version': z.optional(label),
  'im:voteSum': z.optional(label),
  updated: label,
  link: z.optional(z.unknown()),
});

const feedSchema = z.looseObject({
  feed: z.looseObject({
    // Apple sends an array, a single object when there is one review, or nothing at all.
    entry: z.optional(z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())])),
  }),
});

function entries(body: z.infer<typeof feedSchema>): unknown[] {
  const entry = body.feed.entry;
  if (!entry) return [];
  return Array.isArray(entry) ? entry : [entry];
}

function linkHref(link: unknown): string | undefined {
  const links = Array.isArray(link) ? link : [link];
  for (const l of links) {
    const href = (l as { attributes?: { href?: unknown } } | undefined)?.attributes?.href;
    if (typeof href === 'string') return href;
  }
  return undefined;
}

async function poll(ctx: PollContext): Promise<PollResult> {
  const source = ctx.source as SourceConfigOf<'appstore'>;
  const collector = new PollCollector(ctx);
  const { window } = collector;
  const base = source.baseUrl ?? 'https://itunes.apple.com';
  for (const country of source.countries.map((c) => c.toLowerCase())) {
    await collector.paginate(
      Math.min(10, source.maxPages),
      async (page, seen) => {
        const url = buildUrl(
          base,
          `/${country}/rss/customerreviews/page=${page}/id=${source.appId}/sortby=mostRecent/json`,
        );
        const body = parsePage(feedSchema, (await ctx.http.getJson(url)).body, `App Store reviews (${country})`);
        const list = entries(body);
        let olderThanWatermark = false;
        for (const raw of list) {
          // Older feeds start with the app itself (no rating): not a review.
          if (raw && typeof raw === 'object' && !('im:rating' in raw)) continue;
          const entry = collector.parseItem(entrySchema, raw);
          if (!entry) continue;
          const createdAtMs = Date.parse(entry.updated.label);
          if (Number.isNaN(createdAtMs)) {
            collector.skipped++;
            continue;
          }
          seen(createdAtMs);
          if (window.isOlderThanWatermark(createdAtMs)) {
            olderThanWatermark = true;
            continue;
          }
          const id = `${country}:${entry.id.label}`;
          const text = cleanText(entry.content?.label);
          if (!text && !entry.title?.label) {
            collector.drop(id, createdAtMs);
            continue;
          }
          const rating = num(Number.parseInt(entry['im:rating'].label, 10));
          collector.offer({
            id,
            url: linkHref(entry.link) ?? `https://apps.apple.com/${country}/app/id${source.appId}?see-all=reviews`,
            author: cleanText(entry.author.name.label) || undefined,
            title: cleanText(entry.title?.label) || undefined,
            text: text || cleanText(entry.title?.label),
            createdAt: entry.updated.label,
            rating: rating !== undefined && rating >= 1 && rating <= 5 ? rating : undefined,
            engagement: { likes: num(entry['im:voteSum']?.label) },
            country,
          });
        }
        return olderThanWatermark || list.length === 0 || page === 10;
      },
      1,
    );
  }
  return collector.finish();
}

export const appstoreAdapter: SourceAdapter = {
  kind: 'appstore',
  needs: "nothing (public customer-reviews RSS; latest ~500 reviews per country; the app's numeric id)",
  poll,
};

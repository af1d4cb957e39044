import * as z from 'zod/mini';
import '../../core/zod-locale';
import type { SourceConfigOf } from '../../config/schema';
import { buildUrl } from '../http';
import { cleanText, htmlToText, joinTitleAndBody } from '../text';
import type { PollContext, PollResult, SourceAdapter } from '../types';
import { PollCollector, num, parsePage, searchTerms } from './common';

/** Hacker News through the Algolia search API: no auth, `created_at_i>=watermark`, dedupe on objectID. */

const hitSchema = z.looseObject({
  objectID: z.pipe(z.union([z.string(), z.number()]), z.transform(String)),
  created_at_i: z.number(),
  author: z.nullish(z.string()),
  title: z.nullish(z.string()),
  url: z.nullish(z.string()),
  points: z.nullish(z.number()),
  num_comments: z.nullish(z.number()),
  story_text: z.nullish(z.string()),
  comment_text: z.nullish(z.string()),
  story_title: z.nullish(z.string()),
  _tags: z.optional(z.array(z.string())),
});

const pageSchema = z.looseObject({
  hits: z.array(z.unknown()),
  page: z.optional(z.number()),
  nbPages: z.optional(z.number()),
});

async function poll(ctx: PollContext): Promise<PollResult> {
  const source = ctx.source as SourceConfigOf<'hackernews'>;
  const collector = new PollCollector(ctx);
  const { window } = collector;
  const base = source.baseUrl ?? 'https://hn.algolia.com';
  const tags = source.tags === 'all' ? '(story,comment)' : source.tags;
  const filters = [`created_at_i>=${Math.floor(window.watermarkMs / 1000)}`];
  if (window.resumeBeforeMs !== undefined) filters.push(`created_at_i<=${Math.ceil(window.resumeBeforeMs / 1000)}`);

  for (const term of searchTerms(source, ctx.brand)) {
    await collector.paginate(source.maxPages, async (page, seen) => {
      const url = buildUrl(base, '/api/v1/search_by_date', {
        query: term,
        tags,
        numericFilters: filters.join(','),
        hitsPerPage: 100,
        page,
      });
      const body = parsePage(pageSchema, (await ctx.http.getJson(url)).body, 'HN Algolia search_by_date');
      for (const raw of body.hits) {
        const hit = collector.parseItem(hitSchema, raw);
        if (!hit) continue;
        const createdAtMs = hit.created_at_i * 1000;
        seen(createdAtMs);
        const isComment = hit._tags?.includes('comment') ?? hit.comment_text != null;
        const body = htmlToText(isComment ? hit.comment_text : hit.story_text);
        const title = hit.title ? cleanText(hit.title) : undefined;
        if (!hit.author || (!body && !title)) {
          collector.drop(hit.objectID, createdAtMs); // deleted or dead
          continue;
        }
        collector.offer(
          {
            id: hit.objectID,
            url: `https://news.ycombinator.com/item?id=${hit.objectID}`,
            author: hit.author,
            title: title ?? (hit.story_title ? cleanText(hit.story_title) : undefined),
            text: isComment ? body : joinTitleAndBody(title, body),
            createdAt: new Date(createdAtMs).toISOString(),
            engagement: { likes: num(hit.points), replies: num(hit.num_comments) },
          },
          // A comment is about the brand only if the comment says so, not its story's title.
          { matchText: isComment ? body : undefined },
        );
      }
      const nbPages = body.nbPages ?? 1;
      return body.hits.length === 0 || page + 1 >= nbPages;
    });
  }
  return collector.finish();
}

export const hackernewsAdapter: SourceAdapter = {
  kind: 'hackernews',
  needs: 'nothing (public Algolia HN search API; ~10,000 requests/hour per IP)',
  poll,
};

import * as z from 'zod/mini';
import '../../core/zod-locale';
import type { SourceConfigOf } from '../../config/schema';
import { buildUrl } from '../http';
import { cleanText, joinTitleAndBody } from '../text';
import type { PollContext, PollResult, SourceAdapter } from '../types';
import { PollCollector, num, parsePage, requireSecret, stateFor } from './common';

/**
 * Trustpilot reviews of one business unit (paid API module of Trustpilot Business; key in `apikey`).
 * Reviews newest first (`orderBy=createdat.desc`), paged until older than the watermark.
 */

const PER_PAGE = 100;

const unitSchema = z.looseObject({ id: z.string().check(z.minLength(1)) });
const pageSchema = z.looseObject({ reviews: z.array(z.unknown()) });
const reviewSchema = z.looseObject({
  id: z.string(),
  stars: z.optional(z.number()),
  title: z.nullish(z.string()),
  text: z.nullish(z.string()),
  language: z.nullish(z.string()),
  createdAt: z.string(),
  consumer: z.optional(
    z.looseObject({
      displayName: z.nullish(z.string()),
      numberOfReviews: z.nullish(z.number()),
      countryCode: z.nullish(z.string()),
    }),
  ),
});

async function poll(ctx: PollContext): Promise<PollResult> {
  const source = ctx.source as SourceConfigOf<'trustpilot'>;
  const collector = new PollCollector(ctx);
  const { window } = collector;
  const base = source.baseUrl ?? 'https://api.trustpilot.com';
  const apikey = await requireSecret(ctx, 'apiKey');
  const unitState = stateFor<string>(ctx, 'businessUnitId');

  let unitId = source.businessUnitId ?? unitState.get();
  if (!unitId) {
    if (!source.domain) throw new Error(`source ${source.id}: set businessUnitId or domain`);
    const found = await ctx.http.getJson(buildUrl(base, '/v1/business-units/find', { name: source.domain, apikey }));
    unitId = parsePage(unitSchema, found.body, 'Trustpilot business-units/find').id;
    unitState.set(unitId);
  }

  await collector.paginate(
    source.maxPages,
    async (page, seen) => {
      const url = buildUrl(base, `/v1/business-units/${encodeURIComponent(unitId)}/reviews`, {
        perPage: PER_PAGE,
        orderBy: 'createdat.desc',
        page,
        apikey,
      });
      const body = parsePage(pageSchema, (await ctx.http.getJson(url)).body, 'Trustpilot reviews');
      let olderThanWatermark = false;
      for (const raw of body.reviews) {
        const review = collector.parseItem(reviewSchema, raw);
        if (!review) continue;
        const createdAtMs = Date.parse(review.createdAt);
        seen(createdAtMs);
        if (window.isOlderThanWatermark(createdAtMs)) {
          olderThanWatermark = true;
          continue;
        }
        const title = cleanText(review.title) || undefined;
        const text = cleanText(review.text);
        if (!text && !title) {
          collector.drop(review.id, createdAtMs);
          continue;
        }
        collector.offer({
          id: review.id,
          url: `https://www.trustpilot.com/reviews/${review.id}`,
          author: review.consumer?.displayName ?? undefined,
          title,
          text: joinTitleAndBody(title, text),
          createdAt: review.createdAt,
          language: review.language ?? undefined,
          rating: review.stars,
          authorReach: num(review.consumer?.numberOfReviews),
          country: review.consumer?.countryCode?.toLowerCase() ?? undefined,
        });
      }
      return olderThanWatermark || body.reviews.length < PER_PAGE;
    },
    1,
  );
  return collector.finish();
}

export const trustpilotAdapter: SourceAdapter = {
  kind: 'trustpilot',
  needs:
    'a Trustpilot API key (paid "API module" of Trustpilot Business; apiKeyEnv/apiKeySecret) and the business unit id or domain',
  poll,
};

import * as z from 'zod/mini';
import { SOURCE_KINDS, type Mention } from './mention';
import './zod-locale';

/** Validates a Mention that crossed a process boundary (SQS message, webhook body, replay file). */
export const mentionSchema: z.ZodMiniType<Mention> = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(1024)),
  sourceId: z.string().check(z.minLength(1)),
  kind: z.enum(SOURCE_KINDS),
  brandId: z.string().check(z.minLength(1)),
  url: z.optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  author: z.optional(z.string()),
  title: z.optional(z.string()),
  text: z.string(),
  createdAt: z.string().check(z.refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO timestamp')),
  language: z.optional(z.string()),
  rating: z.optional(z.number().check(z.gte(0), z.lte(5))),
  engagement: z.optional(
    z.object({ likes: z.optional(z.number()), shares: z.optional(z.number()), replies: z.optional(z.number()) }),
  ),
  authorReach: z.optional(z.number()),
  communitySize: z.optional(z.number()),
  country: z.optional(z.string()),
  visibility: z.optional(z.enum(['public', 'private'])),
  reply: z.optional(z.object({ text: z.string(), createdAt: z.optional(z.string()) })),
});

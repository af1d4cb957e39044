import * as z from 'zod';
import { SOURCE_KINDS, type Mention } from './mention';

/** Validates a Mention that crossed a process boundary (SQS message, webhook body, replay file). */
export const mentionSchema: z.ZodType<Mention> = z.object({
  id: z.string().min(1).max(1024),
  sourceId: z.string().min(1),
  kind: z.enum(SOURCE_KINDS),
  brandId: z.string().min(1),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  author: z.string().optional(),
  title: z.string().optional(),
  text: z.string(),
  createdAt: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO timestamp'),
  language: z.string().optional(),
  rating: z.number().min(0).max(5).optional(),
  engagement: z
    .object({ likes: z.number().optional(), shares: z.number().optional(), replies: z.number().optional() })
    .optional(),
  authorReach: z.number().optional(),
  communitySize: z.number().optional(),
  country: z.string().optional(),
  visibility: z.enum(['public', 'private']).optional(),
  reply: z.object({ text: z.string(), createdAt: z.string().optional() }).optional(),
});

import { z } from 'zod';

/** One input line of `earshot score --jsonl` (DESIGN.md contract); its errors say which field is wrong. */
export const scoreLine = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  text: z.string({ error: 'text must be a string' }),
  lang: z.string().optional(),
  title: z.string().optional(),
  rating: z.number().optional(),
});

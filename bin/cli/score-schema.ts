import * as z from 'zod';

/** What a line's id must be, said of a missing, empty or mistyped one. */
const ID_RULE = 'required, a non-empty string or number';

/** One input line of `earshot score --jsonl` (DESIGN.md contract); its errors say which field is wrong. */
export const scoreLine = z
  .object({
    id: z.union([z.string().min(1, { error: ID_RULE }), z.number()], { error: ID_RULE }).transform(String),
    text: z.string({ error: 'text must be a string' }),
    language: z.string().optional(),
    /** Old name of `language`, still read. */
    lang: z.string().optional(),
    title: z.string().optional(),
    rating: z.number().optional(),
  })
  .refine((line) => line.language === undefined || line.lang === undefined, {
    message: 'give language or its old name lang, not both',
    path: ['lang'],
  });

import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import '../../core/zod-locale';
import type { BrandConfig, SourceConfig } from '../../config/schema';
import type { Mention } from '../../core/mention';
import { cleanText, htmlToText } from '../text';

/**
 * Push source: anything that can POST JSON (Zapier, a CRM, a support desk) delivers mentions to Earshot.
 * The sender signs `<timestamp>.<raw body>` with HMAC-SHA256 and the shared secret:
 *   X-Earshot-Timestamp: <unix seconds>
 *   X-Earshot-Signature: sha256=<hex digest>
 * Signing the timestamp with the body stops replays: deliveries older or newer than 5 minutes are refused.
 * The body is one mention or an array of them (at most 100).
 */

export const SIGNATURE_HEADER = 'x-earshot-signature';
export const TIMESTAMP_HEADER = 'x-earshot-timestamp';
export const MAX_SKEW_SECONDS = 300;
export const MAX_BODY_BYTES = 1_000_000;

const deliveredMentionSchema = z.looseObject({
  id: z.pipe(
    z.union([z.string().check(z.minLength(1), z.maxLength(512)), z.number().check(z.int())]),
    z.transform(String),
  ),
  text: z.string().check(z.minLength(1), z.maxLength(100_000)),
  createdAt: z.optional(z.iso.datetime({ offset: true })),
  url: z.optional(z.url()),
  author: z.optional(z.string().check(z.maxLength(256))),
  title: z.optional(z.string().check(z.maxLength(1000))),
  language: z.optional(z.string().check(z.regex(/^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]+)?$/))),
  rating: z.optional(z.number().check(z.gte(1), z.lte(5))),
  engagement: z.optional(
    z.object({
      likes: z.optional(z.number().check(z.int(), z.gte(0))),
      shares: z.optional(z.number().check(z.int(), z.gte(0))),
      replies: z.optional(z.number().check(z.int(), z.gte(0))),
    }),
  ),
  authorReach: z.optional(z.number().check(z.int(), z.gte(0))),
  country: z.optional(z.string().check(z.regex(/^[a-zA-Z]{2}$/))),
  html: z.optional(z.boolean()),
});

const batchSchema = z
  .array(deliveredMentionSchema)
  .check(z.minLength(1, 'send at least one mention'), z.maxLength(100, 'send at most 100 mentions'));

export type WebhookResult = { ok: true; mentions: Mention[] } | { ok: false; status: 400 | 401 | 413; error: string };

/** The signature a sender puts in X-Earshot-Signature. */
export function signWebhookBody(rawBody: string, secret: string, timestampSeconds: number): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`).digest('hex')}`;
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

export function parseWebhookDelivery(
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
  secret: string,
  source: SourceConfig,
  brand: BrandConfig,
  now: Date,
): WebhookResult {
  if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES) return { ok: false, status: 413, error: 'body too large' };
  const signature = headerValue(headers, SIGNATURE_HEADER);
  const timestamp = headerValue(headers, TIMESTAMP_HEADER);
  if (!signature || !timestamp) {
    return { ok: false, status: 401, error: `missing ${SIGNATURE_HEADER} or ${TIMESTAMP_HEADER} header` };
  }
  if (!/^\d{1,12}$/.test(timestamp))
    return { ok: false, status: 401, error: `${TIMESTAMP_HEADER} must be unix seconds` };
  const expected = Buffer.from(signWebhookBody(rawBody, secret, Number(timestamp)));
  const given = Buffer.from(signature.trim());
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, status: 401, error: 'bad signature' };
  }
  // Checked after the signature so an attacker cannot probe the clock window with unsigned requests.
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) {
    return { ok: false, status: 401, error: `stale or replayed delivery (timestamp outside ±${MAX_SKEW_SECONDS} s)` };
  }
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, status: 400, error: 'body is not valid JSON' };
  }
  // Validate against the shape sent, so the error names the field that is wrong.
  const parsed = Array.isArray(json) ? batchSchema.safeParse(json) : deliveredMentionSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, status: 400, error: `invalid mention: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  const items = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  const mentions = items.map((item): Mention => {
    const mention: Mention = {
      id: item.id,
      sourceId: source.id,
      kind: 'webhook',
      brandId: brand.id,
      text: item.html ? htmlToText(item.text) : cleanText(item.text),
      createdAt: item.createdAt ? new Date(item.createdAt).toISOString() : now.toISOString(),
      visibility: 'public',
    };
    if (item.url) mention.url = item.url;
    if (item.author) mention.author = item.author;
    if (item.title) mention.title = cleanText(item.title);
    if (item.language) mention.language = item.language.toLowerCase().split(/[-_]/)[0];
    if (item.rating !== undefined) mention.rating = item.rating;
    if (item.engagement) mention.engagement = item.engagement;
    if (item.authorReach !== undefined) mention.authorReach = item.authorReach;
    if (item.country) mention.country = item.country.toLowerCase();
    return mention;
  });
  return { ok: true, mentions };
}

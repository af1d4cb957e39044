import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import '../../core/zod-locale';
import type { BrandConfig, SourceConfigOf } from '../../config/schema';
import type { Mention } from '../../core/mention';
import { cleanText } from '../text';
import { headerValue, type PushResult } from './push';

/**
 * Zalo Official Account webhook (SOURCES-VN §7): `user_send_text` events to the brand's OA. Each delivery carries
 * `X-ZEvent-Signature: mac=<hex>`; most SDKs compute a plain SHA-256 over app_id + raw body + timestamp + the OA
 * secret key, one computes HMAC-SHA256 keyed by the secret over app_id + raw body + timestamp. `signature`
 * chooses. A direct message is private: the mention is marked so and its text never leaves the team's own sinks.
 */

export const ZALO_SIGNATURE_HEADER = 'x-zevent-signature';

export type ZaloDigest = SourceConfigOf<'zalo'>['signature'];

/** The `mac=` value Zalo sends for a body, under either digest variant. */
export function signZaloBody(
  appId: string,
  rawBody: string,
  timestamp: string,
  secretKey: string,
  digest: ZaloDigest,
): string {
  const mac =
    digest === 'hmac-sha256'
      ? createHmac('sha256', secretKey)
          .update(appId + rawBody + timestamp, 'utf8')
          .digest('hex')
      : createHash('sha256')
          .update(appId + rawBody + timestamp + secretKey, 'utf8')
          .digest('hex');
  return `mac=${mac}`;
}

const eventSchema = z.looseObject({
  app_id: z.pipe(z.union([z.string(), z.number()]), z.transform(String)),
  event_name: z.string(),
  sender: z.looseObject({ id: z.pipe(z.union([z.string(), z.number()]), z.transform(String)) }),
  recipient: z.looseObject({ id: z.pipe(z.union([z.string(), z.number()]), z.transform(String)) }),
  message: z.optional(z.looseObject({ msg_id: z.string().check(z.minLength(1)), text: z.optional(z.string()) })),
  timestamp: z.pipe(z.union([z.string().check(z.regex(/^\d{1,16}$/)), z.number().check(z.int())]), z.transform(String)),
});

export function parseZaloDelivery(
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
  secretKey: string,
  source: SourceConfigOf<'zalo'>,
  brand: BrandConfig,
): PushResult {
  const signature = headerValue(headers, ZALO_SIGNATURE_HEADER);
  if (!signature) return { ok: false, status: 401, error: `missing ${ZALO_SIGNATURE_HEADER} header` };
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, status: 400, error: 'body is not valid JSON' };
  }
  // The signed string includes the payload's timestamp, so the body is read before the signature is checked.
  const timestamp = json && typeof json === 'object' ? (json as Record<string, unknown>).timestamp : undefined;
  if (typeof timestamp !== 'string' && typeof timestamp !== 'number') {
    return { ok: false, status: 401, error: 'bad signature (no timestamp in the payload)' };
  }
  const expected = Buffer.from(signZaloBody(source.appId, rawBody, String(timestamp), secretKey, source.signature));
  const given = Buffer.from(signature.trim());
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, status: 401, error: 'bad signature' };
  }
  const parsed = eventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, status: 400, error: `invalid event: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  const event = parsed.data;
  const text = cleanText(event.message?.text);
  if (event.event_name !== 'user_send_text' || event.recipient.id !== source.oaId || !event.message || !text) {
    return { ok: true, mentions: [], ignored: 1 };
  }
  const mention: Mention = {
    id: event.message.msg_id,
    sourceId: source.id,
    kind: 'zalo',
    brandId: brand.id,
    author: `zalo:${event.sender.id}`,
    text,
    createdAt: new Date(Number(event.timestamp)).toISOString(),
    language: 'vi',
    country: 'vn',
    visibility: 'private',
  };
  return { ok: true, mentions: [mention] };
}

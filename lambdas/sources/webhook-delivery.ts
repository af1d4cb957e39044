import type { EarshotConfig, SourceConfig, SourceConfigOf } from '../config/schema';
import { MIN_WEBHOOK_SECRET_LENGTH } from '../config/guard-rails';
import type { Mention } from '../core/mention';
import { answerFacebookHandshake, parseFacebookDelivery } from './adapters/facebook';
import { MAX_PUSH_BODY_BYTES, type PushResult } from './adapters/push';
import { parseWebhookDelivery } from './adapters/webhook';
import { parseZaloDelivery } from './adapters/zalo-webhook';
import { secretRef, type SecretResolver } from './secrets';

export type WebhookSourceConfig = SourceConfigOf<'webhook'>;

/** Source kinds that receive pushes on `/ingest/{sourceId}`, and the credential that verifies each delivery. */
export const PUSH_SECRETS = { webhook: 'secret', facebook: 'appSecret', zalo: 'oaSecretKey' } as const;
export type PushSourceConfig = SourceConfigOf<keyof typeof PUSH_SECRETS>;

export function isPushSource(source: SourceConfig): source is PushSourceConfig {
  return source.kind in PUSH_SECRETS;
}

export type WebhookVerification =
  | { ok: true; source: PushSourceConfig; mentions: Mention[] }
  | { ok: false; status: 400 | 401 | 404 | 413 | 500; error: string };

function findPushSource(
  config: Pick<EarshotConfig, 'sources'>,
  sourceId: string | undefined,
): PushSourceConfig | undefined {
  return config.sources.find((s): s is PushSourceConfig => isPushSource(s) && s.id === sourceId && s.enabled);
}

/**
 * One push delivery to `POST /ingest/{sourceId}`, checked the same way by the webhook Lambda and the local run:
 * 404 for an unknown or disabled source (its secret is not even granted on AWS), 500 when the source names no
 * secret, then the kind's own checks: Earshot's signed webhook (X-Earshot-Signature, freshness, body), a Facebook
 * Page webhook (X-Hub-Signature-256) or a Zalo OA event (X-ZEvent-Signature) (401, 400, 413). A secret that
 * cannot be read throws (SecretError): the caller answers 5xx and the sender retries.
 */
export async function verifyWebhookDelivery(
  sourceId: string | undefined,
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
  config: Pick<EarshotConfig, 'brands' | 'sources'>,
  secrets: SecretResolver,
  now: Date,
): Promise<WebhookVerification> {
  const source = findPushSource(config, sourceId);
  if (!source) return { ok: false, status: 404, error: 'unknown webhook source' };
  const brand = config.brands.find((b) => b.id === source.brand);
  // The config schema checks every source's brand, so this is a config built around it.
  if (!brand) return { ok: false, status: 500, error: `webhook source ${source.id} has an unknown brand` };
  const secretName = PUSH_SECRETS[source.kind];
  const ref = secretRef(source, secretName);
  if (!ref) {
    return { ok: false, status: 500, error: `${source.kind} source ${source.id} has no ${secretName} configured` };
  }
  if (Buffer.byteLength(rawBody) > MAX_PUSH_BODY_BYTES) return { ok: false, status: 413, error: 'body too large' };
  const secret = await secrets.resolve(ref);
  // The local config refuses a short secret from the environment; on AWS it is read only here, so checked here.
  if (source.kind === 'webhook' && secret.length < MIN_WEBHOOK_SECRET_LENGTH) {
    return {
      ok: false,
      status: 500,
      error: `webhook source ${source.id}: its secret is shorter than ${MIN_WEBHOOK_SECRET_LENGTH} characters; set a longer one`,
    };
  }
  let result: PushResult;
  switch (source.kind) {
    case 'facebook':
      result = parseFacebookDelivery(rawBody, headers, secret, source, brand);
      break;
    case 'zalo':
      result = parseZaloDelivery(rawBody, headers, secret, source, brand);
      break;
    default:
      result = parseWebhookDelivery(rawBody, headers, secret, source, brand, now);
  }
  return result.ok ? { ok: true, source, mentions: result.mentions } : result;
}

/**
 * `GET /ingest/{sourceId}`: Facebook's subscription handshake (`hub.mode=subscribe`, `hub.verify_token`,
 * `hub.challenge`). The challenge comes back as plain text when the verify token matches, else 403.
 */
export async function verifyWebhookHandshake(
  sourceId: string | undefined,
  query: Record<string, string | undefined>,
  config: Pick<EarshotConfig, 'brands' | 'sources'>,
  secrets: SecretResolver,
): Promise<{ status: 200 | 403 | 404 | 500; body: string }> {
  const source = findPushSource(config, sourceId);
  if (!source || source.kind !== 'facebook') return { status: 404, body: 'unknown webhook source' };
  const ref = secretRef(source, 'verifyToken');
  if (!ref) return { status: 500, body: `facebook source ${source.id} has no verifyToken configured` };
  return answerFacebookHandshake(query, await secrets.resolve(ref));
}

import type { EarshotConfig, SourceConfigOf } from '../config/schema';
import type { Mention } from '../core/mention';
import { parseWebhookDelivery } from './adapters/webhook';
import { secretRef, type SecretResolver } from './secrets';

export type WebhookSourceConfig = SourceConfigOf<'webhook'>;

export type WebhookVerification =
  | { ok: true; source: WebhookSourceConfig; mentions: Mention[] }
  | { ok: false; status: 400 | 401 | 404 | 413 | 500; error: string };

/**
 * One push delivery to `POST /ingest/{sourceId}`, checked the same way by the webhook Lambda and the local run:
 * 404 for an unknown or disabled source (its secret is not even granted on AWS), 500 when the source names no
 * secret, then the signature, freshness and body checks of parseWebhookDelivery (401, 400, 413). A secret that
 * cannot be read throws (SecretError): the caller answers 5xx and the sender retries.
 */
export async function verifyWebhookDelivery(
  sourceId: string | undefined,
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
  config: EarshotConfig,
  secrets: SecretResolver,
  now: Date,
): Promise<WebhookVerification> {
  const source = config.sources.find(
    (s): s is WebhookSourceConfig => s.kind === 'webhook' && s.id === sourceId && s.enabled,
  );
  if (!source) return { ok: false, status: 404, error: 'unknown webhook source' };
  const brand = config.brands.find((b) => b.id === source.brand);
  // The config schema checks every source's brand, so this is a config built around it.
  if (!brand) return { ok: false, status: 500, error: `webhook source ${source.id} has an unknown brand` };
  const ref = secretRef(source, 'secret');
  if (!ref) {
    return { ok: false, status: 500, error: `webhook source ${source.id} has no secret configured` };
  }
  const secret = await secrets.resolve(ref);
  const result = parseWebhookDelivery(rawBody, headers, secret, source, brand, now);
  return result.ok ? { ok: true, source, mentions: result.mentions } : result;
}

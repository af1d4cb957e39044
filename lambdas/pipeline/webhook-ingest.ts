import type { EarshotConfig } from '../config/schema';
import { parseWebhookDelivery } from '../sources/adapters/webhook';
import { secretRef, type SecretResolver } from '../sources/secrets';
import type { AlertDeps } from './alerting';
import { handleFlaggedMention } from './alerting';
import { ingestMentions } from './ingest';

export interface WebhookReply {
  status: number;
  body: Record<string, unknown>;
}

/**
 * One push delivery to `POST /ingest/{sourceId}` in the local run: verify, validate, store once, alert. (On AWS the
 * webhook Lambda verifies and queues instead; the analyze and alert functions do the rest.)
 */
export async function receiveWebhook(
  sourceId: string,
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
  deps: AlertDeps & { secrets: SecretResolver; config: EarshotConfig },
): Promise<WebhookReply> {
  const source = deps.config.sources.find((s) => s.kind === 'webhook' && s.id === sourceId && s.enabled);
  if (!source) return { status: 404, body: { error: 'unknown webhook source' } };
  const brand = deps.config.brands.find((b) => b.id === source.brand)!;
  const ref = secretRef(source, 'secret');
  if (!ref) return { status: 500, body: { error: `source ${source.id} has no secretEnv configured` } };
  const secret = await deps.secrets.resolve(ref);
  const result = parseWebhookDelivery(rawBody, headers, secret, source, brand, deps.now());
  if (!result.ok) return { status: result.status, body: { error: result.error } };
  const stored = await ingestMentions(result.mentions, {
    repo: deps.repo,
    retentionDays: deps.config.retentionDays,
    now: deps.now,
  });
  let alerts = 0;
  for (const mention of stored.flagged) {
    const outcome = await handleFlaggedMention(mention, deps);
    alerts += outcome.deliveries.filter((d) => d.sent.length > 0).length;
  }
  return {
    status: 202,
    body: { accepted: result.mentions.length, stored: stored.stored.length, duplicates: stored.duplicates, alerts },
  };
}

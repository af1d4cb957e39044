import type { EarshotConfig } from '../config/schema';
import type { SecretResolver } from '../sources/secrets';
import { verifyWebhookDelivery, verifyWebhookHandshake } from '../sources/webhook-delivery';
import { handleFlaggedMention, type AlertDeps } from './alerting';
import { ingestMentions } from './ingest';

export interface WebhookReply {
  status: number;
  body: Record<string, unknown>;
}

/**
 * One push delivery to `POST /ingest/{sourceId}` in the local run: verified like the webhook Lambda does, then
 * stored once and alerted straight away. (On AWS the Lambda queues instead; analyze and alert do the rest.)
 */
export async function receiveWebhook(
  sourceId: string,
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
  deps: AlertDeps & { secrets: SecretResolver; config: EarshotConfig },
): Promise<WebhookReply> {
  const delivery = await verifyWebhookDelivery(sourceId, rawBody, headers, deps.config, deps.secrets, deps.now());
  if (!delivery.ok) return { status: delivery.status, body: { error: delivery.error } };
  const stored = await ingestMentions(delivery.mentions, {
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
    body: { accepted: delivery.mentions.length, stored: stored.stored.length, duplicates: stored.duplicates, alerts },
  };
}

/** `GET /ingest/{sourceId}` in the local run: Facebook's webhook subscription handshake. */
export function answerWebhookHandshake(
  sourceId: string,
  query: Record<string, string | undefined>,
  deps: { secrets: SecretResolver; config: EarshotConfig },
): Promise<{ status: number; body: string }> {
  return verifyWebhookHandshake(sourceId, query, deps.config, deps.secrets);
}

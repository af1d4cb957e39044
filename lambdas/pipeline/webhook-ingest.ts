import type { EarshotConfig } from '../config/schema';
import type { SecretResolver } from '../sources/secrets';
import { verifyWebhookDelivery, verifyWebhookHandshake } from '../sources/webhook-delivery';
import type { Repository } from '../store/repository';
import type { AlertDeps } from './alert-deps';
import { handleFlaggedMention } from './flagged';
import { ingestMentions } from './ingest';

export interface WebhookReply {
  status: number;
  body: Record<string, unknown>;
}

/** Alerting still running after its push was answered, per store: a clean shutdown waits for it. */
const inFlight = new WeakMap<Repository, Set<Promise<void>>>();

/** Resolves once every push answered so far has been grouped and alerted (or left to the sweep). */
export async function webhookAlertingSettled(repo: Repository): Promise<void> {
  const pending = inFlight.get(repo);
  while (pending && pending.size > 0) await Promise.all([...pending]);
}

/**
 * One push delivery to `POST /ingest/{sourceId}` in the local run: verified like the webhook Lambda does, stored
 * once, and answered 202 as soon as it is stored. Grouping and alerting go on after the answer (one brand at a
 * time, see grouping.ts); whatever they cannot finish the sweep's catch-up does, so a stored mention is never
 * answered with an error. (On AWS the Lambda queues instead; analyze and alert do the rest.)
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
  let pending = inFlight.get(deps.repo);
  if (!pending) inFlight.set(deps.repo, (pending = new Set()));
  for (const mention of stored.flagged) {
    const work: Promise<void> = handleFlaggedMention(mention, deps, { fresh: true })
      .then(
        () => undefined,
        (error: Error) => {
          // Stored and ungrouped: the next sweep's catch-up groups and alerts it.
          process.stderr.write(`alerting ${sourceId}/${mention.id} failed (the sweep retries it): ${error.message}\n`);
        },
      )
      .finally(() => pending.delete(work));
    pending.add(work);
  }
  return {
    status: 202,
    body: {
      accepted: delivery.mentions.length,
      stored: stored.stored.length,
      duplicates: stored.duplicates,
      flagged: stored.flagged.length,
    },
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

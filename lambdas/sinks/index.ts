import type { SNSClient } from '@aws-sdk/client-sns';
import type { SinkConfig } from '../config/schema';
import { localSecrets, type SecretResolver } from '../sources/secrets';
import { createConsoleSink, type ConsoleSinkOptions } from './console';
import { createJsonlSink } from './jsonl';
import { createSnsSink } from './sns';
import type { AlertMessage, AlertSink } from './types';
import { createSecretWebhookSink, createWebhookSink, type WebhookSinkOptions } from './webhook';

export type { AlertMessage, AlertSink } from './types';
export { createConsoleSink } from './console';
export { createJsonlSink } from './jsonl';
export { createSnsSink, setSnsClient } from './sns';
export { createSecretWebhookSink, createWebhookSink } from './webhook';

export interface SinkDeps {
  snsClient?: SNSClient;
  /** Publish per-protocol SNS messages (see SnsSinkOptions.perProtocol). */
  snsPerProtocol?: boolean;
  webhook?: WebhookSinkOptions;
  consoleStream?: ConsoleSinkOptions['stream'];
  clock?: () => Date;
  /** Reads `webhookEnv` / `webhookSecret` URLs when an alert is sent; defaults to environment variables. */
  secrets?: SecretResolver;
}

/** The sinks named by the config's `alerts.sinks`. */
export function createSinks(sinkConfigs: readonly SinkConfig[], deps: SinkDeps = {}): AlertSink[] {
  return sinkConfigs.map((config): AlertSink => {
    if (config === 'console') return createConsoleSink({ stream: deps.consoleStream });
    if ('console' in config) return createConsoleSink({ color: config.console.color, stream: deps.consoleStream });
    if ('jsonl' in config) return createJsonlSink(config.jsonl, deps.clock);
    if ('webhook' in config) return createWebhookSink(config.webhook, deps.webhook);
    if ('webhookEnv' in config) {
      return createSecretWebhookSink({ env: config.webhookEnv }, deps.secrets ?? localSecrets(), deps.webhook);
    }
    if ('webhookSecret' in config) {
      return createSecretWebhookSink({ secret: config.webhookSecret }, deps.secrets ?? localSecrets(), deps.webhook);
    }
    if ('sns' in config) return createSnsSink(config.sns, { client: deps.snsClient, perProtocol: deps.snsPerProtocol });
    throw new Error(`unknown alert sink ${JSON.stringify(config)}`);
  });
}

export interface DeliveryResult {
  /** Every sink that has the message now: `alreadyDelivered` plus the ones that succeeded this time. */
  delivered: string[];
  /** Sinks that succeeded in this call. */
  sent: string[];
  failed: { sink: string; error: string }[];
}

/**
 * Send a message to every sink that does not have it yet, in parallel. Never throws because a sink failed: the
 * caller stores `delivered` (AlertRecord.deliveredTo) and a retry sends only to the sinks that failed.
 */
export async function deliver(
  message: AlertMessage,
  sinks: readonly AlertSink[],
  alreadyDelivered: readonly string[] = [],
): Promise<DeliveryResult> {
  const done = new Set(alreadyDelivered);
  const pending = sinks.filter((sink) => !done.has(sink.name));
  const results = await Promise.allSettled(pending.map(async (sink) => sink.send(message)));
  const sent: string[] = [];
  const failed: DeliveryResult['failed'] = [];
  results.forEach((result, i) => {
    const sink = pending[i].name;
    if (result.status === 'fulfilled') sent.push(sink);
    else failed.push({ sink, error: result.reason instanceof Error ? result.reason.message : String(result.reason) });
  });
  return { delivered: [...alreadyDelivered, ...sent], sent, failed };
}

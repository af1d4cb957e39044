import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { ENV, requireEnv } from '../config/env';
import type { SinkConfig } from '../config/schema';
import { runtimeConfig } from './deployed-config';
import { createSnsSink, createSinks, type AlertSink } from '../sinks';
import type { AlertDeps } from '../pipeline/alert-deps';
import { awsSecrets } from '../sources/secrets';
import { Repository } from '../store/repository';
import { documentClient } from '../store/table-client';

/**
 * What every Earshot Lambda shares, built once per execution environment (module scope): the validated config
 * from the stack, the repository, Powertools logger and metrics. Reading env vars fails fast, naming the variable.
 */

export const logger = new Logger();
// Metrics' own warnings (e.g. "no metrics to publish" after a redelivery) go through the structured logger.
export const metrics = new Metrics({ namespace: process.env[ENV.METRICS_NAMESPACE] ?? 'Earshot', logger });

export { runtimeConfig } from './deployed-config';

let repo: Repository | undefined;
export function runtimeRepository(): Repository {
  repo ??= new Repository(documentClient(new DynamoDBClient({})), requireEnv(ENV.TABLE_NAME));
  return repo;
}

/**
 * The configured sinks that also run on AWS: webhooks given inline or by secret. (`webhookEnv` names a variable of
 * the machine running `earshot run`; the stack does not set it on the functions. Console and JSONL are local too.)
 */
export function awsWebhookSinkConfigs(sinks: readonly SinkConfig[]): SinkConfig[] {
  return sinks.filter((sink) => typeof sink === 'object' && ('webhook' in sink || 'webhookSecret' in sink));
}

let sns: SNSClient | undefined;
/** Alert deps for the alert and escalate functions: SNS topics, plus any webhook sinks from the config. */
export function runtimeAlertDeps(): AlertDeps {
  sns ??= new SNSClient({});
  const cfg = runtimeConfig();
  // Webhook URLs named by secret are read from Secrets Manager / SSM when an alert is sent, then every 5 minutes.
  const webhookSinks: AlertSink[] = createSinks(awsWebhookSinkConfigs(cfg.alerts.sinks), { secrets: awsSecrets() });
  return {
    repo: runtimeRepository(),
    config: cfg,
    now: () => new Date(),
    sinks: [createSnsSink(requireEnv(ENV.ALERTS_TOPIC_ARN), { client: sns, perProtocol: true }), ...webhookSinks],
    escalationSinks: [createSnsSink(requireEnv(ENV.ESCALATION_TOPIC_ARN), { client: sns, perProtocol: true })],
    triageApiUrl: process.env[ENV.TRIAGE_API_URL],
  };
}

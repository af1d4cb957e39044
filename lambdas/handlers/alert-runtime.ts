import { SNSClient } from '@aws-sdk/client-sns';
import { ENV, requireEnv } from '../config/env';
import type { SinkConfig } from '../config/schema';
import type { AlertDeps } from '../pipeline/alert-deps';
import { createSinks, createSnsSink, type AlertSink } from '../sinks';
import { awsSecrets } from '../sources/secrets';
import { runtimeConfig } from './deployed-config';
import { repository } from './runtime';

/**
 * The configured sinks that also run on AWS: webhooks given inline or by secret. (`webhookEnv` names a variable of
 * the machine running `earshot run`; the stack does not set it on the functions. Console and JSONL are local too.)
 */
export function awsWebhookSinkConfigs(sinks: readonly SinkConfig[]): SinkConfig[] {
  return sinks.filter((sink) => typeof sink === 'object' && ('webhook' in sink || 'webhookSecret' in sink));
}

/** Alert deps for the alert and escalate functions: SNS topics, plus any webhook sinks from the config. */
export function runtimeAlertDeps(handler: 'alert' | 'escalate'): AlertDeps {
  const sns = new SNSClient({});
  const cfg = runtimeConfig(handler);
  // Webhook URLs named by secret are read from Secrets Manager / SSM when an alert is sent, then every 5 minutes.
  const webhookSinks: AlertSink[] = createSinks(awsWebhookSinkConfigs(cfg.alerts.sinks), { secrets: awsSecrets() });
  return {
    repo: repository,
    config: cfg,
    now: () => new Date(),
    sinks: [createSnsSink(requireEnv(ENV.ALERTS_TOPIC_ARN), { client: sns, perProtocol: true }), ...webhookSinks],
    escalationSinks: [createSnsSink(requireEnv(ENV.ESCALATION_TOPIC_ARN), { client: sns, perProtocol: true })],
    triageApiUrl: process.env[ENV.TRIAGE_API_URL],
  };
}

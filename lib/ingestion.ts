import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../lambdas/config/env';
import type { EarshotConfig } from '../lambdas/config/schema';
import { API_BURST_LIMIT, API_RATE_LIMIT, EarshotFunction } from './earshot-function';
import {
  ASYNC_MAX_EVENT_AGE,
  ASYNC_RETRY_ATTEMPTS,
  type Failures,
  SCHEDULER_MAX_EVENT_AGE_SECONDS,
  SCHEDULER_RETRY_ATTEMPTS,
} from './failures';
import { grantSend } from './grants';
import { LoggedHttpApi } from './http-api';
import { polledSources } from '../lambdas/sources/registry';
import { isPushSource, PUSH_SECRETS, type PushSourceConfig } from '../lambdas/sources/webhook-delivery';
import { localOnlyCredentials, secretNamesOf, SourceSecrets } from './secrets';
import type { Storage } from './storage';

/** Receives before a mention batch moves to the DLQ: room for throttling and transient store errors. */
export const MENTIONS_MAX_RECEIVE_COUNT = 5;

export interface IngestionProps {
  config: EarshotConfig;
  storage: Storage;
  failures: Failures;
  /** Seconds the analyze Lambda may take; the queue's visibility timeout is six times this (AWS guidance). */
  consumerTimeout: Duration;
}

/** Sources that receive pushes on `/ingest/{sourceId}`: Earshot webhooks, Facebook Page webhooks, Zalo OAs. */
export function webhookSources(config: EarshotConfig): PushSourceConfig[] {
  return config.sources.filter((source): source is PushSourceConfig => source.enabled && isPushSource(source));
}

/**
 * The secrets the webhook Lambda verifies deliveries with (and Facebook's verify token), not the sources' polling
 * credentials: a Page access token stays with the poll Lambda.
 */
export function pushSecretNamesOf(sources: readonly PushSourceConfig[]): string[] {
  const names = new Set<string>();
  for (const source of sources) {
    const fields = [`${PUSH_SECRETS[source.kind]}Secret`, ...(source.kind === 'facebook' ? ['verifyTokenSecret'] : [])];
    for (const field of fields) {
      const value = (source as Record<string, unknown>)[field];
      if (typeof value === 'string') names.add(value);
    }
  }
  return [...names];
}

/**
 * Getting mentions in: the mentions queue (SSE-KMS, SSL only, DLQ), the poll Lambda with one EventBridge
 * Scheduler schedule per enabled polled source, and — when webhook sources exist — a webhook HTTP endpoint.
 */
export class Ingestion extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly poll: EarshotFunction;
  readonly schedules: scheduler.CfnSchedule[] = [];
  readonly webhook?: EarshotFunction;
  readonly webhookApi?: LoggedHttpApi;
  /** Third-party senders cannot sign with SigV4: the webhook handler verifies an HMAC with the source secret. */
  readonly webhookRoutes: apigwv2.HttpRoute[] = [];

  constructor(scope: Construct, id: string, props: IngestionProps) {
    super(scope, id);
    const { config, storage } = props;
    // Mentions at rest in SQS: SQS-managed SSE (cdk-nag accepts it; no key of our own to pay for or grant).
    this.deadLetterQueue = new sqs.Queue(this, 'MentionsDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Mentions', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MENTIONS_MAX_RECEIVE_COUNT },
    });

    // Like a `{ webhookEnv }` sink: a source credential named only by `…Env` is local-only, and synth says so.
    config.sources.forEach((source, index) => {
      const fields = source.enabled ? localOnlyCredentials(source) : [];
      if (fields.length === 0) return;
      const secrets = fields.map((field) => `${field.slice(0, -3)}Secret`);
      Annotations.of(this).addWarningV2(
        'earshot:sourceEnvCredentialLocalOnly',
        `sources[${index}] (${source.id}): ${fields.join(', ')} ${fields.length === 1 ? 'names a variable' : 'name variables'} ` +
          `of the local run and ${fields.length === 1 ? 'is' : 'are'} not deployed; use ${secrets.join(', ')} on AWS`,
      );
    });

    const polled = polledSources(config);
    this.poll = new EarshotFunction(this, 'Poll', {
      handler: 'poll',
      config: props.config,
      logRetentionDays: config.deploy.logRetentionDays,
      environment: { [ENV.TABLE_NAME]: storage.table.tableName, [ENV.QUEUE_URL]: this.queue.queueUrl },
      // A failed poll is retried once; the cursor makes the retry (and the next scheduled poll) pick up where it stopped.
      asyncInvoke: {
        onFailure: props.failures.asyncFailures,
        retryAttempts: ASYNC_RETRY_ATTEMPTS,
        maxEventAge: ASYNC_MAX_EVENT_AGE,
      },
    });
    // Cursors, health and counters live in the table; mentions go on the queue.
    storage.grantReadWriteData(this.poll.fn, 'Table');
    grantSend(this.poll.fn, 'MentionsQueue', this.queue);
    const pollSecrets = new SourceSecrets(this, 'PollSecrets', secretNamesOf(polled));
    pollSecrets.grantRead(this.poll.fn);

    if (polled.length > 0) {
      const role = schedulerRoleFor(this, 'PollSchedulerRole', this.poll.fn, props.failures.schedulerDeadLetters);
      for (const source of polled) {
        this.schedules.push(
          new scheduler.CfnSchedule(this, `Schedule-${source.id}`, {
            description: `Earshot: poll ${source.id} (${source.kind}, brand ${source.brand})`,
            scheduleExpression: source.schedule,
            flexibleTimeWindow: { mode: 'OFF' },
            state: 'ENABLED',
            target: {
              arn: this.poll.fn.functionArn,
              roleArn: role.roleArn,
              input: JSON.stringify({ sourceId: source.id }),
              // The scheduler retries an invocation it could not make, then dead-letters it; a missed poll is
              // caught up by the next one anyway (the cursor remembers where it stopped).
              retryPolicy: {
                maximumRetryAttempts: SCHEDULER_RETRY_ATTEMPTS,
                maximumEventAgeInSeconds: SCHEDULER_MAX_EVENT_AGE_SECONDS,
              },
              deadLetterConfig: { arn: props.failures.schedulerDeadLetters.queueArn },
            },
          }),
        );
      }
    }

    const hooks = webhookSources(config);
    if (hooks.length > 0) {
      this.webhook = new EarshotFunction(this, 'Webhook', {
        handler: 'webhook',
        config: props.config,
        logRetentionDays: config.deploy.logRetentionDays,
        environment: { [ENV.QUEUE_URL]: this.queue.queueUrl },
      });
      grantSend(this.webhook.fn, 'MentionsQueue', this.queue);
      new SourceSecrets(this, 'WebhookSecrets', pushSecretNamesOf(hooks)).grantRead(this.webhook.fn);

      this.webhookApi = new LoggedHttpApi(this, 'WebhookApi', {
        description: 'Earshot webhook ingestion (senders sign requests with the source secret)',
        logRetentionDays: config.deploy.logRetentionDays,
        rateLimit: API_RATE_LIMIT,
        burstLimit: API_BURST_LIMIT,
      });
      // Facebook subscribes a Page webhook with a GET handshake (hub.verify_token) before it POSTs deliveries.
      const methods = hooks.some((source) => source.kind === 'facebook')
        ? [apigwv2.HttpMethod.GET, apigwv2.HttpMethod.POST]
        : [apigwv2.HttpMethod.POST];
      this.webhookRoutes = this.webhookApi.api.addRoutes({
        path: '/ingest/{sourceId}',
        methods,
        integration: new integrations.HttpLambdaIntegration('Webhook', this.webhook.fn),
      });
    }
  }
}

/** A role EventBridge Scheduler assumes to invoke exactly one function and dead-letter what it could not invoke. */
export function schedulerRoleFor(
  scope: Construct,
  id: string,
  fn: lambda.IFunction,
  deadLetters: sqs.IQueue,
): iam.Role {
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
    description: 'EventBridge Scheduler: invoke one Earshot function',
  });
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: 'InvokeOne', actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: 'DeadLetter', actions: ['sqs:SendMessage'], resources: [deadLetters.queueArn] }),
  );
  return role;
}

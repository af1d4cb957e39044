import { Annotations, Duration } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../lambdas/config/env';
import type { EarshotConfig } from '../lambdas/config/schema';
import { FLAGGED_INSERT_FILTER } from '../lambdas/store/table';
import { EarshotFunction } from './earshot-function';
import {
  ASYNC_MAX_EVENT_AGE,
  ASYNC_RETRY_ATTEMPTS,
  type Failures,
  SCHEDULER_MAX_EVENT_AGE_SECONDS,
  SCHEDULER_RETRY_ATTEMPTS,
} from './failures';
import { grantPublish } from './grants';
import { schedulerRoleFor } from './ingestion';
import { SourceSecrets, webhookSecretNamesOf } from './secrets';
import type { Storage } from './storage';

export const ESCALATION_SCHEDULE = 'rate(5 minutes)';
/** Stream batches retried this often (halved each time by bisect-on-error) before going to the failure queue. */
export const ALERT_STREAM_RETRY_ATTEMPTS = 3;

export interface AlertingProps {
  config: EarshotConfig;
  storage: Storage;
  failures: Failures;
  /** Shown in alerts so people can acknowledge. */
  triageApiUrl: string;
}

/**
 * Alerts out: the alerts and escalation topics (SSE with SNS's AWS managed key, SSL only) with the configured email / HTTPS / SQS
 * subscriptions and optional Slack via AWS Chatbot; the alert Lambda on the table stream (flagged inserts
 * only); the escalation sweeper every five minutes.
 */
export class Alerting extends Construct {
  readonly alertsTopic: sns.Topic;
  readonly escalationTopic: sns.Topic;
  readonly alert: EarshotFunction;
  readonly escalate: EarshotFunction;
  /** Stream batches the alert Lambda failed on, after retries (records of where they were, not the items). */
  readonly streamFailureQueue: sqs.Queue;
  readonly escalationSchedule: scheduler.CfnSchedule;
  readonly slack?: chatbot.SlackChannelConfiguration;

  constructor(scope: Construct, id: string, props: AlertingProps) {
    super(scope, id);
    const { config, storage } = props;
    const { deploy } = config;

    // SNS's AWS managed key: only the functions publish here (CloudWatch, which cannot use it, publishes to the
    // ops topic and its own key).
    const snsKey = kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns');
    this.alertsTopic = new sns.Topic(this, 'Alerts', {
      displayName: 'Earshot alerts',
      masterKey: snsKey,
      enforceSSL: true,
    });
    this.escalationTopic = new sns.Topic(this, 'Escalations', {
      displayName: 'Earshot escalations',
      masterKey: snsKey,
      enforceSSL: true,
    });
    const topics = [this.alertsTopic, this.escalationTopic];

    // Subscribers get both topics; the filter policies on `severity` and `brand` message attributes apply to each.
    deploy.subscriptions.email.forEach((email, i) => {
      const filterPolicy: Record<string, sns.SubscriptionFilter> = {};
      if (email.severities)
        filterPolicy.severity = sns.SubscriptionFilter.stringFilter({ allowlist: email.severities });
      if (email.brands) filterPolicy.brand = sns.SubscriptionFilter.stringFilter({ allowlist: email.brands });
      for (const topic of topics) {
        new sns.Subscription(this, `Email${i}-${topic.node.id}`, {
          topic,
          protocol: sns.SubscriptionProtocol.EMAIL,
          endpoint: email.address,
          filterPolicy: Object.keys(filterPolicy).length > 0 ? filterPolicy : undefined,
        });
      }
    });
    deploy.subscriptions.https.forEach((https, i) => {
      for (const topic of topics) {
        new sns.Subscription(this, `Https${i}-${topic.node.id}`, {
          topic,
          protocol: sns.SubscriptionProtocol.HTTPS,
          endpoint: https.url,
        });
      }
    });
    // Queues outside the stack: their owner's queue policy must let this topic send (see the stack outputs).
    deploy.subscriptions.sqs.forEach((queue, i) => {
      for (const topic of topics) {
        new sns.Subscription(this, `Sqs${i}-${topic.node.id}`, {
          topic,
          protocol: sns.SubscriptionProtocol.SQS,
          endpoint: queue.queueArn,
          rawMessageDelivery: true,
        });
      }
    });
    if (deploy.slack) {
      this.slack = new chatbot.SlackChannelConfiguration(this, 'Slack', {
        slackChannelConfigurationName: `earshot-${deploy.slack.channelId}`.slice(0, 128),
        slackWorkspaceId: deploy.slack.workspaceId,
        slackChannelId: deploy.slack.channelId,
        notificationTopics: topics,
        loggingLevel: chatbot.LoggingLevel.ERROR,
        // Notifications only: nobody can run AWS commands from the channel.
        guardrailPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AWSDenyAll')],
      });
    }

    this.streamFailureQueue = new sqs.Queue(this, 'StreamFailures', {
      // Holds stream coordinates (shard, sequence numbers), no mention content: SQS-managed SSE is enough.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    const topicEnvironment = {
      [ENV.TABLE_NAME]: storage.table.tableName,
      [ENV.ALERTS_TOPIC_ARN]: this.alertsTopic.topicArn,
      [ENV.ESCALATION_TOPIC_ARN]: this.escalationTopic.topicArn,
      [ENV.TRIAGE_API_URL]: props.triageApiUrl,
    };
    this.alert = new EarshotFunction(this, 'Alert', {
      handler: 'alert',
      config: props.config,
      logRetentionDays: deploy.logRetentionDays,
      environment: topicEnvironment,
    });
    storage.grantReadWriteData(this.alert.fn, 'Table');
    // Only the escalate function publishes escalations; the alert function keeps the topic ARN in its environment
    // because the shared runtime builds both sink lists.
    grantPublish(this.alert.fn, 'PublishAlerts', this.alertsTopic);
    this.alert.fn.addEventSource(
      new DynamoEventSource(storage.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 25,
        maxBatchingWindow: Duration.seconds(5),
        bisectBatchOnError: true,
        retryAttempts: ALERT_STREAM_RETRY_ATTEMPTS,
        maxRecordAge: Duration.hours(6),
        reportBatchItemFailures: true,
        // One poller per shard keeps a brand's alerts in order (incident grouping depends on it).
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.streamFailureQueue),
        filters: [lambda.FilterCriteria.filter(FLAGGED_INSERT_FILTER)],
      }),
    );

    this.escalate = new EarshotFunction(this, 'Escalate', {
      handler: 'escalate',
      config: props.config,
      logRetentionDays: deploy.logRetentionDays,
      environment: topicEnvironment,
      // A failed sweep is retried once; escalations and re-sends are recorded in the table as they go out, so a
      // retry skips what the failed run already sent.
      asyncInvoke: {
        onFailure: props.failures.asyncFailures,
        retryAttempts: ASYNC_RETRY_ATTEMPTS,
        maxEventAge: ASYNC_MAX_EVENT_AGE,
      },
    });
    storage.grantReadWriteData(this.escalate.fn, 'Table');
    grantPublish(this.escalate.fn, 'PublishEscalations', this.escalationTopic);
    // The sweep also sends to the alerts topic: re-sends a sink missed, digests, held-back incident updates, spikes.
    grantPublish(this.escalate.fn, 'PublishAlerts', this.alertsTopic);

    // Webhook sink URLs kept in Secrets Manager / SSM: both functions build the configured webhook sinks.
    const webhookSecrets = new SourceSecrets(this, 'WebhookSinkSecrets', webhookSecretNamesOf(config.alerts.sinks));
    webhookSecrets.grantRead(this.alert.fn);
    webhookSecrets.grantRead(this.escalate.fn);
    if (config.alerts.sinks.some((sink) => typeof sink === 'object' && 'webhookEnv' in sink)) {
      Annotations.of(this).addWarningV2(
        'earshot:webhookEnvSinkLocalOnly',
        'alerts.sinks: { webhookEnv } names a variable of the local run and is not deployed; use { webhookSecret } on AWS',
      );
    }
    const role = schedulerRoleFor(
      this,
      'EscalationSchedulerRole',
      this.escalate.fn,
      props.failures.schedulerDeadLetters,
    );
    this.escalationSchedule = new CfnSchedule(this, 'EscalationSchedule', {
      description: 'Earshot: escalate unacknowledged high and critical alerts',
      scheduleExpression: ESCALATION_SCHEDULE,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.escalate.fn.functionArn,
        roleArn: role.roleArn,
        input: JSON.stringify({}),
        // Retried within the four minutes before the next sweep is due, then dead-lettered (and alarmed on).
        retryPolicy: {
          maximumRetryAttempts: SCHEDULER_RETRY_ATTEMPTS,
          maximumEventAgeInSeconds: SCHEDULER_MAX_EVENT_AGE_SECONDS,
        },
        deadLetterConfig: { arn: props.failures.schedulerDeadLetters.queueArn },
      },
    });
  }
}

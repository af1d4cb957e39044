import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EarshotConfig } from '../lambdas/config/schema';
import { Alerting } from './alerting';
import { Analysis } from './analysis';
import { type EarshotFunction, handlerTimeout } from './earshot-function';
import { Failures } from './failures';
import { Inbox } from './inbox';
import { polledSources } from '../lambdas/sources/registry';
import { Ingestion } from './ingestion';
import { Monitoring } from './monitoring';
import { Storage } from './storage';
import { TriageApi } from './triage-api';

export interface EarshotStackProps extends StackProps {
  config: EarshotConfig;
}

/**
 * Earshot on AWS: storage, ingestion, analysis, alerting, the triage API and monitoring, one construct each.
 * The config is validated before it gets here (bin/app.ts); its secrets are names, never values.
 */
export class EarshotStack extends Stack {
  readonly storage: Storage;
  readonly failures: Failures;
  readonly ingestion: Ingestion;
  readonly analysis: Analysis;
  readonly alerting: Alerting;
  readonly triageApi: TriageApi;
  readonly monitoring: Monitoring;
  readonly functions: EarshotFunction[];
  /** With `deploy.inbox` in the config. */
  readonly inbox?: Inbox;

  constructor(scope: Construct, id: string, props: EarshotStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.storage = new Storage(this, 'Storage', { retainData: config.deploy.retainData });
    this.failures = new Failures(this, 'Failures');
    this.ingestion = new Ingestion(this, 'Ingestion', {
      config,
      storage: this.storage,
      failures: this.failures,
      consumerTimeout: handlerTimeout('analyze'),
    });
    this.analysis = new Analysis(this, 'Analysis', {
      config,
      storage: this.storage,
      queue: this.ingestion.queue,
    });
    this.triageApi = new TriageApi(this, 'TriageApi', { config, storage: this.storage });
    this.alerting = new Alerting(this, 'Alerting', {
      config,
      storage: this.storage,
      failures: this.failures,
      triageApiUrl: this.triageApi.http.url,
    });

    this.functions = [
      this.ingestion.poll,
      ...(this.ingestion.webhook ? [this.ingestion.webhook] : []),
      this.analysis.analyze,
      this.alerting.alert,
      this.alerting.escalate,
      this.triageApi.triage,
    ];
    this.monitoring = new Monitoring(this, 'Monitoring', {
      sources: polledSources(config),
      functions: this.functions,
      queue: this.ingestion.queue,
      deadLetterQueues: [this.ingestion.deadLetterQueue, this.alerting.streamFailureQueue, ...this.failures.queues],
      opsEmail: config.deploy.opsEmail,
      retainKey: config.deploy.retainData,
    });

    if (config.deploy.inbox) {
      this.inbox = new Inbox(this, 'Inbox', {
        triageApi: this.triageApi,
        domainPrefix: config.deploy.inbox.domainPrefix,
        retainData: config.deploy.retainData,
      });
    }

    this.acknowledgeFindings(config.deploy.tracing);

    new CfnOutput(this, 'TableName', { value: this.storage.table.tableName });
    new CfnOutput(this, 'MentionsQueueUrl', { value: this.ingestion.queue.queueUrl });
    new CfnOutput(this, 'AlertsTopicArn', {
      value: this.alerting.alertsTopic.topicArn,
      description: 'Subscribe here; filter on the brand, severity, source and kind message attributes',
    });
    new CfnOutput(this, 'EscalationTopicArn', { value: this.alerting.escalationTopic.topicArn });
    new CfnOutput(this, 'OpsTopicArn', { value: this.monitoring.opsTopic.topicArn });
    new CfnOutput(this, 'TriageApiUrl', { value: this.triageApi.http.url, description: 'SigV4 (IAM) auth' });
    if (this.inbox) {
      new CfnOutput(this, 'InboxUrl', { value: this.inbox.url, description: 'The web inbox (Cognito sign-in)' });
      new CfnOutput(this, 'InboxUserPoolId', {
        value: this.inbox.userPool.userPoolId,
        description: 'Add people with: aws cognito-idp admin-create-user --user-pool-id <this> --username EMAIL …',
      });
    }
    if (this.ingestion.webhookApi) {
      new CfnOutput(this, 'WebhookUrl', { value: `${this.ingestion.webhookApi.url}ingest/{sourceId}` });
    }
  }

  /** cdk-nag AwsSolutions findings that are deliberate, each with its reason, on the narrowest construct. */
  private acknowledgeFindings(tracing: boolean): void {
    Validations.of(this.alerting.streamFailureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination of the alert Lambda stream mapping; a dead-letter queue for it would only hold the same failure records again.',
    });
    Validations.of(this.failures.schedulerDeadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of every EventBridge Scheduler target; a dead-letter queue for it would only hold the same records again.',
    });
    Validations.of(this.failures.asyncFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination of the asynchronous (scheduled) invocations of poll and escalate; a dead-letter queue for it would only hold the same records again.',
    });
    if (tracing) {
      for (const fn of this.functions) {
        const policy = fn.role.node.tryFindChild('DefaultPolicy');
        if (!policy) continue;
        Validations.of(policy).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'deploy.tracing is on: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so AWS requires "*"; every other statement of this policy names its resources (a CDK test checks).',
        });
      }
    }
    for (const route of this.ingestion.webhookRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Third-party webhook senders (Facebook, Zalo, support desks) cannot sign with SigV4; the webhook handler authenticates each delivery with the HMAC or digest its sender documents, keyed by the source secret, answers the Facebook GET handshake only with the verify token, and the stage is throttled.',
      });
    }
  }
}

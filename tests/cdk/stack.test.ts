import { spawnSync } from 'node:child_process';
import { estimateMonthlyCost, FIXED_ALARMS } from '../../lambdas/core/cost';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ConfigError, loadConfig, parseConfig } from '../../lambdas/config/load';
import type { EarshotConfig } from '../../lambdas/config/schema';
import { FLAGGED_INSERT_FILTER } from '../../lambdas/store/table';
import { createEarshotApp } from '../../lib/earshot-app';
import { deployedConfig } from '../../lambdas/config/env';
import { API_BURST_LIMIT, RESERVED_CONCURRENCY } from '../../lib/earshot-function';
import { SCHEDULER_MAX_EVENT_AGE_SECONDS, SCHEDULER_RETRY_ATTEMPTS } from '../../lib/failures';
import { functionStatements, synthStack, type Statement } from '../helpers/synth';

const ROOT = path.resolve(__dirname, '../..');
const ENV = { account: '123456789012', region: 'us-east-1' };
/** Skips esbuild for every stack: the template tests do not need the code. One test below bundles for real. */
const NO_BUNDLING = { context: { 'aws:cdk:bundling-stacks': [] } };

const fullConfig: EarshotConfig = parseConfig({
  brands: [
    { id: 'acme', name: 'Acme', keywords: ['acme', 'acme air'], exclude: ['acme museum'] },
    { id: 'globex', name: 'Globex', keywords: ['globex'] },
  ],
  sources: [
    { id: 'acme-hn', kind: 'hackernews', brand: 'acme', schedule: 'rate(5 minutes)' },
    { id: 'acme-ios', kind: 'appstore', brand: 'acme', appId: '123456789', schedule: 'cron(0 * * * ? *)' },
    {
      id: 'acme-reddit',
      kind: 'reddit',
      brand: 'acme',
      clientIdSecret: 'earshot/reddit-id',
      clientSecretSecret: 'ssm:/earshot/reddit/secret',
    },
    { id: 'globex-yt', kind: 'youtube', brand: 'globex', apiKeySecret: 'earshot/unused-youtube', enabled: false },
    { id: 'acme-hook', kind: 'webhook', brand: 'acme', secretSecret: 'earshot/webhook' },
  ],
  deploy: {
    subscriptions: {
      email: [{ address: 'team@example.com', severities: ['high', 'critical'], brands: ['acme'] }],
      https: [{ url: 'https://hooks.example.com/earshot' }],
      sqs: [{ queueArn: 'arn:aws:sqs:us-east-1:123456789012:earshot-alerts' }],
    },
    slack: { workspaceId: 'T0123', channelId: 'C0456' },
    opsEmail: 'ops@example.com',
    analyzeReservedConcurrency: 4,
    logRetentionDays: 14,
  },
});
const POLLED = ['acme-hn', 'acme-ios', 'acme-reddit'];

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

let template: Template;
let stack: Stack;

beforeAll(() => {
  const built = createEarshotApp(fullConfig, { env: ENV, appProps: NO_BUNDLING });
  stack = built.stack;
  template = Template.fromStack(built.stack);
});

function policyStatements(): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
  );
}

function logicalIdOf(type: string, props: Record<string, unknown>): string {
  const found = Object.keys(template.findResources(type, { Properties: Match.objectLike(props) }));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('storage', () => {
  test("one on-demand table encrypted with DynamoDB's AWS managed key, PITR, TTL on expiresAt and a NEW_IMAGE stream", () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: Match.absent(),
        }),
      ],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'gsi1' }), Match.objectLike({ IndexName: 'gsi2' })],
    });
    // One key of our own: the ops topic's, which CloudWatch alarms publish with ($1 a month).
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      Description: 'Earshot ops notifications',
    });
  });

  test('data is retained by default and deletable when deploy.retainData is false', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
    const disposable = createEarshotApp(
      { ...fullConfig, deploy: { ...fullConfig.deploy, retainData: false } },
      { env: ENV, appProps: NO_BUNDLING },
    );
    Template.fromStack(disposable.stack).hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' });
  });
});

describe('ingestion', () => {
  test('the mentions queue has SQS-managed encryption and redrives to its DLQ after 5 receives', () => {
    const [dlq] = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) =>
      id.startsWith('IngestionMentionsDlq'),
    );
    expect(template.toJSON().Resources[dlq].Properties).toMatchObject({ SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      KmsMasterKeyId: Match.absent(),
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 5 },
      VisibilityTimeout: 360,
    });
  });

  test('one schedule per enabled polled source, invoking the poll Lambda with {"sourceId"}', () => {
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule'))
      .map((resource) => resource.Properties)
      .filter((props) => String(props.Description).includes('poll'));
    expect(schedules.map((props) => JSON.parse(props.Target.Input).sourceId).sort()).toEqual([...POLLED].sort());
    const pollFn = logicalIdOf('AWS::Lambda::Function', { Handler: 'index.handler', MemorySize: 512, Timeout: 300 });
    for (const props of schedules) {
      expect(props.Target.Arn).toEqual({ 'Fn::GetAtt': [pollFn, 'Arn'] });
      const source = fullConfig.sources.find((s) => s.id === JSON.parse(props.Target.Input).sourceId);
      expect(props.ScheduleExpression).toBe(source?.schedule);
    }
    // The scheduler's role may invoke the poll function and dead-letter to its queue, nothing else.
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Sid: 'InvokeOne',
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            Resource: { 'Fn::GetAtt': [pollFn, 'Arn'] },
          },
          {
            Sid: 'DeadLetter',
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FailuresSchedulerDeadLetters'), 'Arn'] },
          },
        ],
      },
    });
  });

  test('the poll and webhook Lambdas read exactly the secrets their sources name', () => {
    const secretResources = policyStatements()
      .filter((s) => asArray(s.Action).some((a) => a.startsWith('secretsmanager:') || a.startsWith('ssm:')))
      .map((s) => JSON.stringify(s.Resource));
    expect(secretResources).toHaveLength(3);
    expect(secretResources.join()).toContain(':secret:earshot/reddit-id-??????');
    expect(secretResources.join()).toContain(':parameter/earshot/reddit/secret');
    expect(secretResources.join()).toContain(':secret:earshot/webhook-??????');
    // The disabled source's secret is not granted.
    expect(secretResources.join()).not.toContain('unused-youtube');
  });
});

describe('alerting', () => {
  test('the alert Lambda consumes only flagged MENTION inserts, bisects, retries and keeps failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StorageTable'), 'StreamArn'] },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(FLAGGED_INSERT_FILTER) }] },
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertingStreamFailures'), 'Arn'] } },
      },
    });
    const pattern = JSON.parse(JSON.stringify(FLAGGED_INSERT_FILTER));
    expect(pattern).toEqual({
      eventName: ['INSERT'],
      dynamodb: { NewImage: { type: { S: ['MENTION'] }, flagged: { BOOL: [true] } } },
    });
  });

  test('topics are KMS-encrypted (SNS key; ops: its own key); email subscriptions filter on severity and brand', () => {
    template.resourceCountIs('AWS::SNS::Topic', 3);
    const keys = Object.values(template.findResources('AWS::SNS::Topic')).map((t) => t.Properties.KmsMasterKeyId);
    expect(keys.filter((key) => JSON.stringify(key).endsWith(':alias/aws/sns"]]}'))).toHaveLength(2);
    expect(keys.filter((key) => key?.['Fn::GetAtt']?.[0]?.startsWith('MonitoringOpsKey'))).toHaveLength(1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'team@example.com',
      FilterPolicy: { severity: ['high', 'critical'], brand: ['acme'] },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: 'https://hooks.example.com/earshot',
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', RawMessageDelivery: true });
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', { SlackChannelId: 'C0456' });
  });

  test('alert and escalate Lambdas know both topics and the triage API URL', () => {
    for (const id of ['AlertingAlertFunction', 'AlertingEscalateFunction']) {
      const [fn] = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([key]) =>
        key.startsWith(id),
      );
      expect(Object.keys(fn[1].Properties.Environment.Variables)).toEqual(
        expect.arrayContaining(['EARSHOT_ALERTS_TOPIC_ARN', 'EARSHOT_ESCALATION_TOPIC_ARN', 'EARSHOT_TRIAGE_API_URL']),
      );
    }
  });

  test('the escalation sweeper runs every 5 minutes', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      Target: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertingEscalateFunction'), 'Arn'] } },
    });
  });
});

describe('least privilege and transport security', () => {
  test('no IAM statement has a wildcard action or a wildcard resource', () => {
    const statements = policyStatements();
    expect(statements.length).toBeGreaterThan(10);
    for (const statement of statements) {
      for (const action of asArray(statement.Action)) expect(action).not.toContain('*');
      for (const resource of asArray(statement.Resource)) expect(JSON.stringify(resource)).not.toContain('*');
    }
    // No AWS managed policies on function roles (AWSLambdaBasicExecutionRole would grant logs on "*").
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  test('table access names the table and its indexes, publishing names the topic', () => {
    const tableStatement = policyStatements().find((s) => asArray(s.Action).includes('dynamodb:Query'));
    expect(JSON.stringify(tableStatement?.Resource)).toMatch(/StorageTable.*\/index\/gsi1.*\/index\/gsi2/);
    const publish = policyStatements().filter((s) => s.Action === 'sns:Publish');
    expect(publish.length).toBeGreaterThanOrEqual(3);
    for (const statement of publish) expect(statement.Resource).toEqual({ Ref: expect.stringMatching(/^Alerting/) });
  });

  test('table access is exactly the DynamoDB operations the repository sends: no delete, no batch, no scan', () => {
    // The alert function's stream reading (GetRecords, GetShardIterator, DescribeStream) names the stream ARN.
    const dynamoActions = new Set(
      policyStatements()
        .filter((s) => !JSON.stringify(s.Resource).includes('StreamArn'))
        .flatMap((s) => asArray(s.Action))
        .filter((a) => a.startsWith('dynamodb:')),
    );
    expect([...dynamoActions].sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
  });

  test('only the escalate function may publish to the escalation topic', () => {
    const escalationTopic = logicalIdOf('AWS::SNS::Topic', { DisplayName: 'Earshot escalations' });
    const publishesEscalations = (statements: Statement[]) =>
      statements.some((s) => s.Action === 'sns:Publish' && JSON.stringify(s.Resource).includes(escalationTopic));
    expect(publishesEscalations(functionStatements(template, 'AlertingAlertFunction'))).toBe(false);
    expect(publishesEscalations(functionStatements(template, 'AlertingEscalateFunction'))).toBe(true);
  });

  test('webhook sink secrets: the alert and escalate functions read exactly the named ones, nothing else does', () => {
    const config = parseConfig({
      ...fullConfig,
      alerts: {
        sinks: [
          'console',
          { webhookSecret: 'earshot/slack-webhook' },
          { webhookSecret: 'ssm:/earshot/teams-webhook' },
          { webhookSecret: 'earshot/slack-webhook' },
          { webhookEnv: 'LOCAL_ONLY_WEBHOOK_URL' },
          { webhook: 'https://hooks.example.com/not-secret' },
        ],
      },
    });
    const built = createEarshotApp(config, { env: ENV, appProps: NO_BUNDLING }).stack;
    const t = Template.fromStack(built);
    const secretResources = (statements: Statement[]) =>
      statements
        .filter((s) => asArray(s.Action).some((a) => a.startsWith('secretsmanager:') || a.startsWith('ssm:')))
        .map((s) => JSON.stringify(s.Resource));
    for (const fn of ['AlertingAlertFunction', 'AlertingEscalateFunction']) {
      const resources = secretResources(functionStatements(t, fn));
      expect(resources).toHaveLength(2);
      expect(resources.join()).toContain(':secret:earshot/slack-webhook-??????');
      expect(resources.join()).toContain(':parameter/earshot/teams-webhook');
    }
    for (const fn of ['IngestionPollFunction', 'AnalysisAnalyzeFunction', 'TriageApiTriageFunction']) {
      expect(secretResources(functionStatements(t, fn)).join()).not.toMatch(/slack-webhook|teams-webhook/);
    }
    // A local-only `webhookEnv` sink is not deployed, and synth says so.
    Annotations.fromStack(built).hasWarning('/Earshot/Alerting', Match.stringLikeRegexp('webhookEnv.*webhookSecret'));
  });

  test('every topic and queue denies requests without TLS', () => {
    const denyInsecure = Match.arrayWith([
      Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]);
    const topicPolicies = template.findResources('AWS::SNS::TopicPolicy', {
      Properties: { PolicyDocument: { Statement: denyInsecure } },
    });
    expect(Object.keys(topicPolicies)).toHaveLength(3);
    const queuePolicies = template.findResources('AWS::SQS::QueuePolicy', {
      Properties: { PolicyDocument: { Statement: denyInsecure } },
    });
    const queues = Object.keys(template.findResources('AWS::SQS::Queue'));
    expect(queues).toHaveLength(5);
    const covered = Object.values(queuePolicies).flatMap((policy) =>
      policy.Properties.Queues.map((q: { Ref: string }) => q.Ref),
    );
    expect(covered.sort()).toEqual(queues.sort());
  });
});

describe('functions', () => {
  test('every Lambda is arm64 on the newest Node runtime with its own retained log group', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(6);
    for (const fn of functions) {
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.LoggingConfig.LogGroup).toEqual({ Ref: expect.stringMatching(/Logs/) });
      expect(fn.Properties.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'earshot',
        POWERTOOLS_METRICS_NAMESPACE: 'Earshot',
        NODE_OPTIONS: '--enable-source-maps',
      });
      // The config travels as a file in the bundle (see "config delivery"), not in the 4 KB environment.
      expect(fn.Properties.Environment.Variables).not.toHaveProperty('EARSHOT_CONFIG_JSON');
    }
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(logGroups.length).toBeGreaterThanOrEqual(6);
    for (const group of logGroups) expect(group.Properties.RetentionInDays).toBe(14);
  });

  test('the analyze Lambda has reserved concurrency and batches from the queue with partial failures', () => {
    const analyze = logicalIdOf('AWS::Lambda::Function', { MemorySize: 1024 });
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1024, ReservedConcurrentExecutions: 4 });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: analyze },
      BatchSize: 25,
      MaximumBatchingWindowInSeconds: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 4 },
    });
  });
});

describe('APIs', () => {
  test('every triage route requires IAM auth; the webhook route is the only open one', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
    const triage = routes.filter((r) => r.RouteKey.startsWith('ANY'));
    expect(triage.map((r) => r.RouteKey).sort()).toEqual(['ANY /', 'ANY /{proxy+}']);
    for (const route of triage) expect(route.AuthorizationType).toBe('AWS_IAM');
    expect(routes.filter((r) => r.AuthorizationType !== 'AWS_IAM').map((r) => r.RouteKey)).toEqual([
      'POST /ingest/{sourceId}',
    ]);
  });

  test('API stages write access logs and throttle', () => {
    const stages = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stages).toHaveLength(2);
    for (const stage of stages) {
      expect(stage.Properties.AccessLogSettings.DestinationArn).toBeDefined();
      expect(stage.Properties.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    }
  });
});

describe('failures, limits and tracing', () => {
  const HANDLER_OF: Record<string, keyof typeof RESERVED_CONCURRENCY> = {
    IngestionPollFunction: 'poll',
    IngestionWebhookFunction: 'webhook',
    AnalysisAnalyzeFunction: 'analyze',
    AlertingAlertFunction: 'alert',
    AlertingEscalateFunction: 'escalate',
    TriageApiTriageFunction: 'triage-api',
  };
  const handlerOf = (logicalId: string) => {
    const prefix = Object.keys(HANDLER_OF).find((p) => logicalId.startsWith(p));
    expect(prefix).toBeDefined();
    return HANDLER_OF[prefix as string];
  };

  test('every function reserves the concurrency its table entry states, each with a reason', () => {
    const functions = Object.entries(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(6);
    const reserved = Object.fromEntries(
      functions.map(([id, fn]) => [handlerOf(id), fn.Properties.ReservedConcurrentExecutions]),
    );
    expect(reserved).toEqual({
      poll: 10,
      webhook: API_BURST_LIMIT,
      analyze: 4, // deploy.analyzeReservedConcurrency of this config
      alert: 10,
      escalate: 1, // one sweep at a time
      'triage-api': API_BURST_LIMIT,
    });
    for (const entry of Object.values(RESERVED_CONCURRENCY)) expect(entry.reason.length).toBeGreaterThan(60);
    // The APIs throttle (429) before their functions would.
    for (const stage of Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))) {
      expect(stage.Properties.DefaultRouteSettings.ThrottlingBurstLimit).toBeLessThanOrEqual(API_BURST_LIMIT);
    }
  });

  test('every schedule retries, then dead-letters to the scheduler DLQ its role may send to', () => {
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((r) => r.Properties);
    expect(schedules).toHaveLength(POLLED.length + 1);
    for (const props of schedules) {
      expect(props.Target.DeadLetterConfig).toEqual({
        Arn: { 'Fn::GetAtt': [expect.stringMatching(/^FailuresSchedulerDeadLetters/), 'Arn'] },
      });
      expect(props.Target.RetryPolicy).toEqual({
        MaximumRetryAttempts: SCHEDULER_RETRY_ATTEMPTS,
        MaximumEventAgeInSeconds: SCHEDULER_MAX_EVENT_AGE_SECONDS,
      });
      expect(SCHEDULER_RETRY_ATTEMPTS).toBeGreaterThanOrEqual(1);
      // The role the schedule assumes is allowed to send to that queue.
      const roleId = props.Target.RoleArn['Fn::GetAtt'][0] as string;
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
      expect(statements).toContainEqual(
        expect.objectContaining({ Action: 'sqs:SendMessage', Resource: props.Target.DeadLetterConfig.Arn }),
      );
    }
  });

  test('the asynchronously invoked functions (poll, escalate) send failed invocations to an SQS destination', () => {
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')).map((r) => r.Properties);
    const invoked = configs.map((c) => handlerOf(c.FunctionName.Ref)).sort();
    expect(invoked).toEqual(['escalate', 'poll']);
    for (const c of configs) {
      expect(c.DestinationConfig.OnFailure.Destination).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^FailuresAsyncFailures/), 'Arn'],
      });
      expect(c.MaximumRetryAttempts).toBe(1);
      expect(c.MaximumEventAgeInSeconds).toBe(3600);
      const prefix = Object.keys(HANDLER_OF).find((p) => c.FunctionName.Ref.startsWith(p)) as string;
      const send = functionStatements(template, prefix).find((s) => asArray(s.Action).includes('sqs:SendMessage'));
      expect(JSON.stringify(send?.Resource)).toContain('FailuresAsyncFailures');
    }
    // Failure records hold invocation inputs and errors, never mention content: SQS-managed encryption, TLS only.
    for (const id of ['FailuresSchedulerDeadLetters', 'FailuresAsyncFailures']) {
      const [queue] = Object.entries(template.findResources('AWS::SQS::Queue')).filter(([key]) => key.startsWith(id));
      expect(queue[1].Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    }
  });

  test('each new dead-letter queue has an alarm on the ops topic and a line on the dashboard', () => {
    const opsTopic = logicalIdOf('AWS::SNS::Topic', { DisplayName: 'Earshot ops' });
    const dashboard = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    for (const id of ['FailuresSchedulerDeadLetters', 'FailuresAsyncFailures']) {
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
        .map((a) => a.Properties)
        .filter((a) => JSON.stringify(a.Dimensions).includes(id));
      expect(alarms).toHaveLength(1);
      expect(alarms[0]).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [{ Ref: opsTopic }],
      });
      expect(dashboard).toContain(id);
    }
  });

  test('tracing is off by default and X-Ray active on every function with deploy.tracing: true', () => {
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.TracingConfig).toBeUndefined();
    }
    expect(JSON.stringify(policyStatements())).not.toContain('xray:');

    const traced = parseConfig({ ...fullConfig, deploy: { ...fullConfig.deploy, tracing: true } });
    const outdir = mkdtempSync(path.join(tmpdir(), 'earshot-traced-'));
    const {
      app,
      stack: tracedStack,
      nag,
    } = createEarshotApp(traced, {
      env: ENV,
      appProps: { ...NO_BUNDLING, outdir },
    });
    const t = Template.fromStack(tracedStack);
    const functions = Object.values(t.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(6);
    for (const fn of functions) expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    // The X-Ray statements are the only ones with "*" (X-Ray has no resource-level permissions).
    const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
    );
    const wildcard = statements.filter((s) => JSON.stringify(s.Resource).includes('*'));
    expect(wildcard).toHaveLength(6);
    for (const s of wildcard)
      expect(asArray(s.Action).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    // cdk-nag stays clean: the acknowledgement names exactly the Resource::* finding of each function's policy.
    expect(() => app.synth()).not.toThrow();
    expect(nag.validateScope(app).violations.map((v) => v.ruleName)).toEqual([]);
  });

  test('deploy.tracing is strict: a non-boolean or a typo names the field', () => {
    const base = { brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }] };
    expect(() => parseConfig({ ...base, deploy: { tracing: 'yes' } })).toThrow(/deploy\.tracing: /);
    expect(() => parseConfig({ ...base, deploy: { tracng: true } })).toThrow(
      /deploy\.tracng: .*did you mean "tracing"/,
    );
  });
});

describe('monitoring', () => {
  test('alarms on DLQ depth, failing sources and handler errors notify the ops topic', () => {
    const opsTopic = logicalIdOf('AWS::SNS::Topic', { DisplayName: 'Earshot ops' });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: opsTopic }]);

    const dlqAlarms = alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(dlqAlarms).toHaveLength(4);
    for (const alarm of dlqAlarms) {
      expect(alarm).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    }
    const sourceAlarms = alarms.filter((a) => a.MetricName === 'SourceConsecutiveFailures');
    expect(
      sourceAlarms.map((a) => a.Dimensions.find((d: { Name: string }) => d.Name === 'source').Value).sort(),
    ).toEqual([...POLLED].sort());
    for (const alarm of sourceAlarms) expect(alarm.Namespace).toBe('Earshot');
    expect(alarms.filter((a) => a.MetricName === 'Errors')).toHaveLength(6);
    // The cost model bills exactly these alarms.
    expect(alarms).toHaveLength(FIXED_ALARMS + POLLED.length);
    const billed = estimateMonthlyCost({ sources: POLLED.length }).lines.find((l) => l.item === 'alarms');
    expect(billed?.quantity).toBe(alarms.length);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

describe('config', () => {
  test('an invalid config throws a ConfigError naming the field', () => {
    expect(() =>
      parseConfig({ brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }], deploy: { analyzeBatchSize: 0 } }),
    ).toThrow(ConfigError);
    expect(() =>
      parseConfig({
        brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }],
        sources: [{ id: 'x1', kind: 'nope', brand: 'acme' }],
      }),
    ).toThrow(/sources\[0\]\.kind: must be one of hackernews/);
  });

  test('cdk synth of an invalid config file exits non-zero with the field-level message', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'earshot-cdk-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'brands: []\nsources: [{ id: x1, kind: nope, brand: acme }]\n');
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/cdk-app.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify({ config: file }),
        CDK_DEFAULT_REGION: 'us-east-1',
        CDK_OUTDIR: dir,
      },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Invalid config ${file}`);
    expect(result.stderr).toContain('brands: configure at least one brand');
  });

  test('batch sizes above 10 without a batching window fail synth with a clear message', () => {
    const config = {
      ...fullConfig,
      deploy: { ...fullConfig.deploy, analyzeBatchSize: 50, analyzeBatchWindowSeconds: 0 },
    };
    expect(() => createEarshotApp(config, { env: ENV, appProps: NO_BUNDLING })).toThrow(/analyzeBatchWindowSeconds/);
  });

  test('a minimal config deploys without webhook API, Slack or poll schedules', () => {
    const minimal = parseConfig({ brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }] });
    const t = Template.fromStack(createEarshotApp(minimal, { env: ENV, appProps: NO_BUNDLING }).stack);
    t.resourceCountIs('AWS::Scheduler::Schedule', 1); // the escalation sweeper only
    t.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    t.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
  });
});

describe('credentials named only by …Env', () => {
  const warnings = (config: EarshotConfig) =>
    Annotations.fromStack(synthStack(config).stack)
      .findWarning('*', Match.anyValue())
      .map((w) => `${w.id} ${String(w.entry.data)}`);

  test('synth warns for each deployed source with an …Env credential and no …Secret twin, naming source and fields', () => {
    const found = warnings(
      parseConfig({
        brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }],
        sources: [
          { id: 'acme-hn', kind: 'hackernews', brand: 'acme' },
          { id: 'acme-reddit', kind: 'reddit', brand: 'acme', clientIdEnv: 'RID', clientSecretEnv: 'RSECRET' },
          { id: 'acme-yt', kind: 'youtube', brand: 'acme', apiKeyEnv: 'YT_KEY', apiKeySecret: 'earshot/yt' },
          { id: 'acme-yt2', kind: 'youtube', brand: 'acme', apiKeyEnv: 'YT_KEY', enabled: false },
          { id: 'desk', kind: 'webhook', brand: 'acme', secretEnv: 'DESK_SECRET' },
        ],
      }),
    );
    expect(found).toEqual([
      '/Earshot/Ingestion sources[1] (acme-reddit): clientIdEnv, clientSecretEnv name variables of the local run ' +
        'and are not deployed; use clientIdSecret, clientSecretSecret on AWS [ack: earshot:sourceEnvCredentialLocalOnly]',
      '/Earshot/Ingestion sources[4] (desk): secretEnv names a variable of the local run and is not deployed; ' +
        'use secretSecret on AWS [ack: earshot:sourceEnvCredentialLocalOnly]',
    ]);
  });

  test("the README's sample config with a deploy section synthesizes without a warning", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const sample = /```yaml\n(brands:[\s\S]*?\ndeploy:[\s\S]*?)```/.exec(readme)?.[1];
    expect(sample).toBeDefined();
    const dir = mkdtempSync(path.join(tmpdir(), 'earshot-readme-'));
    writeFileSync(path.join(dir, 'earshot.yaml'), sample ?? '');
    const config = loadConfig(path.join(dir, 'earshot.yaml'));
    expect(config.sources.map((s) => s.kind)).toContain('reddit');
    expect(warnings(config)).toEqual([]);
  });
});

describe('cdk-nag AwsSolutions', () => {
  test('the app, bundled for real with local esbuild, synthesizes with no unacknowledged finding', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'earshot-synth-'));
    const { app, nag } = createEarshotApp(fullConfig, { env: ENV, appProps: { outdir } });
    expect(() => app.synth()).not.toThrow();
    const report = nag.validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
    expect(report.success).toBe(true);
  });

  test('only the dead-letter queues and the webhook route have acknowledged findings, each with a reason', () => {
    const acknowledged: { path: string; id: string; reason: string }[] = [];
    for (const construct of stack.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== 'aws:cdk:acknowledged-rules') continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          acknowledged.push({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason });
        }
      }
    }
    expect(acknowledged.map((a) => [a.id, a.path]).sort()).toEqual([
      ['AwsSolutions-APIG4', 'Earshot/Ingestion/WebhookApi/Api/POST--ingest--{sourceId}'],
      ['AwsSolutions-SQS3', 'Earshot/Alerting/StreamFailures'],
      ['AwsSolutions-SQS3', 'Earshot/Failures/AsyncFailures'],
      ['AwsSolutions-SQS3', 'Earshot/Failures/SchedulerDeadLetters'],
    ]);
    for (const a of acknowledged) expect(a.reason.length).toBeGreaterThan(60);
  });

  test('a non-compliant resource fails synthesis', () => {
    const { app, stack: earshot } = createEarshotApp(fullConfig, {
      env: ENV,
      appProps: { ...NO_BUNDLING, outdir: mkdtempSync(path.join(tmpdir(), 'earshot-bad-')) },
    });
    new sqs.Queue(earshot, 'Plaintext', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });
});

describe('config delivery', () => {
  test('each function gets only the parts of the config it reads, never deploy or the local storage path', () => {
    for (const handler of ['poll', 'webhook', 'analyze', 'alert', 'escalate', 'triage-api'] as const) {
      const part = deployedConfig(fullConfig, handler);
      expect(part).not.toHaveProperty('storage');
      expect(part).not.toHaveProperty('deploy');
      // What a function gets is a valid config on its own: the handler parses it at cold start.
      expect(parseConfig(JSON.parse(JSON.stringify(part))).brands).toEqual(fullConfig.brands);
    }
    expect(deployedConfig(fullConfig, 'analyze')).not.toHaveProperty('sources');
    expect(deployedConfig(fullConfig, 'poll')).not.toHaveProperty('alerts');
    expect(deployedConfig(fullConfig, 'triage-api')).toHaveProperty('triage');
  });

  test('10 brands and 40 sources synthesize, bundled for real and checked by cdk-nag; each bundle carries its config', () => {
    const brands = Array.from({ length: 10 }, (_, b) => ({
      id: `brand-${b}`,
      name: `Brand ${b} Incorporated`,
      keywords: Array.from({ length: 8 }, (_, k) => `brand ${b} product line ${k}`),
      exclude: [`brand ${b} museum`, `brand ${b} stadium`],
    }));
    const kinds = [
      (id: string, brand: string) => ({ id, kind: 'hackernews', brand, schedule: 'rate(10 minutes)' }),
      (id: string, brand: string) => ({ id, kind: 'appstore', brand, appId: '123456789', countries: ['us', 'gb'] }),
      (id: string, brand: string) => ({
        id,
        kind: 'googleplay',
        brand,
        appId: `com.example.${brand.replace('-', '')}`,
        acknowledgeFragile: true,
      }),
      (id: string, brand: string) => ({
        id,
        kind: 'reddit',
        brand,
        clientIdSecret: `earshot/${id}/client-id`,
        clientSecretSecret: `ssm:/earshot/${id}/client-secret`,
      }),
    ];
    const sources = brands.flatMap((brand, b) => kinds.map((make, k) => make(`${brand.id}-src-${k}`, brands[b].id)));
    const big = parseConfig({ ...fullConfig, storage: undefined, brands, sources });
    expect(big.sources).toHaveLength(40);
    expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(4096); // more than any Lambda environment holds

    const outdir = mkdtempSync(path.join(tmpdir(), 'earshot-big-'));
    const { app, stack: bigStack, nag } = createEarshotApp(big, { env: ENV, appProps: { outdir } });
    const assembly = app.synth();
    expect(nag.validateScope(app).violations.map((v) => v.ruleName)).toEqual([]);

    const functions = Object.values(Template.fromStack(bigStack).findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(5); // no webhook source, so no webhook function;
    for (const fn of functions) {
      const assetDir = path.join(assembly.directory, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
      const file = path.join(assetDir, 'earshot-config.json');
      expect(existsSync(file)).toBe(true);
      const bundled = parseConfig(JSON.parse(readFileSync(file, 'utf8')));
      expect(bundled.brands.map((b) => b.id)).toEqual(brands.map((b) => b.id));
    }
  });
});

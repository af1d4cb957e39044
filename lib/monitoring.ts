import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LOG_MESSAGES, METRICS } from '../lambdas/config/env';
import type { SourceConfig } from '../lambdas/config/schema';
import { type EarshotFunction, METRICS_NAMESPACE, SERVICE_NAME } from './earshot-function';

/** Poll failures in a row before a source's alarm fires (one blip is normal on the public internet). */
export const SOURCE_FAILURE_THRESHOLD = 3;
/** The oldest queued mention may wait this long before the backlog alarm fires. */
export const QUEUE_AGE_ALARM_SECONDS = 15 * 60;

export interface MonitoringProps {
  sources: SourceConfig[];
  functions: EarshotFunction[];
  queue: sqs.IQueue;
  deadLetterQueues: sqs.IQueue[];
  opsEmail?: string;
  retainKey: boolean;
}

/**
 * What an operator looks at: a dashboard (mentions stored and flagged, alerts, per-source errors and lag, queue
 * age, DLQ depth, Lambda errors and throttles) and alarms (DLQ depth > 0, queue backlog, a source failing
 * repeatedly, handler errors) that notify the ops topic.
 */
export class Monitoring extends Construct {
  readonly opsTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);

    // A key of its own: CloudWatch may use it to publish alarms, and gets nothing that reads data.
    const opsKey = new kms.Key(this, 'OpsKey', {
      description: 'Earshot ops notifications',
      enableKeyRotation: true,
      removalPolicy: props.retainKey ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    opsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'], // in a key policy, "*" is this key
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.opsTopic = new sns.Topic(this, 'Ops', { displayName: 'Earshot ops', masterKey: opsKey, enforceSSL: true });
    if (props.opsEmail) {
      new sns.Subscription(this, 'OpsEmail', {
        topic: this.opsTopic,
        protocol: sns.SubscriptionProtocol.EMAIL,
        endpoint: props.opsEmail,
      });
    }
    const notify = new actions.SnsAction(this.opsTopic);
    const addAlarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps): cloudwatch.Alarm => {
      const alarm = new cloudwatch.Alarm(this, alarmId, alarmProps);
      alarm.addAlarmAction(notify);
      this.alarms.push(alarm);
      return alarm;
    };

    const custom = (metricName: string, statistic: string, sourceId?: string): cloudwatch.Metric =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        statistic,
        period: Duration.minutes(5),
        dimensionsMap: sourceId
          ? { service: SERVICE_NAME, [METRICS.SOURCE_DIMENSION]: sourceId }
          : { service: SERVICE_NAME },
      });
    // Per-source figures other than failures are fields of the poll function's `poll finished` log line: the
    // dashboard queries them with Logs Insights instead of paying for a custom metric per source and figure.
    const pollLogs = props.functions.find((fn) => fn.handler === 'poll')?.logGroup;
    const perSourceLog = (title: string, stats: string, filter = '') =>
      new cloudwatch.LogQueryWidget({
        title,
        logGroupNames: pollLogs ? [pollLogs.logGroupName] : [],
        view: cloudwatch.LogQueryVisualizationType.LINE,
        queryLines: [`filter message = '${LOG_MESSAGES.POLL_FINISHED}'${filter}`, `stats ${stats} by bin(1h), source`],
        width: 12,
        height: 6,
      });

    props.deadLetterQueues.forEach((dlq, i) => {
      addAlarm(`DeadLetters${i}`, {
        alarmDescription: `Messages in dead-letter queue ${dlq.node.path}: inspect and redrive`,
        metric: dlq.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(5) }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    });
    addAlarm('QueueBacklog', {
      alarmDescription: 'Mentions wait too long for analysis (analyze Lambda failing or throttled)',
      metric: props.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: Duration.minutes(5) }),
      threshold: QUEUE_AGE_ALARM_SECONDS,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const source of props.sources) {
      addAlarm(`SourceFailing-${source.id}`, {
        alarmDescription: `Source ${source.id} (${source.kind}) failed ${SOURCE_FAILURE_THRESHOLD} polls in a row`,
        metric: custom(METRICS.SOURCE_CONSECUTIVE_FAILURES, 'Maximum', source.id).with({ period: Duration.hours(1) }),
        threshold: SOURCE_FAILURE_THRESHOLD,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        // Sources poll at their own pace, and a healthy source sends nothing (its metric costs nothing then): keep
        // the last state between data points. A source that never failed stays "insufficient data".
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
      });
    }
    for (const fn of props.functions) {
      addAlarm(`Errors-${fn.node.id}`, {
        alarmDescription: `The ${fn.node.id} Lambda is failing`,
        metric: fn.fn.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    const graph = (title: string, left: cloudwatch.IMetric[], stacked = false) =>
      new cloudwatch.GraphWidget({ title, left, stacked, width: 12, height: 6 });
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-earshot`,
      defaultInterval: Duration.days(1),
    });
    this.dashboard.addWidgets(
      graph('Mentions stored, flagged and alerted', [
        custom(METRICS.MENTIONS_STORED, 'Sum').with({ label: 'stored' }),
        custom(METRICS.MENTIONS_FLAGGED, 'Sum').with({ label: 'flagged' }),
        custom(METRICS.ALERTS_SENT, 'Sum').with({ label: 'alerts sent' }),
      ]),
      perSourceLog('Mentions fetched, by source', 'sum(fetched)'),
    );
    this.dashboard.addWidgets(
      perSourceLog('Source errors', 'sum(errors)', ' and errors > 0'),
      perSourceLog('Source lag (s, newest item age at poll)', 'max(lagSeconds)', ' and ispresent(lagSeconds)'),
    );
    this.dashboard.addWidgets(
      graph('Mentions queue: oldest message age (s)', [
        props.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum' }),
      ]),
      graph(
        'Dead-letter queue depth',
        props.deadLetterQueues.map((dlq) => dlq.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' })),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Lambda errors and throttles',
        props.functions.flatMap((fn) => [
          fn.fn.metricErrors({ label: `${fn.node.id} errors` }),
          fn.fn.metricThrottles({ label: `${fn.node.id} throttles` }),
        ]),
      ),
    );
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }));
  }
}

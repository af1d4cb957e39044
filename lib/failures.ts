import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** EventBridge Scheduler retries a target it could not invoke this often before the dead-letter queue. */
export const SCHEDULER_RETRY_ATTEMPTS = 2;
/** A scheduled invocation older than this is given up (and dead-lettered): the next run is due by then. */
export const SCHEDULER_MAX_EVENT_AGE_SECONDS = 240;
/** Lambda retries a failed asynchronous invocation (poll, sweep) this often before its on-failure destination. */
export const ASYNC_RETRY_ATTEMPTS = 1;
/** An asynchronous invocation still queued (e.g. throttled) after this long goes to the on-failure destination. */
export const ASYNC_MAX_EVENT_AGE = Duration.hours(1);

/**
 * Where invocations that failed for good are kept, so none is lost silently: the dead-letter queue of every
 * EventBridge Scheduler target (the scheduler could not invoke the function) and the on-failure destination of
 * every asynchronous invocation (the function ran and failed after its retries, or was throttled too long).
 * Both hold invocation records (the schedule's input, `{"sourceId"}` or `{}`, and the error), never mention
 * content: SQS-managed encryption is enough, and the scheduler's role and the functions need no key grant.
 * Monitoring alarms on each as soon as one message arrives.
 */
export class Failures extends Construct {
  readonly schedulerDeadLetters: sqs.Queue;
  readonly asyncFailures: sqs.Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const queue = (queueId: string) =>
      new sqs.Queue(this, queueId, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
    this.schedulerDeadLetters = queue('SchedulerDeadLetters');
    this.asyncFailures = queue('AsyncFailures');
  }

  get queues(): sqs.Queue[] {
    return [this.schedulerDeadLetters, this.asyncFailures];
  }
}

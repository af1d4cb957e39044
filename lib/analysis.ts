import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../lambdas/config/env';
import type { EarshotConfig } from '../lambdas/config/schema';
import { EarshotFunction } from './earshot-function';
import type { Storage } from './storage';

export interface AnalysisProps {
  config: EarshotConfig;
  storage: Storage;
  queue: sqs.IQueue;
}

/**
 * The analyze Lambda on the mentions queue: batches with partial-failure reporting (one bad mention does not
 * re-drive its whole batch), reserved concurrency so a burst cannot starve the account or hammer the table.
 */
export class Analysis extends Construct {
  readonly analyze: EarshotFunction;

  constructor(scope: Construct, id: string, props: AnalysisProps) {
    super(scope, id);
    const { deploy } = props.config;
    if (deploy.analyzeBatchSize > 10 && deploy.analyzeBatchWindowSeconds < 1) {
      throw new Error(
        'deploy.analyzeBatchSize above 10 needs deploy.analyzeBatchWindowSeconds of at least 1 (an SQS rule)',
      );
    }

    this.analyze = new EarshotFunction(this, 'Analyze', {
      handler: 'analyze',
      config: props.config,
      logRetentionDays: deploy.logRetentionDays,
      environment: { [ENV.TABLE_NAME]: props.storage.table.tableName },
    });
    props.storage.grantReadWriteData(this.analyze.fn, 'Table');
    this.analyze.fn.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: deploy.analyzeBatchSize,
        maxBatchingWindow: Duration.seconds(deploy.analyzeBatchWindowSeconds),
        reportBatchItemFailures: true,
        // Match the poller's concurrency to the reserved concurrency so it never invokes into throttles
        // (the event source needs at least 2).
        maxConcurrency: deploy.analyzeReservedConcurrency >= 2 ? deploy.analyzeReservedConcurrency : undefined,
      }),
    );
  }
}

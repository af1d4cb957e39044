import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { METRICS } from '../config/env';
import { handleFlaggedMention } from '../pipeline/flagged';
import { sweepSpike } from '../pipeline/sweep';
import { mentionFromItem } from '../store/keys';
import { runtimeAlertDeps } from './alert-runtime';
import { logger } from './logger';
import { metrics } from './metrics';

const processor = new BatchProcessor(EventType.DynamoDBStreams);
const deps = runtimeAlertDeps('alert');

/**
 * One flagged insert from the table stream (the stack's event filter passes only those): group into an incident and
 * alert once. If a sink fails, throw: the stream retries this record and only the failed sinks are sent to again.
 */
async function processRecord(record: DynamoDBRecord): Promise<void> {
  const image = record.dynamodb?.NewImage;
  if (!image) return;
  const mention = mentionFromItem(unmarshall(image as Record<string, AttributeValue>));
  if (!mention.flagged) return;
  const outcome = await handleFlaggedMention(mention, deps);
  const spike = await sweepSpike(mention.brandId, deps);
  const deliveries = [...outcome.deliveries, ...(spike ? [spike] : [])];
  const sent = deliveries.filter((d) => d.sent.length > 0).length;
  if (sent > 0) metrics.addMetric(METRICS.ALERTS_SENT, MetricUnit.Count, sent);
  logger.info('flagged mention handled', {
    mention: `${mention.sourceId}#${mention.id}`,
    decision: outcome.decision?.reason,
    incident: outcome.incident?.key,
    // Left ungrouped (a busy brand, a conflict): the next sweep's catch-up groups it; no retry needed.
    deferred: outcome.deferred,
  });
  const failed = deliveries.flatMap((d) => d.failed.map((f) => `${d.alertId} → ${f.sink}: ${f.error}`));
  if (failed.length > 0) throw new Error(`alert delivery failed: ${failed.join('; ')}`);
}

export async function handler(event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> {
  try {
    // In stream order, one at a time: complaints about one problem in the same batch must join one incident
    // (in parallel, each would find no open incident, open its own, and alert).
    return await processPartialResponse(event, processRecord, processor, { context, processInParallel: false });
  } finally {
    metrics.publishStoredMetrics();
  }
}

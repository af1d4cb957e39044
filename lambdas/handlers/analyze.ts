import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { METRICS } from '../config/env';
import { mentionSchema } from '../core/mention-schema';
import { ingestMentions } from '../pipeline/ingest';
import { runtimeConfig } from './deployed-config';
import { logger } from './logger';
import { metrics } from './metrics';
import { repository } from './runtime';

// Module scope: the config is validated during init, once per execution environment.
const config = runtimeConfig();
const processor = new BatchProcessor(EventType.SQS);

/**
 * One queued mention: validate, analyse, store once. A malformed message is logged and dropped (retrying cannot fix
 * it); a storage failure throws, so only that record returns to the queue (and, after the redrive count, the DLQ).
 */
async function processRecord(record: SQSRecord): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    body = undefined;
  }
  const parsed = mentionSchema.safeParse(body);
  if (!parsed.success) {
    logger.error('malformed mention dropped', {
      messageId: record.messageId,
      issues: parsed.error?.issues.slice(0, 3),
    });
    return;
  }
  const result = await ingestMentions([parsed.data], {
    repo: repository,
    retentionDays: config.retentionDays,
    now: () => new Date(),
  });
  for (const rejected of result.rejected) {
    logger.warn('unstorable mention rejected', {
      messageId: record.messageId,
      id: rejected.id,
      reason: rejected.reason,
    });
  }
  metrics.addMetric(METRICS.MENTIONS_STORED, MetricUnit.Count, result.stored.length);
  metrics.addMetric(METRICS.MENTIONS_FLAGGED, MetricUnit.Count, result.flagged.length);
}

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  try {
    return await processPartialResponse(event, processRecord, processor, { context });
  } finally {
    metrics.publishStoredMetrics();
  }
}

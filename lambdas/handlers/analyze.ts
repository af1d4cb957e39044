import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { METRICS } from '../config/env';
import type { Mention } from '../core/mention';
import { mentionSchema } from '../core/mention-schema';
import { ingestMentions } from '../pipeline/ingest';
import { runtimeConfig } from './deployed-config';
import { logger } from './logger';
import { metrics } from './metrics';
import { repository } from './runtime';

// Module scope: the config is validated during init, once per execution environment.
const config = runtimeConfig('analyze');

/**
 * One SQS batch: validate each message, then analyse and store the valid ones in one ingest, so their writes run
 * concurrently and the hourly counters are summed and written once for the batch. A malformed message is logged and
 * dropped (retrying cannot fix it). If a write fails, every valid message of the batch goes back to the queue (and,
 * after the redrive count, the DLQ): those already stored are duplicates on the retry, stored, counted and flagged
 * once.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const valid: { messageId: string; mention: Mention }[] = [];
  for (const record of event.Records) {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      body = undefined;
    }
    const parsed = mentionSchema.safeParse(body);
    if (parsed.success) valid.push({ messageId: record.messageId, mention: parsed.data });
    else
      logger.error('malformed mention dropped', {
        messageId: record.messageId,
        issues: parsed.error?.issues.slice(0, 3),
      });
  }
  try {
    const result = await ingestMentions(
      valid.map((v) => v.mention),
      { repo: repository, retentionDays: config.retentionDays, now: () => new Date() },
    );
    for (const rejected of result.rejected) {
      logger.warn('unstorable mention rejected', {
        messageId: valid.find((v) => v.mention.id === rejected.id)?.messageId,
        id: rejected.id,
        reason: rejected.reason,
      });
    }
    metrics.addMetric(METRICS.MENTIONS_STORED, MetricUnit.Count, result.stored.length);
    metrics.addMetric(METRICS.MENTIONS_FLAGGED, MetricUnit.Count, result.flagged.length);
    return { batchItemFailures: [] };
  } catch (error) {
    logger.error('batch not stored; its valid messages go back to the queue', {
      error: (error as Error).message,
      messages: valid.length,
    });
    return { batchItemFailures: valid.map((v) => ({ itemIdentifier: v.messageId })) };
  } finally {
    metrics.publishStoredMetrics();
  }
}

import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Mention } from '../core/mention';

/** SQS takes at most 10 messages per batch call. */
const BATCH = 10;
const ATTEMPTS = 3;

/**
 * Hand mentions on to the SQS mentions queue. Entries SQS refuses are retried; if any still fail, this throws so
 * the poller does not advance its cursor (the next poll re-reads them; the store dedupes the ones that made it).
 */
export async function sendMentions(sqs: SQSClient, queueUrl: string, mentions: readonly Mention[]): Promise<void> {
  for (let start = 0; start < mentions.length; start += BATCH) {
    let pending = mentions
      .slice(start, start + BATCH)
      .map((mention, i) => ({ Id: String(i), MessageBody: JSON.stringify(mention) }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }));
      const failed = new Set((result.Failed ?? []).map((entry) => entry.Id));
      pending = pending.filter((entry) => failed.has(entry.Id));
      if (pending.length > 0 && attempt >= ATTEMPTS) {
        throw new Error(`SQS refused ${pending.length} mention(s): ${result.Failed?.[0]?.Message ?? 'unknown error'}`);
      }
    }
  }
}

import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Severity } from '../core/analysis/types';
import { severityRank } from '../core/alerting/common';
import type { StoredMention } from '../core/mention';
import type { TriageStatus } from '../core/triage';
import { keys, mentionFromItem, type Repository } from './repository';
import { GSI2 } from './table';

/**
 * Reads of the triage queue the inbox needs beyond `listTriageQueue`: one (status[, severity]) partition of the
 * sparse queue index at a time, a page at a time, so a filtered view of 10,000 flagged mentions reads only as far
 * as its first page needs, and a page can be continued exactly after its last row.
 */

type Item = Record<string, unknown>;

export interface QueuePartition {
  brandId: string;
  status: TriageStatus;
  /** Only this severity (a sort-key prefix: no filtering needed). */
  severity?: Severity;
  /** Oldest first (default: the index order, newest first within a severity, critical first). */
  oldestFirst?: boolean;
}

export interface QueuePage {
  mentions: StoredMention[];
  /** The raw item keys of each mention, so a later read can start exactly after any of them. */
  keys: Item[];
  /** Where the partition goes on; undefined at its end. */
  next?: Item;
}

/** One page (at most `limit` items, read from `startAfter`) of one queue partition. */
export async function readQueuePartition(
  repo: Repository,
  partition: QueuePartition,
  limit: number,
  startAfter?: Item,
): Promise<QueuePage> {
  const prefix = partition.severity === undefined ? undefined : `${severityRank(partition.severity)}#`;
  const out = await repo.doc.send(
    new QueryCommand({
      TableName: repo.tableName,
      IndexName: GSI2.indexName,
      KeyConditionExpression: prefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
      ExpressionAttributeNames: { '#pk': GSI2.partitionKey, ...(prefix ? { '#sk': GSI2.sortKey } : {}) },
      ExpressionAttributeValues: {
        ':pk': keys.triageQueue(partition.brandId, partition.status),
        ...(prefix ? { ':prefix': prefix } : {}),
      },
      ScanIndexForward: partition.oldestFirst === true,
      Limit: limit,
      ExclusiveStartKey: startAfter,
    }),
  );
  const items = out.Items ?? [];
  return {
    mentions: items.map(mentionFromItem),
    keys: items.map((item) => ({
      pk: item.pk,
      sk: item.sk,
      [GSI2.partitionKey]: item[GSI2.partitionKey],
      [GSI2.sortKey]: item[GSI2.sortKey],
    })),
    next: out.LastEvaluatedKey,
  };
}

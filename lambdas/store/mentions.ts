import type { Severity } from '../core/analysis/types';
import { severityRank } from '../core/alerting/common';
import type { BrandReply, StoredMention } from '../core/mention';
import {
  newTriageState,
  triageStatsOf,
  TRIAGE_STATUSES,
  type TriageState,
  type TriageStats,
  type TriageStatsInput,
  type TriageStatus,
} from '../core/triage';
import { ConflictError, NotFoundError } from '../core/errors';
import { DAY_SECONDS, epochSeconds, keys, mentionFromItem, type Item } from './keys';
import { FLAGGED_MIN_RETENTION_DAYS, GSI1, GSI2, ITEM_TYPES, TTL_ATTRIBUTE } from './table';
import { SoleWriterMentionWrites } from './mention-writes';
import type { TableClient } from './table-client';

/** One (status[, severity]) partition of a brand's triage queue, for reading it a page at a time. */
export interface QueuePartition {
  brandId: string;
  status: TriageStatus;
  /** Only this severity (a sort-key prefix: no filtering needed). */
  severity?: Severity;
  /** Oldest first (default: the index order, critical first, then newest first). */
  oldestFirst?: boolean;
}

export interface QueuePage {
  mentions: StoredMention[];
  /** Each mention's index key, so a later read can start exactly after any of them. */
  keys: Item[];
  /** Where the partition goes on; undefined at its end. */
  next?: Item;
}

/** Mentions: stored once per (sourceId, id), their incident link and their triage state. */
export class MentionStore {
  /** Set when this process is the store's only writer: its mention writes are then batched (mention-writes.ts). */
  private readonly batched?: SoleWriterMentionWrites;

  constructor(
    private readonly table: TableClient,
    opts: { soleWriter?: boolean } = {},
  ) {
    if (opts.soleWriter) this.batched = new SoleWriterMentionWrites(table);
  }

  /**
   * Store a mention once. A retry or a re-fetch of the same (sourceId, id) never creates a second item and never
   * overwrites the first (so its triage state and the stream INSERT that alerted on it stay as they are).
   * Raw mentions expire after `ttlDays`; flagged ones after at least FLAGGED_MIN_RETENTION_DAYS (triage history).
   */
  async put(m: StoredMention, ttlDays: number): Promise<'created' | 'duplicate'> {
    const keepDays = m.flagged ? Math.max(ttlDays, FLAGGED_MIN_RETENTION_DAYS) : ttlDays;
    const triage = m.flagged ? (m.triage ?? newTriageState(m.storedAt)) : undefined;
    const stored: StoredMention = { ...m, triage };
    const item: Item = {
      ...stored,
      ...keys.mention(m.sourceId, m.id),
      type: ITEM_TYPES.MENTION,
      flagged: m.flagged,
      [TTL_ATTRIBUTE]: epochSeconds(m.storedAt) + Math.round(keepDays * DAY_SECONDS),
    };
    if (triage) {
      item[GSI2.partitionKey] = keys.triageQueue(m.brandId, triage.status);
      item[GSI2.sortKey] = keys.triageSort(stored);
      // Until grouped into an incident, a flagged mention waits in the brand's ungrouped partition (oldest first).
      if (!m.incidentKey) {
        item[GSI1.partitionKey] = keys.ungrouped(m.brandId);
        item[GSI1.sortKey] = keys.ungroupedSort(m);
      }
    }
    const key = keys.mention(m.sourceId, m.id);
    const single = async () =>
      (await this.table.putIf({ Item: item, ConditionExpression: 'attribute_not_exists(pk)' }))
        ? ('created' as const)
        : ('duplicate' as const);
    return this.batched ? this.batched.put(key, item, single) : single();
  }

  async get(sourceId: string, id: string): Promise<StoredMention | undefined> {
    const item = await this.table.get(keys.mention(sourceId, id));
    return item && mentionFromItem(item);
  }

  /**
   * Record which incident a stored mention joined (so acknowledging it acknowledges the incident's alerts); it
   * leaves the ungrouped partition.
   */
  async setIncident(sourceId: string, id: string, incidentKey: string): Promise<void> {
    const key = keys.mention(sourceId, id);
    const notFound = `no mention ${sourceId}/${id}`;
    const single = async () => {
      const updated = await this.table.updateIf({
        Key: key,
        UpdateExpression: 'SET incidentKey = :key REMOVE #g1pk, #g1sk',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#g1pk': GSI1.partitionKey, '#g1sk': GSI1.sortKey },
        ExpressionAttributeValues: { ':key': incidentKey },
      });
      if (!updated) throw new NotFoundError(notFound);
    };
    if (!this.batched) return single();
    return this.batched.change(
      key,
      notFound,
      (item) => {
        const { [GSI1.partitionKey]: _pk, [GSI1.sortKey]: _sk, ...rest } = item;
        return { ...rest, incidentKey };
      },
      single,
    );
  }

  /**
   * Set the brand's reply on a stored mention, if it has no reply or another one; answers whether it wrote. Never
   * creates a mention (the condition needs the item) and touches nothing else, so nothing is counted or alerted
   * again (alerts follow flagged inserts, not updates). Scalar comparisons only, the same on dynalite and DynamoDB.
   */
  async setReply(sourceId: string, id: string, reply: BrandReply): Promise<boolean> {
    const written: BrandReply = { text: reply.text, ...(reply.createdAt ? { createdAt: reply.createdAt } : {}) };
    const differs = written.createdAt
      ? '#reply.#text <> :text OR attribute_not_exists(#reply.#at) OR #reply.#at <> :at'
      : '#reply.#text <> :text OR attribute_exists(#reply.#at)';
    const single = () =>
      this.table.updateIf({
        Key: keys.mention(sourceId, id),
        UpdateExpression: 'SET #reply = :reply',
        ConditionExpression: `attribute_exists(pk) AND (attribute_not_exists(#reply) OR ${differs})`,
        ExpressionAttributeNames: { '#reply': 'reply', '#text': 'text', '#at': 'createdAt' },
        ExpressionAttributeValues: {
          ':reply': written,
          ':text': written.text,
          ...(written.createdAt ? { ':at': written.createdAt } : {}),
        },
      });
    // Between batched rounds, which write without conditions (see mention-writes.ts).
    return this.batched ? this.batched.exclusive(single) : single();
  }

  /**
   * Flagged mentions of a brand not grouped into an incident yet, oldest first (by `createdAt`), after the
   * `after` key (`keys.ungroupedSort` of the last one seen) when given.
   */
  async listUngrouped(brandId: string, opts: { limit?: number; after?: string } = {}): Promise<StoredMention[]> {
    const items = await this.table.query(
      {
        IndexName: GSI1.indexName,
        KeyConditionExpression: '#pk = :pk AND #sk > :after',
        ExpressionAttributeNames: { '#pk': GSI1.partitionKey, '#sk': GSI1.sortKey },
        ExpressionAttributeValues: { ':pk': keys.ungrouped(brandId), ':after': opts.after ?? '' },
      },
      opts.limit ?? 100,
    );
    return items.map(mentionFromItem);
  }

  /** Flagged mentions of a brand: by status (new first when none is given), then severity, then newest first. */
  async triageQueue(query: { brandId: string; status?: TriageStatus; limit?: number }): Promise<StoredMention[]> {
    const limit = query.limit ?? 100;
    const statuses = query.status ? [query.status] : TRIAGE_STATUSES;
    const out: StoredMention[] = [];
    for (const status of statuses) {
      if (out.length >= limit) break;
      const items = await this.table.query(
        {
          IndexName: GSI2.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': GSI2.partitionKey },
          ExpressionAttributeValues: { ':pk': keys.triageQueue(query.brandId, status) },
          ScanIndexForward: false,
        },
        limit - out.length,
      );
      out.push(...items.map(mentionFromItem));
    }
    return out;
  }

  /**
   * One page (at most `limit` items, from just after `startAfter`) of one triage queue partition: the inbox reads
   * a filtered view of a big queue only as far as its first page needs, and continues exactly after its last row.
   */
  async queuePage(partition: QueuePartition, limit: number, startAfter?: Item): Promise<QueuePage> {
    const prefix = partition.severity === undefined ? undefined : `${severityRank(partition.severity)}#`;
    const page = await this.table.queryPage({
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
    });
    return {
      mentions: page.items.map(mentionFromItem),
      keys: page.items.map((item) => ({
        pk: item.pk,
        sk: item.sk,
        [GSI2.partitionKey]: item[GSI2.partitionKey],
        [GSI2.sortKey]: item[GSI2.sortKey],
      })),
      next: page.next,
    };
  }

  /**
   * Replace `read.triage` (as read) with `next`, only if nobody changed it since: the condition checks the status,
   * the history length and the update time that were read. Moves the mention to its new triage queue.
   */
  async writeTriage(read: StoredMention, next: TriageState): Promise<void> {
    // Between batched rounds, which write without conditions (see mention-writes.ts).
    if (this.batched) return this.batched.exclusive(() => this.writeTriageNow(read, next));
    return this.writeTriageNow(read, next);
  }

  private async writeTriageNow(read: StoredMention, next: TriageState): Promise<void> {
    const current = read.triage;
    if (!current) throw new NotFoundError(`mention ${read.sourceId}/${read.id} is not flagged`);
    const written = await this.table.updateIf({
      Key: keys.mention(read.sourceId, read.id),
      UpdateExpression: 'SET triage = :next, #qpk = :qpk, #qsk = :qsk',
      ConditionExpression:
        'triage.#status = :status AND triage.updatedAt = :updatedAt AND size(triage.history) = :length',
      ExpressionAttributeNames: { '#status': 'status', '#qpk': GSI2.partitionKey, '#qsk': GSI2.sortKey },
      ExpressionAttributeValues: {
        ':next': next,
        ':qpk': keys.triageQueue(read.brandId, next.status),
        ':qsk': keys.triageSort(read),
        ':status': current.status,
        ':updatedAt': current.updatedAt,
        ':length': current.history.length,
      },
    });
    if (!written) {
      throw new ConflictError(`mention ${read.sourceId}/${read.id} was changed by someone else; reload and retry`);
    }
  }

  /** Counts by status and false-positive precision by cue and source; all brands (a scan of the sparse index) when none given. */
  async triageStats(brandId?: string): Promise<TriageStats> {
    const projection = {
      ProjectionExpression: '#sourceId, #triage.#status, #analysis.#cues',
      ExpressionAttributeNames: {
        '#sourceId': 'sourceId',
        '#triage': 'triage',
        '#status': 'status',
        '#analysis': 'analysis',
        '#cues': 'cues',
      },
    };
    const rows: Item[] = [];
    if (brandId) {
      for (const status of TRIAGE_STATUSES) {
        rows.push(
          ...(await this.table.query({
            IndexName: GSI2.indexName,
            KeyConditionExpression: '#pk = :pk',
            ...projection,
            ExpressionAttributeNames: { ...projection.ExpressionAttributeNames, '#pk': GSI2.partitionKey },
            ExpressionAttributeValues: { ':pk': keys.triageQueue(brandId, status) },
          })),
        );
      }
    } else {
      rows.push(...(await this.table.scan({ IndexName: GSI2.indexName, ...projection })));
    }
    // gsi2 also indexes undelivered alerts: only mentions carry a triage state.
    const inputs: TriageStatsInput[] = rows
      .filter((row) => row.triage !== undefined)
      .map((row) => {
        const m = row as unknown as Pick<StoredMention, 'sourceId' | 'triage' | 'analysis'>;
        return {
          sourceId: m.sourceId,
          status: m.triage?.status ?? 'new',
          cues: (m.analysis?.cues ?? []).filter((cue) => cue.strength > 0).map((cue) => cue.name),
        };
      });
    return { brandId, ...triageStatsOf(inputs) };
  }
}

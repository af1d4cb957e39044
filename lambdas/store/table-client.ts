import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type PutCommandInput,
  type QueryCommandInput,
  type ScanCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { DAY_SECONDS, type Item, type ItemKey } from './keys';

/** A document client that drops undefined fields (optional fields of the contract types). */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

type PutInput = Omit<PutCommandInput, 'TableName'>;
type UpdateInput = Omit<UpdateCommandInput, 'TableName'>;
type QueryInput = Omit<QueryCommandInput, 'TableName'>;

function isConditionFailure(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

/** DynamoDB's limits: keys per BatchGetItem, items per BatchWriteItem. */
export const BATCH_GET_MAX = 100;
export const BATCH_WRITE_MAX = 25;
/** Rounds of re-sending what a batch left unprocessed (throttling) before giving up. */
const UNPROCESSED_ROUNDS = 8;

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));

/**
 * The one table, as the few operations the aggregate stores need. A conditional write that loses its condition
 * answers false (the caller decides what that means); every other failure throws.
 */
export class TableClient {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async get(key: ItemKey): Promise<Item | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return out.Item;
  }

  async put(item: Item): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  /** Put only if `ConditionExpression` holds; false when it did not (nothing was written). */
  async putIf(input: PutInput & { ConditionExpression: string }): Promise<boolean> {
    try {
      await this.doc.send(new PutCommand({ ...input, TableName: this.tableName }));
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async update(input: UpdateInput): Promise<void> {
    await this.doc.send(new UpdateCommand({ ...input, TableName: this.tableName }));
  }

  /** Update only if `ConditionExpression` holds; false when it did not (nothing was written). */
  async updateIf(input: UpdateInput & { ConditionExpression: string }): Promise<boolean> {
    try {
      await this.doc.send(new UpdateCommand({ ...input, TableName: this.tableName }));
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /** `updateIf` that answers the item as written (one request, no read after the write); undefined when it did not hold. */
  async updateIfReturning(input: UpdateInput & { ConditionExpression: string }): Promise<Item | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({ ...input, TableName: this.tableName, ReturnValues: 'ALL_NEW' }),
      );
      return out.Attributes ?? {};
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw err;
    }
  }

  /**
   * Consistent reads of many items (BatchGetItem, up to BATCH_GET_MAX distinct keys a request), keyed by
   * `itemKeyOf`; missing items are absent from the map.
   */
  async batchGet(wanted: ItemKey[]): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    // A request may not name a key twice.
    const itemKeys = [...new Map(wanted.map((k) => [itemKeyOf(k), k])).values()];
    for (let start = 0; start < itemKeys.length; start += BATCH_GET_MAX) {
      let keysLeft: Item[] = itemKeys.slice(start, start + BATCH_GET_MAX).map((k) => ({ pk: k.pk, sk: k.sk }));
      for (let round = 0; keysLeft.length > 0; round++) {
        if (round >= UNPROCESSED_ROUNDS) throw new Error(`BatchGetItem left ${keysLeft.length} keys unprocessed`);
        if (round > 0) await pause(round);
        const out = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keysLeft, ConsistentRead: true } } }),
        );
        for (const item of out.Responses?.[this.tableName] ?? []) found.set(itemKeyOf(item), item);
        keysLeft = out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return found;
  }

  /** Unconditional puts of up to BATCH_WRITE_MAX items with distinct keys (BatchWriteItem), re-sending what is left unprocessed. */
  async batchPut(items: Item[]): Promise<void> {
    if (items.length > BATCH_WRITE_MAX) throw new Error(`batchPut takes at most ${BATCH_WRITE_MAX} items`);
    let left = items.map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; left.length > 0; round++) {
      if (round >= UNPROCESSED_ROUNDS) throw new Error(`BatchWriteItem left ${left.length} items unprocessed`);
      if (round > 0) await pause(round);
      const out = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: left } }));
      left = (out.UnprocessedItems?.[this.tableName] ?? []) as typeof left;
    }
  }

  /** Query, following pages until `limit` items (or the end). */
  async query(input: QueryInput, limit = Infinity): Promise<Item[]> {
    const out: Item[] = [];
    let startKey: Item | undefined;
    do {
      const remaining = limit - out.length;
      const page = await this.doc.send(
        new QueryCommand({
          ...input,
          TableName: this.tableName,
          Limit: Number.isFinite(remaining) ? remaining : undefined,
          ExclusiveStartKey: startKey,
        }),
      );
      out.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey && out.length < limit);
    return out;
  }

  /** One page of a query as DynamoDB returns it, with where it goes on (undefined at the end). */
  async queryPage(input: QueryInput): Promise<{ items: Item[]; next?: Item }> {
    const page = await this.doc.send(new QueryCommand({ ...input, TableName: this.tableName }));
    return { items: page.Items ?? [], next: page.LastEvaluatedKey };
  }

  /**
   * Items of a per-day index partition (`partitionOf(day)`), for every day of [from, to], with sort keys
   * `<time>#…` between the two times; oldest first. One small partition per day: no scan.
   */
  async queryDays(
    index: { indexName: string; partitionKey: string; sortKey: string },
    partitionOf: (day: string) => string,
    from: string,
    to: string,
  ): Promise<Item[]> {
    const out: Item[] = [];
    for (let day = from.slice(0, 10); day <= to.slice(0, 10); day = nextDay(day)) {
      out.push(
        ...(await this.query({
          IndexName: index.indexName,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
          ExpressionAttributeValues: { ':pk': partitionOf(day), ':from': from, ':to': `${to}#\uffff` },
        })),
      );
    }
    return out;
  }

  /** Every item of a scan (of the table or an index). */
  async scan(input: Omit<ScanCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
    const out: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: startKey }),
      );
      out.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return out;
  }
}

/** The map key `batchGet` answers an item under. */
export function itemKeyOf(key: Item | ItemKey): string {
  return `${String(key.pk)}\u0000${String(key.sk)}`;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_SECONDS * 1000).toISOString().slice(0, 10);
}

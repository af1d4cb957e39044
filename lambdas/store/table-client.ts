import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
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

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_SECONDS * 1000).toISOString().slice(0, 10);
}

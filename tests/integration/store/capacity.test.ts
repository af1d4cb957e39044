import { DynamoDBClient, GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { generateBenchTexts } from '../../../bin/cli/bench-texts';
import { parseConfig } from '../../../lambdas/config/load';
import { CAPACITY, DEFAULT_COST_INPUTS } from '../../../lambdas/core/cost';
import type { Mention, StoredMention } from '../../../lambdas/core/mention';
import type { AlertDeps } from '../../../lambdas/pipeline/alert-deps';
import { handleFlaggedMention } from '../../../lambdas/pipeline/flagged';
import { ingestMentions } from '../../../lambdas/pipeline/ingest';
import { sweep, sweepSpike } from '../../../lambdas/pipeline/sweep';
import { startLocalStore, type LocalStore } from '../../../lambdas/store/local';
import { Repository } from '../../../lambdas/store/repository';
import { GLOBAL_INDEXES } from '../../../lambdas/store/table';

/**
 * The cost model's read and write units per mention, per flagged mention, per alert and per sweep
 * (lambdas/core/cost.ts `CAPACITY`) are what the code spends: the AWS paths (analyze's batch ingest, the alert
 * function's grouping and delivery of each flagged mention, the escalate sweep) run on dynalite through a meter
 * that prices every request as DynamoDB on-demand does. A write costs 1 WRU per KB of the larger of the item before
 * and after, again in each index the item is in before or after (both projected ALL: any change rewrites the entry;
 * a moved index key is a delete and a put); a conditional write that fails still costs its units. A read costs 1
 * RRU per 4 KB read (a get one item, a query the items it returns), half that when eventually consistent.
 */

/** DynamoDB's item size: attribute names plus values (numbers about half their digits). */
function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/[^0-9]/g, '').length / 2) + 1;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.L) return 3 + value.L.reduce((sum, v) => sum + 1 + valueSize(v), 0);
  if (value.M) return 3 + itemSize(value.M);
  if (value.SS) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  return 8;
}
function itemSize(item: Record<string, AttributeValue> | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);
}
const kb = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

interface Meter {
  /** Item writes: each write request once for the table and once more per index entry it touches. */
  writes: Map<string, number>;
  wru: Map<string, number>;
  rru: Map<string, number>;
  reset(): void;
  total(map: Map<string, number>, filter?: (kind: string) => boolean): number;
}

/** What an item is, for the breakdown: its kind by key prefix; links to alerts count as alert writes. */
function kindOf(key: Record<string, AttributeValue> | undefined): string {
  const pk = key?.pk?.S ?? '?';
  const sk = key?.sk?.S ?? '';
  if (sk.startsWith('ALERT#')) return 'ALERT';
  return pk.split('#')[0];
}

function meter(store: LocalStore): Meter {
  const plain = new DynamoDBClient({
    endpoint: store.endpoint,
    region: 'local',
    credentials: store.client.config.credentials,
  });
  const writes = new Map<string, number>();
  const wru = new Map<string, number>();
  const rru = new Map<string, number>();
  const add = (map: Map<string, number>, kind: string, units: number) => map.set(kind, (map.get(kind) ?? 0) + units);
  const read = async (key: Record<string, AttributeValue>) =>
    (await plain.send(new GetItemCommand({ TableName: store.tableName, Key: key, ConsistentRead: true }))).Item;
  store.client.middlewareStack.add(
    (next, context) => async (args) => {
      // The low-level request (lib-dynamodb has marshalled it by this step) and, below, its answer.
      type Item = Record<string, AttributeValue>;
      const input = args.input as { Item?: Item; Key?: Item; ConsistentRead?: boolean; IndexName?: string };
      const command = context.commandName as string;
      if (command === 'PutItemCommand' || command === 'UpdateItemCommand') {
        const key: Record<string, AttributeValue> =
          command === 'PutItemCommand' ? { pk: input.Item!.pk, sk: input.Item!.sk } : input.Key!;
        const before = await read(key);
        let failed: unknown;
        const result = await next(args).catch((error: unknown) => {
          failed = error;
          return undefined;
        });
        const after = failed ? before : await read(key);
        const size = Math.max(itemSize(before), itemSize(after));
        let units = kb(size);
        let entries = 1;
        if (!failed) {
          for (const index of GLOBAL_INDEXES) {
            const was = before?.[index.partitionKey]?.S;
            const is = after?.[index.partitionKey]?.S;
            if (was === undefined && is === undefined) continue;
            const moved =
              was !== undefined &&
              is !== undefined &&
              (was !== is || before?.[index.sortKey]?.S !== after?.[index.sortKey]?.S);
            units += kb(size) * (moved ? 2 : 1);
            entries += moved ? 2 : 1;
          }
        }
        add(wru, kindOf(key), units);
        add(writes, kindOf(key), entries);
        if (failed) throw failed;
        return result!;
      }
      const result = await next(args);
      const output = result.output as { Item?: Item; Items?: Item[] };
      const factor = input.ConsistentRead ? 1 : 0.5;
      if (command === 'GetItemCommand')
        add(rru, kindOf(input.Key), Math.max(1, Math.ceil(itemSize(output.Item) / 4096)) * factor);
      if (command === 'QueryCommand') {
        const bytes = (output.Items ?? []).reduce((sum, item) => sum + itemSize(item), 0);
        add(rru, `QUERY ${String(input.IndexName ?? 'table')}`, Math.max(1, Math.ceil(bytes / 4096)) * factor);
      }
      return result;
    },
    { step: 'build', name: 'capacityMeter' },
  );
  return {
    writes,
    wru,
    rru,
    reset: () => {
      writes.clear();
      wru.clear();
      rru.clear();
    },
    total: (map, filter = () => true) => [...map].filter(([kind]) => filter(kind)).reduce((sum, [, n]) => sum + n, 0),
  };
}

const config = parseConfig({
  brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }],
  sources: [{ id: 'acme-desk', kind: 'webhook', brand: 'acme', secretSecret: 'earshot/desk' }],
  storage: 'memory',
});

let store: LocalStore;
let m: Meter;
let repo: Repository;
beforeAll(async () => {
  store = await startLocalStore('memory');
  m = meter(store);
  repo = new Repository(store.doc, store.tableName);
});
afterAll(() => store.close());

/** Within `share` of the model: the texts vary a little (a duplicate, a suppressed growth saved later). */
const near = (measured: number, modelled: number, share = 0.1) =>
  expect(Math.abs(measured - modelled)).toBeLessThanOrEqual(share * modelled);

test('ingest, grouping, delivery and the sweep make the writes and reads the cost model counts', async () => {
  const texts = generateBenchTexts(150, 5);
  const start = Date.now() - 3_600_000;
  const mentions: Mention[] = texts.map((text, i) => ({
    id: `m${i}`,
    sourceId: 'acme-desk',
    brandId: 'acme',
    kind: 'webhook',
    text: `Acme: ${text}`,
    createdAt: new Date(start + i * 10_000).toISOString(),
  }));
  // Analyze: batches of the deployed batch size.
  const stored: StoredMention[] = [];
  const batch = DEFAULT_COST_INPUTS.analyzeBatchSize;
  for (let at = 0; at < mentions.length; at += batch) {
    const result = await ingestMentions(mentions.slice(at, at + batch), {
      repo,
      retentionDays: 90,
      now: () => new Date(),
    });
    stored.push(...result.stored);
  }
  const flagged = stored.filter((s) => s.flagged);
  expect(flagged.length).toBeGreaterThan(40);
  expect(m.total(m.writes, (kind) => kind === 'MENTION')).toBe(
    (stored.length - flagged.length) * CAPACITY.mentionWrites + flagged.length * CAPACITY.flaggedMentionWrites,
  );
  near(
    m.total(m.writes, (kind) => kind === 'COUNTERS') / Math.ceil(mentions.length / batch),
    CAPACITY.counterWritesPerBatch,
  );

  // The alert function, one stream record at a time (not fresh: it reads the mention first), then its spike check.
  m.reset();
  const sent: string[] = [];
  const deps: AlertDeps = {
    repo,
    sinks: [{ name: 'sns', send: async (message) => void sent.push(message.alertId) }],
    config,
    now: () => new Date(),
  };
  for (const mention of flagged) {
    await handleFlaggedMention(mention, deps);
    await sweepSpike(mention.brandId, deps);
  }
  const alerts = new Set(sent).size;
  expect(alerts).toBeGreaterThan(5);
  const per = (kind: string, n: number) => m.total(m.writes, (k) => k === kind) / n;
  near(per('LOCK', flagged.length), CAPACITY.groupingLeaseWrites);
  // A new incident's first save has no index entry to delete: a little under 3.
  near(per('INCIDENT', flagged.length), CAPACITY.incidentWrites);
  near(per('MENTION', flagged.length), CAPACITY.mentionNoteWrites);
  // Medium-severity alerts are not in the escalation index: a little under the model's high ones.
  near(
    (m.total(m.writes, (kind) => kind === 'ALERT') + m.total(m.writes, (kind) => kind === 'COUNTERS')) / alerts,
    CAPACITY.alertWrites.small + CAPACITY.alertWrites.withMessage,
  );
  near(m.total(m.rru) / flagged.length, CAPACITY.flaggedReads + (alerts / flagged.length) * CAPACITY.alertReads);

  // The sweep (escalate, every 5 minutes) with nothing due (nothing ungrouped: the catch-up takes no lease).
  m.reset();
  await sweep(deps);
  expect(m.total(m.writes)).toBe(CAPACITY.sweepWrites * config.brands.length);
  near(m.total(m.rru), CAPACITY.sweepReads * config.brands.length);
}, 120_000); // some hundred requests, each metered with two more: slow on a busy machine

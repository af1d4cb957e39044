import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createTableInput } from '../../../lambdas/store/table';
import { startLocalStore } from '../../../lambdas/store/local';
import { Repository } from '../../../lambdas/store/repository';
import { TriageService } from '../../../lambdas/pipeline/triage-service';
import { storedMention } from './fixtures';

describe('local store', () => {
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'earshot-store-'));
  });

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  test('closing while writes are in flight waits for them: nothing crashes, nothing is lost', async () => {
    const path = join(folder, 'in-flight');
    const first = await startLocalStore({ path });
    const repo = new Repository(first.doc, first.tableName);
    // Not awaited before close (as a write still under way when a run stops).
    const writes = Array.from({ length: 40 }, (_, i) => repo.mentions.put(storedMention({ id: `inflight-${i}` }), 30));
    await new Promise((resolve) => setTimeout(resolve, 15)); // some reach dynalite, some are still on their way
    await first.close();
    const outcomes = await Promise.allSettled(writes);
    const second = await startLocalStore({ path });
    try {
      const again = new Repository(second.doc, second.tableName);
      // Every write that was answered is there, whole; the process did not crash ("Database is closed").
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.status !== 'fulfilled') continue;
        expect((await again.mentions.get('acme-hn', `inflight-${i}`))?.analysis).toBeDefined();
      }
    } finally {
      await second.close();
    }
  });

  test('a folder store keeps mentions, triage state and cursors across a restart', async () => {
    const path = join(folder, 'nested', 'db');
    const first = await startLocalStore({ path });
    expect(first.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const repo = new Repository(first.doc, first.tableName);
    await repo.mentions.put(storedMention({ id: 'persist-1' }), 30);
    await new TriageService(repo).ack('acme-hn', 'persist-1', { by: 'sam' });
    await repo.sources.advanceCursor({
      sourceId: 'acme-hn',
      watermark: '2024-05-01T10:00:00Z',
      seenIds: ['persist-1'],
      updatedAt: '2024-05-01T10:00:00Z',
    });
    await first.close();

    const second = await startLocalStore({ path });
    try {
      const again = new Repository(second.doc, second.tableName);
      expect((await again.mentions.get('acme-hn', 'persist-1'))?.triage?.status).toBe('acknowledged');
      expect((await again.sources.getCursor('acme-hn'))?.seenIds).toEqual(['persist-1']);
      expect(await again.mentions.put(storedMention({ id: 'persist-1' }), 30)).toBe('duplicate');
      const table = await second.client.send(new DescribeTableCommand({ TableName: second.tableName }));
      expect(table.Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(['gsi1', 'gsi2']);
    } finally {
      await second.close();
    }
  });

  test('memory stores start empty and are independent', async () => {
    const a = await startLocalStore('memory');
    const b = await startLocalStore('memory');
    try {
      await new Repository(a.doc, a.tableName).mentions.put(storedMention({ id: 'only-in-a' }), 30);
      expect(await new Repository(b.doc, b.tableName).mentions.get('acme-hn', 'only-in-a')).toBeUndefined();
      expect(a.tableName).toBe('earshot');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('the table description dynalite keeps between requests follows deletes and re-creates', async () => {
    const store = await startLocalStore('memory');
    try {
      const put = (n: number) =>
        store.doc.send(new PutCommand({ TableName: 'scratch', Item: { pk: `p${n}`, sk: 's', n } }));
      // dynalite finishes creating and deleting a table just after answering.
      const status = () =>
        store.client.send(new DescribeTableCommand({ TableName: 'scratch' })).then(
          (out) => out.Table?.TableStatus,
          (err: unknown) => (err instanceof ResourceNotFoundException ? 'GONE' : Promise.reject(err)),
        );
      const until = async (wanted: string) => {
        for (let i = 0; i < 250 && (await status()) !== wanted; i++) await new Promise((r) => setTimeout(r, 20));
      };
      await store.client.send(new CreateTableCommand(createTableInput('scratch')));
      await until('ACTIVE');
      await put(1);
      await store.client.send(new DeleteTableCommand({ TableName: 'scratch' }));
      await until('GONE');
      await expect(put(2)).rejects.toThrow(ResourceNotFoundException);
      // Again, keyed differently: a request checked against the old definition would be refused.
      await store.client.send(
        new CreateTableCommand({
          TableName: 'scratch',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        }),
      );
      await until('ACTIVE');
      await store.doc.send(new PutCommand({ TableName: 'scratch', Item: { id: 'x', n: 3 } }));
      const table = await store.client.send(new DescribeTableCommand({ TableName: 'scratch' }));
      expect(table.Table?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
      const scan = await store.doc.send(new ScanCommand({ TableName: 'scratch' }));
      expect(scan.Items).toEqual([{ id: 'x', n: 3 }]);
    } finally {
      await store.close();
    }
  });
});

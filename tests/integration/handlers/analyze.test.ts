import { mentionFromItem } from '../../../lambdas/store/keys';
import type { StoredMention } from '../../../lambdas/core/mention';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ENV } from '../../../lambdas/config/env';
import { lambdaContext, mention, redelivered, sqsRecord, startHandlerEnv, type HandlerEnv } from './harness';

type AnalyzeHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

let env: HandlerEnv;
let handler: AnalyzeHandler;
const context = lambdaContext('earshot-analyze');

beforeAll(async () => {
  env = await startHandlerEnv();
  handler = require('../../../lambdas/handlers/analyze').handler;
});

afterAll(async () => {
  await env.restore();
});

const complaint = mention({ id: 'desk-1001' });
const praise = mention({
  id: 'desk-1002',
  text: 'Checked in with Acme this morning, friendly crew and the flight left on time. Lovely.',
});

/** Every MENTION item of a brand (a scan: the table keeps no per-brand timeline, nothing in the product reads one). */
async function storedMentionsOf(brandId: string): Promise<StoredMention[]> {
  const items = await env.repo.table.scan({
    FilterExpression: '#type = :type AND brandId = :brand',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: { ':type': 'MENTION', ':brand': brandId },
  });
  return items.map(mentionFromItem);
}

describe('analyze handler (SQS → DynamoDB)', () => {
  const event: SQSEvent = {
    Records: [
      sqsRecord(JSON.stringify(complaint)),
      sqsRecord('{"id": "desk-1003", "text": "truncated mess'),
      sqsRecord(JSON.stringify(praise)),
      sqsRecord(JSON.stringify({ ...complaint, id: 'desk-1004', kind: 'carrier-pigeon' })),
    ],
  };

  it('stores the valid mentions once and drops the malformed ones without asking for a retry', async () => {
    const result = await handler(event, context);
    expect(result).toEqual({ batchItemFailures: [] });

    const stored = await storedMentionsOf('acme');
    expect(stored.map((m) => m.id).sort()).toEqual(['desk-1001', 'desk-1002']);
    const flagged = await env.repo.mentions.get('acme-desk', 'desk-1001');
    expect(flagged).toMatchObject({ text: complaint.text, flagged: true, triage: { status: 'new' } });
    expect(flagged?.analysis.complaint).toBe(true);
    expect(await env.repo.mentions.get('acme-desk', 'desk-1002')).toMatchObject({ flagged: false });
    expect(await env.repo.mentions.get('acme-desk', 'desk-1003')).toBeUndefined();
    expect(await env.repo.mentions.get('acme-desk', 'desk-1004')).toBeUndefined();
  });

  it('a redelivered batch stores nothing twice and leaves the first items as they were', async () => {
    const before = await env.repo.mentions.get('acme-desk', 'desk-1001');
    const hour = before!.storedAt.slice(0, 13);
    const countersBefore = await env.repo.counters.brandTotals('acme', hour, hour);

    expect(await handler(redelivered(event), context)).toEqual({ batchItemFailures: [] });

    const stored = await storedMentionsOf('acme');
    expect(stored.map((m) => m.id).sort()).toEqual(['desk-1001', 'desk-1002']);
    expect(await env.repo.mentions.get('acme-desk', 'desk-1001')).toEqual(before);
    // Duplicates are not counted again either (they feed SNR and spike baselines).
    expect(await env.repo.counters.brandTotals('acme', hour, hour)).toEqual(countersBefore);
  });

  it('rejects an item the store cannot hold (not re-queued: retrying cannot help) and stores its neighbours', async () => {
    // DynamoDB refuses items over 400 KB: such an item is quarantined (logged, counted), never retried into the DLQ.
    const oversized = mention({ id: 'desk-2001', text: `Acme ${'lost my bag again and again. '.repeat(15_000)}` });
    const fine = mention({ id: 'desk-2002', text: 'Acme upgraded my seat for free, thanks!' });
    const failing = sqsRecord(JSON.stringify(oversized));
    const result = await handler({ Records: [sqsRecord(JSON.stringify(fine)), failing] }, context);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(await env.repo.mentions.get('acme-desk', 'desk-2002')).toBeDefined();
    expect(await env.repo.mentions.get('acme-desk', 'desk-2001')).toBeUndefined();
  });

  it('reports every valid record when the table cannot be written (wrong table name)', async () => {
    process.env[ENV.TABLE_NAME] = 'no-such-table';
    let broken: AnalyzeHandler | undefined;
    jest.isolateModules(() => {
      broken = require('../../../lambdas/handlers/analyze').handler;
    });
    const valid = sqsRecord(JSON.stringify(mention({ id: 'desk-3001' })));
    const malformed = sqsRecord('not json at all');
    const result = await broken!({ Records: [valid, malformed] }, context).finally(() => {
      process.env[ENV.TABLE_NAME] = env.store.tableName;
    });
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: valid.messageId }] });

    // The retry, against the real table, stores it.
    expect(await handler({ Records: [valid] }, context)).toEqual({ batchItemFailures: [] });
    expect(await env.repo.mentions.get('acme-desk', 'desk-3001')).toBeDefined();
  });
});

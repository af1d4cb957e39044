import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { keys } from '../../../lambdas/store/keys';
import type { StoredMention } from '../../../lambdas/core/mention';
import { storedMention } from '../store/fixtures';
import {
  ALERTS_TOPIC_ARN,
  lambdaContext,
  startHandlerEnv,
  streamEvent,
  streamInsert,
  type HandlerEnv,
} from './harness';

type AlertHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

const sns = mockClient(SNSClient);
let env: HandlerEnv;
let handler: AlertHandler;
const context = lambdaContext('earshot-alert');

beforeAll(async () => {
  env = await startHandlerEnv();
  handler = require('../../../lambdas/handlers/alert').handler;
});

afterAll(async () => {
  sns.restore();
  await env.restore();
});

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
});

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** Store a flagged mention as the analyze function does, and read the raw item back: the stream's NewImage. */
async function insertedFlagged(overrides: Partial<StoredMention> & { id: string }) {
  const mention = storedMention({ createdAt: minutesAgo(10), storedAt: minutesAgo(1), ...overrides });
  expect(await env.repo.mentions.put(mention, 90)).toBe('created');
  const { Item } = await env.store.client.send(
    new GetItemCommand({
      TableName: env.store.tableName,
      Key: { pk: { S: keys.mention(mention.sourceId, mention.id).pk }, sk: { S: 'MENTION' } },
    }),
  );
  return streamInsert(Item!);
}

const publishes = () => sns.commandCalls(PublishCommand).map((call) => call.args[0].input as PublishCommandInput);

describe('alert handler (DynamoDB stream → SNS)', () => {
  it('publishes one alert with a short subject and the filterable attributes; a redelivery publishes nothing', async () => {
    const event = streamEvent([await insertedFlagged({ id: 'hn-501' })]);

    expect(await handler(event, context)).toEqual({ batchItemFailures: [] });
    const [sent, ...more] = publishes();
    expect(more).toEqual([]);
    expect(sent.TopicArn).toBe(ALERTS_TOPIC_ARN);
    expect(sent.Subject!.length).toBeLessThanOrEqual(100);
    expect(sent.Subject).toMatch(/^\[HIGH\] Acme/);
    expect(sent.MessageAttributes).toEqual({
      brand: { DataType: 'String', StringValue: 'acme' },
      severity: { DataType: 'String', StringValue: 'high' },
      source: { DataType: 'String', StringValue: 'hackernews' },
      kind: { DataType: 'String', StringValue: 'mention' },
    });
    // One message per protocol: the text by default and by email, JSON for SQS and Lambda subscribers.
    expect(sent.MessageStructure).toBe('json');
    const bodies = JSON.parse(sent.Message!);
    expect(bodies.default).toContain('waited 3 weeks');
    expect(JSON.parse(bodies.sqs)).toMatchObject({ kind: 'mention' });

    expect(await handler(event, context)).toEqual({ batchItemFailures: [] });
    expect(publishes()).toHaveLength(1);

    const stored = await env.repo.mentions.get('acme-hn', 'hn-501');
    expect(stored?.incidentKey).toEqual(expect.any(String));
  });

  it('reports a record whose publish failed; the retry publishes it exactly once and nothing else again', async () => {
    const ok = await insertedFlagged({
      id: 'hn-601',
      brandId: 'globex',
      text: 'Globex charged my card twice for one order and support never replied. Cancelling my account.',
    });
    const failing = await insertedFlagged({
      id: 'hn-602',
      brandId: 'initech',
      text: 'Initech printer arrived broken, two weeks waiting for a replacement. Worst purchase ever.',
    });
    let initechFailures = 1;
    sns.on(PublishCommand).callsFake((input: PublishCommandInput) => {
      if (input.MessageAttributes?.brand?.StringValue === 'initech' && initechFailures-- > 0) {
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' });
      }
      return { MessageId: `msg-${input.MessageAttributes?.brand?.StringValue}` };
    });
    const event = streamEvent([ok, failing]);

    const first = await handler(event, context);
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: failing.dynamodb!.SequenceNumber }] });
    const brandsOf = () => publishes().map((input) => input.MessageAttributes?.brand?.StringValue);
    expect(brandsOf().sort()).toEqual(['globex', 'initech']); // initech attempted once and refused

    // Lambda retries the batch (bisect-on-error may split it; either way both records come again).
    expect(await handler(event, context)).toEqual({ batchItemFailures: [] });
    expect(brandsOf().sort()).toEqual(['globex', 'initech', 'initech']);
    expect(publishes().filter((input) => input.Subject?.includes('Initech'))).toHaveLength(2);

    expect(await handler(event, context)).toEqual({ batchItemFailures: [] });
    expect(publishes()).toHaveLength(3);
  });

  it('when every record of the batch fails, the invocation fails so Lambda retries the batch', async () => {
    const lone = await insertedFlagged({
      id: 'hn-701',
      text: 'Acme app deleted all my saved documents after the update and the help desk is closed. Furious.',
    });
    sns.on(PublishCommand).rejectsOnce(new Error('Service Unavailable')).resolves({ MessageId: 'msg-2' });

    await expect(handler(streamEvent([lone]), context)).rejects.toThrow(/All records failed processing/);
    expect(publishes()).toHaveLength(1);
    expect(await handler(streamEvent([lone]), context)).toEqual({ batchItemFailures: [] });
    expect(publishes()).toHaveLength(2);
  });

  it('complaints about the same problem in one batch join one incident and alert once, as in stream order', async () => {
    const first = await insertedFlagged({
      id: 'hn-901',
      brandId: 'globex',
      text: 'Globex router firmware update bricked my router, support ignored me for 3 weeks.',
    });
    const second = await insertedFlagged({
      id: 'hn-902',
      brandId: 'globex',
      text: 'Globex router firmware update bricked my router too, support never replied in 3 weeks.',
    });

    expect(await handler(streamEvent([first, second]), context)).toEqual({ batchItemFailures: [] });
    const incidentKeys = await Promise.all(
      ['hn-901', 'hn-902'].map(async (id) => (await env.repo.mentions.get('acme-hn', id))?.incidentKey),
    );
    expect(incidentKeys[0]).toEqual(expect.any(String));
    expect(incidentKeys[1]).toBe(incidentKeys[0]);
    expect(publishes()).toHaveLength(1);
    expect(publishes()[0].Subject).toContain('bricked my router, support ignored');
  });

  it('ignores an insert that is not flagged (the stream filter normally keeps it out)', async () => {
    const quiet = storedMention({
      id: 'hn-801',
      flagged: false,
      createdAt: minutesAgo(5),
      storedAt: minutesAgo(1),
    });
    await env.repo.mentions.put(quiet, 90);
    const { Item } = await env.store.client.send(
      new GetItemCommand({
        TableName: env.store.tableName,
        Key: { pk: { S: keys.mention('acme-hn', 'hn-801').pk }, sk: { S: 'MENTION' } },
      }),
    );
    expect(await handler(streamEvent([streamInsert(Item!)]), context)).toEqual({ batchItemFailures: [] });
    expect(publishes()).toEqual([]);
  });
});

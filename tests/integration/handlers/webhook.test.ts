import { SendMessageBatchCommand, SQSClient, type SendMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { signWebhookBody } from '../../../lambdas/sources/adapters/webhook';
import {
  configJson,
  httpApiEvent,
  QUEUE_URL,
  sqsBatchReply,
  startHandlerEnv,
  WEBHOOK_SECRET,
  WEBHOOK_SECRET_ENV,
  type HandlerEnv,
} from './harness';

type WebhookHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

const sqs = mockClient(SQSClient);
const SHORT_SECRET_ENV = 'EARSHOT_TEST_SHORT_WEBHOOK_SECRET';
let env: HandlerEnv;
let handler: WebhookHandler;

beforeAll(async () => {
  env = await startHandlerEnv(
    configJson([
      { id: 'initech-desk', kind: 'webhook', brand: 'initech', secretEnv: WEBHOOK_SECRET_ENV, enabled: false },
      { id: 'acme-hn', kind: 'hackernews', brand: 'acme' },
      { id: 'acme-short', kind: 'webhook', brand: 'acme', secretEnv: SHORT_SECRET_ENV },
    ]),
  );
  process.env[SHORT_SECRET_ENV] = 'short-secret';
  handler = require('../../../lambdas/handlers/webhook').handler;
});

afterAll(async () => {
  sqs.restore();
  delete process.env[SHORT_SECRET_ENV];
  await env.restore();
});

beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageBatchCommand).callsFake(sqsBatchReply);
});

const delivery = JSON.stringify([
  {
    id: 'ticket-4411',
    text: 'Third time my Acme order arrived damaged, and nobody from support has replied in a week.',
    author: 'jo@example.com',
    createdAt: '2026-06-10T11:58:00Z',
    rating: 1,
  },
  { id: 4412, text: 'Where is my parcel? Ordered two weeks ago.' },
]);

/** A delivery to `POST /ingest/{sourceId}`, signed as the sender would sign it. */
function signedEvent(
  sourceId: string,
  body: string,
  secret = WEBHOOK_SECRET,
  timestamp = Math.floor(Date.now() / 1000),
) {
  return httpApiEvent('POST', `/ingest/${sourceId}`, {
    body,
    pathParameters: { sourceId },
    headers: {
      'x-earshot-timestamp': String(timestamp),
      'x-earshot-signature': signWebhookBody(body, secret, timestamp),
    },
  });
}

const sentMentions = () =>
  sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap((call) =>
      (call.args[0].input as SendMessageBatchCommandInput).Entries!.map((e) => JSON.parse(e.MessageBody!)),
    );

describe('webhook handler (API Gateway HTTP API → SQS)', () => {
  it('accepts a signed delivery with 202 and queues its mentions for the source and brand', async () => {
    const result = await handler(signedEvent('acme-desk', delivery));
    expect(result.statusCode).toBe(202);
    expect(JSON.parse(String(result.body))).toEqual({ accepted: 2 });
    expect(sqs.commandCalls(SendMessageBatchCommand)[0].args[0].input.QueueUrl).toBe(QUEUE_URL);
    expect(sentMentions()).toEqual([
      expect.objectContaining({
        id: 'ticket-4411',
        sourceId: 'acme-desk',
        kind: 'webhook',
        brandId: 'acme',
        rating: 1,
      }),
      expect.objectContaining({ id: '4412', sourceId: 'acme-desk', brandId: 'acme' }),
    ]);
  });

  it('accepts a base64-encoded body (binary media types) by its decoded signature', async () => {
    const event = signedEvent('globex-desk', delivery);
    const result = await handler({ ...event, body: Buffer.from(delivery).toString('base64'), isBase64Encoded: true });
    expect(result.statusCode).toBe(202);
    expect(sentMentions().map((m) => m.brandId)).toEqual(['globex', 'globex']);
  });

  it('refuses a bad signature, a missing one, and a replayed delivery with 401, queueing nothing', async () => {
    const forged = await handler(signedEvent('acme-desk', delivery, 'not-the-secret'));
    expect(forged.statusCode).toBe(401);
    expect(JSON.parse(String(forged.body))).toEqual({ error: 'bad signature' });

    const tampered = signedEvent('acme-desk', delivery);
    tampered.body = delivery.replace('damaged', 'fine');
    expect((await handler(tampered)).statusCode).toBe(401);

    const unsigned = httpApiEvent('POST', '/ingest/acme-desk', {
      body: delivery,
      pathParameters: { sourceId: 'acme-desk' },
    });
    expect((await handler(unsigned)).statusCode).toBe(401);

    const stale = await handler(
      signedEvent('acme-desk', delivery, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 3600),
    );
    expect(stale.statusCode).toBe(401);
    expect(JSON.parse(String(stale.body)).error).toMatch(/stale or replayed/);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toEqual([]);
  });

  it('refuses every push to a source whose secret is shorter than 16 characters, even when correctly signed', async () => {
    const result = await handler(signedEvent('acme-short', delivery, 'short-secret'));
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(String(result.body)).error).toMatch(/shorter than 16 characters/);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toEqual([]);
  });

  it('a full delivery of 100 mentions is queued in batches SQS accepts', async () => {
    const many = JSON.stringify(
      Array.from({ length: 100 }, (_, i) => ({ id: `bulk-${i}`, text: `Acme order ${i} is late. `.repeat(150) })),
    );
    const result = await handler(signedEvent('acme-desk', many));
    expect(result.statusCode).toBe(202);
    expect(JSON.parse(String(result.body))).toEqual({ accepted: 100 });
    expect(new Set(sentMentions().map((m) => m.id)).size).toBe(100);
  });

  it('when SQS is unavailable the invocation fails, so API Gateway answers 5xx and the sender retries', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .rejects(Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable' }));
    await expect(handler(signedEvent('acme-desk', delivery))).rejects.toThrow('Service Unavailable');
  });

  it('answers 404 for an unknown source and 400 for a signed but invalid body', async () => {
    const unknown = await handler(signedEvent('nobody-desk', delivery));
    expect(unknown.statusCode).toBe(404);
    expect(JSON.parse(String(unknown.body))).toEqual({ error: 'unknown webhook source' });

    // A poll source's id is not a webhook.
    expect((await handler(signedEvent('acme-hn', delivery))).statusCode).toBe(404);

    const invalid = await handler(signedEvent('acme-desk', JSON.stringify({ id: 'x' })));
    expect(invalid.statusCode).toBe(400);
    expect(JSON.parse(String(invalid.body)).error).toMatch(/invalid mention: text/);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toEqual([]);
  });

  it('answers 404 for a disabled source even when correctly signed: its secret is not granted on AWS', async () => {
    const disabled = await handler(signedEvent('initech-desk', delivery));
    expect(disabled.statusCode).toBe(404);
    expect(JSON.parse(String(disabled.body))).toEqual({ error: 'unknown webhook source' });
    expect(sqs.commandCalls(SendMessageBatchCommand)).toEqual([]);
  });

  it('refuses, as a config error, a webhook source with no secret (it would answer every push 500)', () => {
    expect(() =>
      configJson([
        { id: 'initech-form', kind: 'webhook', brand: 'initech' },
        { id: 'acme-hn', kind: 'hackernews', brand: 'acme' },
      ]),
    ).toThrow(/sources\[2\]: a webhook source needs secretEnv/);
  });
});

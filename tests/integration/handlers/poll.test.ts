import { SendMessageBatchCommand, SQSClient, type SendMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import type { SourcePassSummary } from '../../../lambdas/pipeline/poll';
import { startServer, type TestServer } from '../sources/server';
import { configJson, QUEUE_URL, sqsBatchReply, startHandlerEnv, type HandlerEnv } from './harness';

type PollHandler = (event: { sourceId: string }) => Promise<SourcePassSummary>;

const sqs = mockClient(SQSClient);
let env: HandlerEnv;
let server: TestServer;
let handler: PollHandler;

/** Hacker News hits (Algolia format), newest first: 13 about Acme, one about the Acme museum (noise). */
const NOW_S = Math.floor(Date.now() / 1000);
function hnComment(id: number, minutesAgo: number, text: string) {
  const at = NOW_S - minutesAgo * 60;
  return {
    objectID: String(id),
    created_at: new Date(at * 1000).toISOString(),
    created_at_i: at,
    author: `user${id}`,
    title: null,
    url: null,
    points: null,
    num_comments: null,
    story_text: null,
    comment_text: text,
    story_title: 'Ask HN: airline stories',
    _tags: ['comment', `story_${id}`],
  };
}
const hits = [
  ...Array.from({ length: 13 }, (_, i) =>
    hnComment(
      9000 + i,
      10 + i * 5,
      `Acme lost my bag on flight AC${100 + i} and support has not replied in ${i + 2} days.`,
    ),
  ),
  hnComment(8999, 100, 'The Acme museum has a lovely cartoon exhibit.'),
];

beforeAll(async () => {
  server = await startServer();
  server.on('GET', '/api/v1/search_by_date', (request) => {
    const since = Number(/created_at_i>=(\d+)/.exec(request.query.get('numericFilters') ?? '')?.[1] ?? 0);
    const page = hits.filter((hit) => hit.created_at_i >= since);
    return { body: { hits: page, page: 0, nbPages: 1, hitsPerPage: 100, nbHits: page.length } };
  });
  env = await startHandlerEnv(configJson([{ id: 'acme-hn', kind: 'hackernews', brand: 'acme', baseUrl: server.url }]));
  handler = require('../../../lambdas/handlers/poll').handler;
});

afterAll(async () => {
  sqs.restore();
  await server.close();
  await env.restore();
});

beforeEach(() => {
  sqs.reset();
});

const batches = () =>
  sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input as SendMessageBatchCommandInput);

describe('poll handler (EventBridge Scheduler → source → SQS)', () => {
  it('when SQS refuses the mentions, the cursor stays put and the error is reported', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .rejects(Object.assign(new Error('Access to the resource is denied'), { name: 'AccessDenied' }));

    const summary = await handler({ sourceId: 'acme-hn' });
    expect(summary).toMatchObject({ id: 'acme-hn', kind: 'hackernews', fetched: 14, relevant: 13, noise: 1 });
    expect(summary.errors).toEqual([
      expect.stringMatching(/could not hand mentions on: Access to the resource is denied/),
    ]);
    expect(await env.repo.sources.getCursor('acme-hn')).toBeUndefined();
  });

  it('sends the relevant mentions in batches of at most 10 and advances the cursor; the next poll sends nothing', async () => {
    sqs.on(SendMessageBatchCommand).callsFake(sqsBatchReply);

    const summary = await handler({ sourceId: 'acme-hn' });
    expect(summary).toMatchObject({ fetched: 14, relevant: 13, noise: 1, errors: [] });
    const sent = batches();
    expect(sent.map((b) => b.Entries!.length)).toEqual([10, 3]);
    for (const batch of sent) {
      expect(batch.QueueUrl).toBe(QUEUE_URL);
      expect(new Set(batch.Entries!.map((e) => e.Id)).size).toBe(batch.Entries!.length);
    }
    const bodies = sent.flatMap((b) => b.Entries!.map((e) => JSON.parse(e.MessageBody!)));
    expect(bodies.map((m) => m.id).sort()).toEqual(
      hits
        .slice(0, 13)
        .map((h) => h.objectID)
        .sort(),
    );
    expect(bodies[0]).toMatchObject({ sourceId: 'acme-hn', kind: 'hackernews', brandId: 'acme' });

    const cursor = await env.repo.sources.getCursor('acme-hn');
    expect(cursor?.watermark).toBeDefined();
    expect(Date.parse(cursor!.watermark)).toBeGreaterThanOrEqual(hits[0].created_at_i * 1000 - 60 * 60_000);

    sqs.resetHistory();
    const again = await handler({ sourceId: 'acme-hn' });
    expect(again.errors).toEqual([]);
    expect(batches()).toEqual([]);
  });

  it('retries only the entries SQS failed inside a batch', async () => {
    hits.unshift(hnComment(9100, 1, 'Acme cancelled my flight without notice and nobody answers the phone.'));
    hits.unshift(hnComment(9101, 0, 'Acme charged my card twice and the refund form is broken.'));
    let refused = false;
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
      const entries = input.Entries!;
      const fail = !refused ? entries.slice(0, 1) : [];
      refused = true;
      return {
        Successful: entries
          .slice(fail.length)
          .map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: 'x' })),
        Failed: fail.map((e) => ({ Id: e.Id, SenderFault: false, Code: 'InternalError', Message: 'try again' })),
      };
    });

    const summary = await handler({ sourceId: 'acme-hn' });
    expect(summary.errors).toEqual([]);
    const sent = batches();
    expect(sent.map((b) => b.Entries!.length)).toEqual([2, 1]);
    expect(sent[1].Entries![0].MessageBody).toBe(sent[0].Entries![0].MessageBody);
  });

  it('long comments are capped, so a full batch of them still fits one SQS request', async () => {
    // Ten ~20 KB comments in three-byte characters: uncapped they would be far over SQS's 256 KiB per request.
    const rant = 'Acme 把我的行李弄丢了，客服三个星期没有回复。';
    for (let i = 0; i < 10; i++) hits.unshift(hnComment(9200 + i, 0, `${i}: ${rant.repeat(300)}`));
    sqs.on(SendMessageBatchCommand).callsFake(sqsBatchReply);

    const summary = await handler({ sourceId: 'acme-hn' });
    expect(summary.errors).toEqual([]);
    const [batch, ...more] = batches();
    expect(more).toEqual([]);
    const sent = batch.Entries!.map((e) => JSON.parse(e.MessageBody!));
    expect(sent.map((m) => m.id).sort()).toEqual(Array.from({ length: 10 }, (_, i) => String(9200 + i)));
    for (const m of sent) expect(m.text.length).toBeLessThanOrEqual(5000);
  });

  it('an unknown sourceId is a clear error', async () => {
    await expect(handler({ sourceId: 'nope' })).rejects.toThrow('unknown sourceId "nope"');
    await expect(handler({} as { sourceId: string })).rejects.toThrow('unknown sourceId undefined');
    expect(batches()).toEqual([]);
  });
});

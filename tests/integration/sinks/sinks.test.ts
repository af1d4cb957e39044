import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { createSinks, deliver, type AlertSink } from '../../../lambdas/sinks';
import { createConsoleSink } from '../../../lambdas/sinks/console';
import { createJsonlSink } from '../../../lambdas/sinks/jsonl';
import { createSnsSink, setSnsClient } from '../../../lambdas/sinks/sns';
import { createWebhookSink } from '../../../lambdas/sinks/webhook';
import { sampleMessage, startServer } from './fixtures';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:earshot-alerts';
const noWait = () => Promise.resolve();
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-sinks-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readLines(path: string): Promise<Record<string, unknown>[]> {
  const content = await readFile(path, 'utf8');
  return content
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('jsonl sink', () => {
  it('creates the folder and appends one JSON line per alert', async () => {
    const path = join(dir, 'nested', 'deeper', 'alerts.jsonl');
    const sink = createJsonlSink(path, () => new Date('2024-05-01T12:00:00.000Z'));
    await sink.send(sampleMessage('one'));
    await sink.send(sampleMessage('two'));
    const lines = await readLines(path);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      at: '2024-05-01T12:00:00.000Z',
      alertId: 'mention#acme-reddit#one',
      kind: 'mention',
      attributes: { brand: 'acme', severity: 'high', source: 'reddit', kind: 'mention' },
      json: { version: 1 },
    });
    expect(lines[1].alertId).toBe('mention#acme-reddit#two');
  });
});

describe('console sink', () => {
  it('writes the subject and body, without colour when not a TTY', async () => {
    let out = '';
    const sink = createConsoleSink({ stream: { write: (s: string) => ((out += s), true), isTTY: false } });
    await sink.send(sampleMessage());
    expect(out).toContain('[HIGH] Acme · Reddit');
    expect(out).toContain('churn intent');
    expect(out).not.toContain('\x1b[');
  });

  it('colours by severity on a TTY', async () => {
    let out = '';
    const sink = createConsoleSink({ stream: { write: (s: string) => ((out += s), true), isTTY: true } });
    await sink.send(sampleMessage());
    expect(out).toContain('\x1b[31m');
  });
});

describe('webhook sink', () => {
  it('posts a Slack-compatible payload', async () => {
    const server = await startServer([200]);
    try {
      await createWebhookSink(server.url, { sleep: noWait }).send(sampleMessage());
      expect(server.requests).toHaveLength(1);
      const [request] = server.requests;
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toBe('application/json');
      const payload = JSON.parse(request.body);
      expect(payload.text).toContain('[HIGH] Acme · Reddit');
      expect(payload.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
      expect(payload.blocks[1].text.text).toContain('churn intent');
    } finally {
      await server.close();
    }
  });

  it('retries after a 500 and succeeds', async () => {
    const server = await startServer([500, 200]);
    try {
      await createWebhookSink(server.url, { sleep: noWait }).send(sampleMessage());
      expect(server.requests).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('reports a failure with the status, never the secret path', async () => {
    const server = await startServer([503]);
    const sink = createWebhookSink(server.url, { retries: 2, sleep: noWait });
    try {
      const error = await sink.send(sampleMessage()).then(
        () => undefined,
        (err: Error) => err,
      );
      expect(error?.message).toMatch(/HTTP 503/);
      expect(error?.message).not.toContain('SECRETPATHTOKEN');
      expect(sink.name).not.toContain('SECRETPATHTOKEN');
      expect(server.requests).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  it('does not retry a client error', async () => {
    const server = await startServer([404, 200]);
    try {
      await expect(createWebhookSink(server.url, { sleep: noWait }).send(sampleMessage())).rejects.toThrow(/HTTP 404/);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('gives up on an endpoint that never answers', async () => {
    const server = await startServer([0]);
    try {
      await expect(
        createWebhookSink(server.url, { retries: 0, timeoutMs: 200, sleep: noWait }).send(sampleMessage()),
      ).rejects.toThrow(/timed out after 200 ms/);
    } finally {
      await server.close();
    }
  });

  it('reports an unreachable endpoint without the secret path', async () => {
    const server = await startServer([200]);
    await server.close(); // nothing listens on that port any more
    const error = await createWebhookSink(server.url, { retries: 1, sleep: noWait, timeoutMs: 2000 })
      .send(sampleMessage())
      .then(
        () => undefined,
        (err: Error) => err,
      );
    expect(error?.message).toMatch(/^webhook 127\.0\.0\.1:\d+ /);
    expect(error?.message).not.toContain('SECRETPATHTOKEN');
  });
});

describe('sns sink', () => {
  const snsMock = mockClient(SNSClient);
  beforeEach(() => snsMock.reset());
  afterAll(() => {
    snsMock.restore();
    setSnsClient(undefined);
  });

  it('publishes subject, text and string message attributes', async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
    setSnsClient(new SNSClient({ region: 'us-east-1' }));
    const message = sampleMessage();
    await createSnsSink(TOPIC).send(message);
    const calls = snsMock.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    expect(input).toMatchObject({ TopicArn: TOPIC, Subject: message.subject, Message: message.text });
    expect(input.Subject!.length).toBeLessThan(100);
    expect(input.MessageStructure).toBeUndefined();
    expect(input.MessageAttributes).toEqual({
      brand: { DataType: 'String', StringValue: 'acme' },
      severity: { DataType: 'String', StringValue: 'high' },
      source: { DataType: 'String', StringValue: 'reddit' },
      kind: { DataType: 'String', StringValue: 'mention' },
    });
  });

  it('can publish per-protocol messages with the Chatbot payload for HTTPS', async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-2' });
    const message = sampleMessage();
    await createSnsSink(TOPIC, { client: new SNSClient({ region: 'us-east-1' }), perProtocol: true }).send(message);
    const input = snsMock.commandCalls(PublishCommand)[0].args[0].input;
    expect(input.MessageStructure).toBe('json');
    const perProtocol = JSON.parse(input.Message!);
    expect(perProtocol.default).toBe(message.text);
    expect(JSON.parse(perProtocol.https)).toMatchObject({ version: '1.0', source: 'custom' });
    expect(JSON.parse(perProtocol.sqs)).toMatchObject({ version: 1, alertId: message.alertId });
  });

  it('surfaces a publish error', async () => {
    snsMock.on(PublishCommand).rejects(new Error('AuthorizationError: not allowed'));
    await expect(
      createSnsSink(TOPIC, { client: new SNSClient({ region: 'us-east-1' }) }).send(sampleMessage()),
    ).rejects.toThrow(/not allowed/);
  });
});

describe('createSinks', () => {
  it('builds one sink per configured entry with stable, secret-free names', () => {
    const sinks = createSinks([
      'console',
      { console: { color: false } },
      { jsonl: join(dir, 'alerts.jsonl') },
      { webhook: 'https://hooks.slack.example/services/T1/B2/SECRET' },
      { sns: TOPIC },
    ]);
    const names = sinks.map((sink) => sink.name);
    expect(names[0]).toBe('console');
    expect(names[2]).toBe(`jsonl:${join(dir, 'alerts.jsonl')}`);
    expect(names[3]).toMatch(/^webhook:hooks\.slack\.example#[0-9a-f]{8}$/);
    expect(names[4]).toBe(`sns:${TOPIC}`);
    const again = createSinks([{ webhook: 'https://hooks.slack.example/services/T1/B2/SECRET' }]);
    expect(again[0].name).toBe(names[3]);
    const other = createSinks([{ webhook: 'https://hooks.slack.example/services/T1/B2/OTHER' }]);
    expect(other[0].name).not.toBe(names[3]);
  });
});

describe('deliver', () => {
  it('records partial delivery, then re-sends only to the sink that failed', async () => {
    const path = join(dir, 'alerts.jsonl');
    const server = await startServer([500, 500, 200]);
    const throwing: AlertSink = {
      name: 'sync-thrower',
      send: () => {
        throw new Error('boom');
      },
    };
    const sinks = [createJsonlSink(path), createWebhookSink(server.url, { retries: 0, sleep: noWait })];
    try {
      const message = sampleMessage();
      const first = await deliver(message, [...sinks, throwing], []);
      expect(first.delivered).toEqual([sinks[0].name]);
      expect(first.failed.map((f) => f.sink)).toEqual([sinks[1].name, 'sync-thrower']);
      expect(first.failed[0].error).toMatch(/HTTP 500/);
      expect(first.failed[1].error).toBe('boom');

      const second = await deliver(message, sinks, first.delivered);
      expect(second.sent).toEqual([]);
      expect(second.failed).toHaveLength(1);

      const third = await deliver(message, sinks, second.delivered);
      expect(third.sent).toEqual([sinks[1].name]);
      expect(third.failed).toEqual([]);
      expect(third.delivered).toEqual([sinks[0].name, sinks[1].name]);

      expect(await readLines(path)).toHaveLength(1); // the JSONL sink got it exactly once
      expect(server.requests).toHaveLength(3);
    } finally {
      await server.close();
    }
  });
});

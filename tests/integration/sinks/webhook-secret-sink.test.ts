import { createSinks, deliver } from '../../../lambdas/sinks';
import { awsSecrets, localSecrets } from '../../../lambdas/sources/secrets';
import { sampleMessage, startServer } from './fixtures';

/** Webhook sinks whose URL is a credential: `{ webhookEnv }` locally, `{ webhookSecret }` on AWS. */

const noWait = () => Promise.resolve();

describe('webhook sink named by environment variable', () => {
  it('reads the variable only when an alert is sent, under a name that never holds the URL', async () => {
    const server = await startServer([200]);
    const env: NodeJS.ProcessEnv = {};
    try {
      // Created before the variable exists: start-up needs no credential.
      const [sink] = createSinks([{ webhookEnv: 'SLACK_WEBHOOK_URL' }], {
        secrets: localSecrets(env),
        webhook: { sleep: noWait },
      });
      expect(sink.name).toBe('webhook:env:SLACK_WEBHOOK_URL');

      env.SLACK_WEBHOOK_URL = server.url;
      await sink.send(sampleMessage());
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0].url).toBe('/services/T000/B000/SECRETPATHTOKEN');
      expect(JSON.parse(server.requests[0].body).text).toContain('[HIGH] Acme');
    } finally {
      await server.close();
    }
  });

  it('a missing variable fails the delivery, naming the variable', async () => {
    const env: NodeJS.ProcessEnv = {};
    const sinks = createSinks([{ webhookEnv: 'SLACK_WEBHOOK_URL' }], { secrets: localSecrets(env) });
    const result = await deliver(sampleMessage(), sinks);
    expect(result.failed).toEqual([
      {
        sink: 'webhook:env:SLACK_WEBHOOK_URL',
        error: 'alert sink webhook:env:SLACK_WEBHOOK_URL: environment variable SLACK_WEBHOOK_URL is not set',
      },
    ]);
  });

  it('errors name the sink, never the URL: a failing endpoint and a value that is not a URL', async () => {
    const server = await startServer([503]);
    const env: NodeJS.ProcessEnv = { SLACK_WEBHOOK_URL: server.url };
    try {
      const [sink] = createSinks([{ webhookEnv: 'SLACK_WEBHOOK_URL' }], {
        secrets: localSecrets(env),
        webhook: { retries: 1, sleep: noWait },
      });
      const failure = await sink.send(sampleMessage()).then(
        () => undefined,
        (err: Error) => err.message,
      );
      expect(failure).toBe('webhook:env:SLACK_WEBHOOK_URL answered HTTP 503');
      expect(server.requests).toHaveLength(2);

      env.SLACK_WEBHOOK_URL = 'hooks.slack.com/services/T1/B2/SECRETPATHTOKEN';
      const notUrl = await sink.send(sampleMessage()).then(
        () => undefined,
        (err: Error) => err.message,
      );
      expect(notUrl).toBe('webhook:env:SLACK_WEBHOOK_URL: the value is not an http(s) URL');
      expect(`${failure} ${notUrl} ${sink.name}`).not.toContain('SECRETPATHTOKEN');
    } finally {
      await server.close();
    }
  });
});

describe('webhook sink named by secret (AWS)', () => {
  it('reads Secrets Manager on the first send, not before, then reuses the cached value', async () => {
    const server = await startServer([200]);
    const reads: string[] = [];
    const secrets = awsSecrets(
      {
        getSecret: async (name) => (reads.push(name), server.url),
        getParameter: async () => undefined,
      },
      {},
    );
    try {
      const [sink] = createSinks([{ webhookSecret: 'earshot/slack-webhook' }], { secrets });
      expect(sink.name).toBe('webhook:secret:earshot/slack-webhook');
      expect(reads).toEqual([]);
      await sink.send(sampleMessage('one'));
      await sink.send(sampleMessage('two'));
      expect(reads).toEqual(['earshot/slack-webhook']);
      expect(server.requests).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('locally, a secret-only sink fails on send with a message saying to use webhookEnv', async () => {
    const [sink] = createSinks([{ webhookSecret: 'ssm:/earshot/slack-webhook' }], { secrets: localSecrets({}) });
    await expect(sink.send(sampleMessage())).rejects.toThrow(
      /alert sink webhook:secret:ssm:\/earshot\/slack-webhook: only a Secrets Manager\/SSM name is configured/,
    );
  });
});

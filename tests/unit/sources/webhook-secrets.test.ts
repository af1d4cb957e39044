import { brandSchema, sourceSchemaOf } from '../../../lambdas/config/schema';
import { parseWebhookDelivery, signWebhookBody } from '../../../lambdas/sources/adapters/webhook';
import { awsSecrets, localSecrets } from '../../../lambdas/sources/secrets';

const brand = brandSchema.parse({ id: 'acme', name: 'Acme', keywords: ['acme'] });
const source = sourceSchemaOf().parse({ id: 'acme-hook', kind: 'webhook', brand: 'acme', secretEnv: 'HOOK_SECRET' });
const now = new Date('2026-06-10T12:00:00Z');
const ts = Math.floor(now.getTime() / 1000);
const secret = 'whsec-test-123';

function deliver(body: string, timestamp = ts, signWith = secret) {
  const headers = {
    'X-Earshot-Signature': signWebhookBody(body, signWith, timestamp),
    'x-earshot-timestamp': String(timestamp),
  };
  return parseWebhookDelivery(body, headers, secret, source, brand, now);
}

describe('parseWebhookDelivery', () => {
  it('accepts a signed single mention and an array', () => {
    const one = deliver(JSON.stringify({ id: 42, text: 'Acme Air lost my bag &amp; nobody replied', rating: 1 }));
    expect(one).toEqual({
      ok: true,
      mentions: [
        {
          id: '42',
          sourceId: 'acme-hook',
          kind: 'webhook',
          brandId: 'acme',
          text: 'Acme Air lost my bag &amp; nobody replied',
          createdAt: now.toISOString(),
          rating: 1,
          visibility: 'public',
        },
      ],
    });
    const many = deliver(
      JSON.stringify([
        { id: 'a', text: '<p>x &amp; y</p>', html: true },
        { id: 'b', text: 'two', language: 'vi-VN' },
      ]),
    );
    expect(many.ok && many.mentions.map((m) => [m.id, m.text, m.language])).toEqual([
      ['a', 'x & y', undefined],
      ['b', 'two', 'vi'],
    ]);
  });
  it('refuses a bad signature, a missing header and a replayed delivery', () => {
    const body = JSON.stringify({ id: 'a', text: 'hi' });
    expect(deliver(body, ts, 'wrong-secret')).toMatchObject({ ok: false, status: 401, error: 'bad signature' });
    expect(parseWebhookDelivery(body, {}, secret, source, brand, now)).toMatchObject({ ok: false, status: 401 });
    expect(deliver(body, ts - 301)).toMatchObject({ ok: false, status: 401, error: expect.stringMatching(/replayed/) });
    // Same signature, body tampered:
    const headers = { 'x-earshot-signature': signWebhookBody(body, secret, ts), 'x-earshot-timestamp': String(ts) };
    expect(parseWebhookDelivery(body.replace('hi', 'ho'), headers, secret, source, brand, now)).toMatchObject({
      ok: false,
      status: 401,
    });
  });
  it('refuses malformed bodies with a 400 naming the problem', () => {
    expect(deliver('{not json')).toMatchObject({ ok: false, status: 400, error: 'body is not valid JSON' });
    expect(deliver(JSON.stringify({ id: 'a' }))).toMatchObject({
      ok: false,
      status: 400,
      error: expect.stringMatching(/text/),
    });
    expect(deliver(JSON.stringify([]))).toMatchObject({ ok: false, status: 400 });
  });
});

describe('secrets', () => {
  it('local: reads the named variable and names the VARIABLE, never the value, when missing', async () => {
    const resolver = localSecrets({ REDDIT_ID: 'abc123' });
    await expect(resolver.resolve({ label: 'source r clientId', env: 'REDDIT_ID' })).resolves.toBe('abc123');
    await expect(resolver.resolve({ label: 'source r clientId', env: 'MISSING_VAR' })).rejects.toThrow(
      'source r clientId: environment variable MISSING_VAR is not set',
    );
  });
  it('aws: SSM for ssm:/ names, Secrets Manager otherwise, cached', async () => {
    const calls: string[] = [];
    const resolver = awsSecrets({
      getSecret: async (name) => (calls.push(`sm:${name}`), 'from-sm'),
      getParameter: async (name) => (calls.push(`ssm:${name}`), 'from-ssm'),
    });
    await expect(resolver.resolve({ label: 'x', secret: 'ssm:/earshot/key' })).resolves.toBe('from-ssm');
    await expect(resolver.resolve({ label: 'x', secret: 'earshot/reddit' })).resolves.toBe('from-sm');
    await resolver.resolve({ label: 'x', secret: 'earshot/reddit' });
    expect(calls).toEqual(['ssm:/earshot/key', 'sm:earshot/reddit']);
  });
});

import { parseConfig } from '../../../lambdas/config/load';
import { signZaloBody } from '../../../lambdas/sources/adapters/zalo-webhook';
import { pollSource } from '../../../lambdas/sources/registry';
import { localSecrets } from '../../../lambdas/sources/secrets';
import { verifyWebhookDelivery } from '../../../lambdas/sources/webhook-delivery';
import { NOW, pollContext, sourceConfig, startServer, type TestServer } from './server';

/** Zalo OA: signed webhook events (both digest variants) and the listrecentchat fallback; messages are private. */

const OA = '4318000000000000001';
const APP = '1234567890';
const env = { ZALO_SECRET: 'oa-secret-key', ZALO_TOKEN: 'oa-access-token' };

const config = (signature: 'sha256' | 'hmac-sha256') =>
  parseConfig(
    {
      brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }],
      sources: [
        {
          id: 'acme-zalo',
          kind: 'zalo',
          brand: 'acme',
          oaId: OA,
          appId: APP,
          oaSecretKeyEnv: 'ZALO_SECRET',
          signature,
        },
      ],
    },
    'test',
  );

const event = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    app_id: APP,
    user_id_by_app: '552177279717587730',
    event_name: 'user_send_text',
    sender: { id: '246845883529197922' },
    recipient: { id: OA },
    message: { msg_id: 'a1b2c3', text: 'Đơn hàng 3 ngày chưa giao, gọi hotline không ai nghe' },
    timestamp: String(Date.parse('2026-06-10T11:58:00Z')),
    ...overrides,
  });

describe('zalo OA webhook', () => {
  it.each(['sha256', 'hmac-sha256'] as const)('a %s-signed message becomes a private mention', async (digest) => {
    const raw = event();
    const ts = String(Date.parse('2026-06-10T11:58:00Z'));
    const headers = { 'X-ZEvent-Signature': signZaloBody(APP, raw, ts, env.ZALO_SECRET, digest) };
    const result = await verifyWebhookDelivery('acme-zalo', raw, headers, config(digest), localSecrets(env), NOW);
    expect(result).toMatchObject({
      ok: true,
      mentions: [
        { id: 'a1b2c3', kind: 'zalo', visibility: 'private', createdAt: '2026-06-10T11:58:00.000Z', language: 'vi' },
      ],
    });
    // The other variant's digest does not pass.
    const other = digest === 'sha256' ? 'hmac-sha256' : 'sha256';
    const wrong = { 'x-zevent-signature': signZaloBody(APP, raw, ts, env.ZALO_SECRET, other) };
    expect(await verifyWebhookDelivery('acme-zalo', raw, wrong, config(digest), localSecrets(env), NOW)).toEqual({
      ok: false,
      status: 401,
      error: 'bad signature',
    });
  });

  it('a bad or missing signature is 401, malformed JSON 400, other events and other OAs are acknowledged and ignored', async () => {
    const raw = event();
    const ts = String(Date.parse('2026-06-10T11:58:00Z'));
    const bad = { 'x-zevent-signature': signZaloBody(APP, raw, ts, 'guess', 'sha256') };
    expect(await verifyWebhookDelivery('acme-zalo', raw, bad, config('sha256'), localSecrets(env), NOW)).toMatchObject({
      status: 401,
    });
    expect(await verifyWebhookDelivery('acme-zalo', raw, {}, config('sha256'), localSecrets(env), NOW)).toMatchObject({
      status: 401,
    });
    expect(
      await verifyWebhookDelivery(
        'acme-zalo',
        '{not json',
        { 'x-zevent-signature': 'mac=00' },
        config('sha256'),
        localSecrets(env),
        NOW,
      ),
    ).toMatchObject({ status: 400 });
    for (const body of [event({ event_name: 'user_send_sticker' }), event({ recipient: { id: '1' } })]) {
      const headers = { 'x-zevent-signature': signZaloBody(APP, body, ts, env.ZALO_SECRET, 'sha256') };
      expect(await verifyWebhookDelivery('acme-zalo', body, headers, config('sha256'), localSecrets(env), NOW)).toEqual(
        {
          ok: true,
          source: expect.anything(),
          mentions: [],
        },
      );
    }
  });
});

describe('zalo listrecentchat fallback', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(() => server.close());

  const zalo = (options: Record<string, unknown> = {}) =>
    sourceConfig({
      id: 'acme-zalo',
      kind: 'zalo',
      baseUrl: server.url,
      oaId: OA,
      appId: APP,
      oaSecretKeyEnv: 'ZALO_SECRET',
      accessTokenEnv: 'ZALO_TOKEN',
      pollRecentChats: true,
      ...options,
    });
  const chat = (id: string, iso: string, message: string, extra: Record<string, unknown> = {}) => ({
    from_id: '246845883529197922',
    from_display_name: 'Lan',
    message_id: id,
    type: 'text',
    message,
    time: Date.parse(iso),
    ...extra,
  });

  it('pages by offset, keeps messages private, skips the OA itself and non-text; a second poll has nothing new', async () => {
    const first = Array.from({ length: 10 }, (_, i) =>
      chat(`m${i}`, `2026-06-10T1${i % 2}:0${i}:00Z`, `tin nhắn ${i}`),
    );
    first[3] = chat('own', '2026-06-10T10:30:00Z', 'Dạ shop đã nhận', { from_id: OA });
    first[4] = chat('img', '2026-06-10T10:31:00Z', '', { type: 'photo' });
    server.on('GET', '/v2.0/oa/listrecentchat', (req) => {
      const { offset } = JSON.parse(req.query.get('data') ?? '{}') as { offset: number };
      return {
        body: {
          error: 0,
          message: 'Success',
          data: offset === 0 ? first : [chat('old', '2026-06-09T13:00:00Z', 'cũ')],
        },
      };
    });
    const result = await pollSource(pollContext(zalo(), { env }));
    expect(result.errors).toEqual([]);
    expect(result.mentions).toHaveLength(9);
    expect(result.mentions.every((m) => m.visibility === 'private')).toBe(true);
    expect(result.mentions.map((m) => m.id)).not.toContain('own');
    expect(result.skipped).toBe(1);
    expect(server.requests[0].headers.access_token).toBe(env.ZALO_TOKEN);
    const again = await pollSource(pollContext(zalo(), { env, cursor: result.nextCursor }));
    expect(again.mentions).toEqual([]);
  });

  it('error -216 (expired token) is a config error; an empty list is fine; push-only sources make no request', async () => {
    server.on('GET', '/v2.0/oa/listrecentchat', { body: { error: -216, message: 'Access token is invalid' } });
    const expired = await pollSource(pollContext(zalo(), { env }));
    expect(expired.health.lastError).toMatch(/^config error: Zalo OA access token expired/);
    server.on('GET', '/v2.0/oa/listrecentchat', { body: { error: 0, data: [] } });
    expect((await pollSource(pollContext(zalo(), { env }))).errors).toEqual([]);
    const before = server.requests.length;
    await pollSource(pollContext(zalo({ pollRecentChats: false }), { env }));
    expect(server.requests.length).toBe(before);
  });

  it('a push-only source (zalo without the fallback, webhook) reports no lag: its poll reads nothing', async () => {
    const polled = await pollSource(pollContext(zalo({ pollRecentChats: false }), { env }));
    const hook = await pollSource(
      pollContext(sourceConfig({ id: 'desk', kind: 'webhook', secretEnv: 'DESK_SECRET' }), { env }),
    );
    for (const result of [polled, hook]) {
      expect(result.health).toMatchObject({ consecutiveFailures: 0, lastSuccessAt: NOW.toISOString() });
      // Not the age of the 24-hour look-back (86,400 s): no item was read, so there is no lag to measure.
      expect(result.health.lagSeconds).toBeUndefined();
    }
    server.on('GET', '/v2.0/oa/listrecentchat', { body: { error: 0, data: [] } });
    const fallback = await pollSource(pollContext(zalo(), { env }));
    expect(fallback.health.lagSeconds).toBe(24 * 3600);
  });

  it('a throttled 429 fails the poll with a retry time and keeps the cursor', async () => {
    server.on('GET', '/v2.0/oa/listrecentchat', {
      status: 429,
      headers: { 'retry-after': '120' },
      body: { error: -32 },
    });
    const result = await pollSource(pollContext(zalo(), { env }));
    expect(result.errors[0]).toMatch(/retry after 120 s/);
    expect(result.nextCursor.watermark).toBe('2026-06-09T12:00:00.000Z');
  });
});

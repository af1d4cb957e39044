import { parseConfig } from '../../../lambdas/config/load';
import { appSecretProof, signFacebookBody } from '../../../lambdas/sources/adapters/facebook';
import { pollSource } from '../../../lambdas/sources/registry';
import { localSecrets } from '../../../lambdas/sources/secrets';
import { verifyWebhookDelivery, verifyWebhookHandshake } from '../../../lambdas/sources/webhook-delivery';
import { NOW, pollContext, sourceConfig, startServer, testHttp, unix, type TestServer } from './server';

/** The Facebook Page adapter against a local Graph API: posts, comments, usage headers, errors, and webhooks. */

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

const PAGE = '104000000000001';
const env = { FB_TOKEN: 'page-token-abc', FB_APP_SECRET: 'app-secret-xyz', FB_VERIFY: 'verify-me' };
const facebook = (options: Record<string, unknown> = {}) =>
  sourceConfig({
    id: 'acme-fb',
    kind: 'facebook',
    baseUrl: server.url,
    pageId: PAGE,
    accessTokenEnv: 'FB_TOKEN',
    appSecretEnv: 'FB_APP_SECRET',
    verifyTokenEnv: 'FB_VERIFY',
    ...options,
  });

/** Graph's own time format: no colon in the offset. */
const graphTime = (iso: string) => iso.replace(/\.\d{3}Z$/, '+0000').replace(/Z$/, '+0000');
const comment = (id: string, iso: string, message: string | undefined, extra: Record<string, unknown> = {}) => ({
  id,
  ...(message === undefined ? {} : { message }),
  created_time: graphTime(iso),
  from: { id: `user-${id}`, name: `Khách ${id}` },
  like_count: 1,
  comment_count: 0,
  permalink_url: `https://www.facebook.com/acme/posts/1?comment_id=${id}`,
  ...extra,
});

function graphRoutes() {
  server.on('GET', `/v27.0/${PAGE}/feed`, (req) =>
    req.query.get('until')
      ? {
          body: {
            data: [
              {
                id: `${PAGE}_2`,
                message: 'Khuyến mãi tháng 6',
                created_time: graphTime('2026-06-05T08:00:00Z'),
                from: { id: PAGE, name: 'Acme' },
              },
            ],
            paging: {},
          },
        }
      : {
          body: {
            data: [
              {
                id: `${PAGE}_3`,
                message: 'Acme ơi, đơn hàng của tôi giao trễ 5 ngày rồi',
                created_time: graphTime('2026-06-10T09:00:00Z'),
                from: { id: '900', name: 'Nguyễn Văn A' },
              },
              {
                id: `${PAGE}_1`,
                message: 'Chào mừng',
                created_time: graphTime('2026-06-09T08:00:00Z'),
                from: { id: PAGE, name: 'Acme' },
              },
            ],
            paging: {
              next: `https://graph.facebook.com/v27.0/${PAGE}/feed?limit=25&until=1749000000&__paging_token=tok2&access_token=SHOULD-NOT-BE-USED`,
            },
          },
        },
  );
  server.on('GET', `/v27.0/${PAGE}_1/comments`, (req) =>
    req.query.get('after') === 'C2'
      ? {
          body: {
            data: [
              comment(`${PAGE}_1_c3`, '2026-06-10T10:00:00Z', 'Tôi đã gọi tổng đài 3 lần không ai nghe máy', {
                parent: { id: `${PAGE}_1_c1` },
              }),
              {
                id: `${PAGE}_1_r1`,
                message: 'Dạ Acme xin lỗi anh, bên em đã inbox ạ',
                created_time: graphTime('2026-06-10T10:30:00Z'),
                from: { id: PAGE, name: 'Acme' },
                parent: { id: `${PAGE}_1_c1` },
              },
            ],
            paging: { cursors: { before: 'C2b', after: 'C3' } },
            summary: { order: 'chronological', total_count: 5, can_comment: true },
          },
        }
      : {
          body: {
            data: [
              comment(`${PAGE}_1_c1`, '2026-06-10T08:00:00Z', 'Giao hàng chậm quá, hoàn tiền đi!'),
              comment(`${PAGE}_1_c2`, '2026-06-10T08:05:00Z', 'ẩn', { is_hidden: true }),
              comment(`${PAGE}_1_c4`, '2026-06-10T08:06:00Z', undefined),
            ],
            paging: {
              cursors: { before: 'C1', after: 'C2' },
              next: `https://graph.facebook.com/v27.0/${PAGE}_1/comments?after=C2`,
            },
          },
        },
  );
  server.on('GET', `/v27.0/${PAGE}_2/comments`, { body: { data: [], paging: {} } });
  server.on('GET', `/v27.0/${PAGE}_3/comments`, { body: { data: [] } });
}

describe('facebook adapter (Graph API polling)', () => {
  it('reads visitor posts, comments and replies across pages; the Page reply is kept; hidden and empty ones skipped', async () => {
    graphRoutes();
    const result = await pollSource(pollContext(facebook(), { env }));
    expect(result.errors).toEqual([]);
    expect(result.mentions.map((m) => m.id).sort()).toEqual([`${PAGE}_1_c1`, `${PAGE}_1_c3`, `${PAGE}_3`].sort());
    const c1 = result.mentions.find((m) => m.id === `${PAGE}_1_c1`);
    expect(c1).toMatchObject({
      kind: 'facebook',
      text: 'Giao hàng chậm quá, hoàn tiền đi!',
      createdAt: '2026-06-10T08:00:00.000Z',
      author: `Khách ${PAGE}_1_c1`,
      visibility: 'public',
      reply: { text: 'Dạ Acme xin lỗi anh, bên em đã inbox ạ', createdAt: '2026-06-10T10:30:00.000Z' },
    });
    expect(result.mentions.find((m) => m.id === `${PAGE}_3`)).toMatchObject({ author: 'Nguyễn Văn A' });
    expect(result.skipped).toBe(2);

    const commentCalls = server.requests.filter((r) => r.path.endsWith('/comments'));
    for (const call of commentCalls) {
      expect(call.query.get('filter')).toBe('stream');
      expect(call.query.get('order')).toBe('reverse_chronological');
      expect(call.query.get('since')).toBe(String(unix('2026-06-09T12:00:00Z')));
      expect(call.query.get('appsecret_proof')).toBe(appSecretProof(env.FB_TOKEN, env.FB_APP_SECRET));
    }
    // Post paging follows until= and __paging_token= on our own base URL, with our own token.
    const second = server.requests.find((r) => r.path.endsWith('/feed') && r.query.get('until'));
    expect(second?.query.get('__paging_token')).toBe('tok2');
    expect(second?.query.get('access_token')).toBe(env.FB_TOKEN);
    // Posts of the last 14 days are re-read for new comments.
    expect(server.requests[0].query.get('since')).toBe(String(unix('2026-05-27T12:00:00Z')));

    const again = await pollSource(
      pollContext(facebook(), { env, cursor: result.nextCursor, now: new Date(NOW.getTime() + 60_000) }),
    );
    expect(again.errors).toEqual([]);
    expect(again.mentions).toEqual([]);
  });

  it('an empty Page is a successful poll with nothing in it', async () => {
    server.on('GET', `/v27.0/${PAGE}/feed`, { body: { data: [] } });
    const result = await pollSource(pollContext(facebook(), { env }));
    expect(result.errors).toEqual([]);
    expect(result.mentions).toEqual([]);
    expect(result.health.consecutiveFailures).toBe(0);
  });

  it('error 190 (expired token) is a config error in health, tried once, and the token never shows', async () => {
    server.on('GET', `/v27.0/${PAGE}/feed`, {
      status: 400,
      body: {
        error: {
          message: 'Error validating access token: Session has expired',
          type: 'OAuthException',
          code: 190,
          error_subcode: 463,
          fbtrace_id: 'A1',
        },
      },
    });
    const result = await pollSource(pollContext(facebook(), { env }));
    expect(result.health.lastError).toMatch(/^config error: Facebook access token expired \(error 190\/463\)/);
    expect(server.requests).toHaveLength(1);
    expect(JSON.stringify(result)).not.toContain(env.FB_TOKEN);
  });

  it('a failing poll names the URL but never the token or the appsecret_proof (error, health, log line)', async () => {
    server.on('GET', `/v27.0/${PAGE}/feed`, { status: 404, body: 'no such page' });
    const result = await pollSource(pollContext(facebook(), { env }));
    const proof = appSecretProof(env.FB_TOKEN, env.FB_APP_SECRET);
    expect(result.errors[0]).toMatch(/HTTP 404/);
    expect(result.errors[0]).toContain('access_token=***&appsecret_proof=***');
    const logged = JSON.stringify(result);
    for (const secret of [proof, env.FB_TOKEN, env.FB_APP_SECRET]) expect(logged).not.toContain(secret);
  });

  it('throttle code 32 keeps what was read and pauses the source; the next poll makes no request until then', async () => {
    graphRoutes();
    server.on('GET', `/v27.0/${PAGE}_1/comments`, {
      status: 400,
      headers: {
        'x-business-use-case-usage': JSON.stringify({
          [PAGE]: [
            { type: 'pages', call_count: 100, total_cputime: 20, total_time: 20, estimated_time_to_regain_access: 7 },
          ],
        }),
      },
      body: {
        error: { message: '(#32) Page request limit reached', type: 'OAuthException', code: 32, error_subcode: 460 },
      },
    });
    const result = await pollSource(pollContext(facebook(), { env }));
    expect(result.errors).toEqual([]);
    expect(result.mentions.map((m) => m.id)).toEqual([`${PAGE}_3`]);
    const pausedUntil = result.nextCursor.extra?.pausedUntil;
    expect(pausedUntil).toBeDefined();
    const before = server.requests.length;
    const paused = await pollSource(
      pollContext(facebook(), { env, cursor: result.nextCursor, now: new Date(NOW.getTime() + 60_000) }),
    );
    expect(paused.health.lastError).toMatch(/paused until/);
    expect(server.requests.length).toBe(before);
    // Once the pause is over, the gap is read (the watermark held).
    graphRoutes();
    const later = await pollSource(
      pollContext(facebook(), { env, cursor: result.nextCursor, now: new Date(NOW.getTime() + 3_600_000) }),
    );
    expect(later.mentions.map((m) => m.id).sort()).toEqual([`${PAGE}_1_c1`, `${PAGE}_1_c3`]);
  });

  it('usage above 80% slows the poll down; a regain estimate in the headers pauses it for that long', async () => {
    graphRoutes();
    server.on('GET', `/v27.0/${PAGE}/feed`, {
      headers: { 'x-app-usage': JSON.stringify({ call_count: 85, total_time: 10, total_cputime: 10 }) },
      body: {
        data: [{ id: `${PAGE}_1`, message: 'x', created_time: graphTime('2026-06-09T08:00:00Z'), from: { id: PAGE } }],
      },
    });
    const http = testHttp();
    const result = await pollSource(pollContext(facebook(), { env, http }));
    expect(result.errors).toEqual([]);
    expect(http.waits).toContain(2000);

    server.on('GET', `/v27.0/${PAGE}/feed`, {
      headers: {
        'x-business-use-case-usage': JSON.stringify({
          [PAGE]: [{ type: 'pages', call_count: 99, estimated_time_to_regain_access: 12 }],
        }),
      },
      body: { data: [] },
    });
    const throttled = await pollSource(pollContext(facebook(), { env }));
    expect(Date.parse(throttled.nextCursor.extra?.pausedUntil ?? '')).toBe(NOW.getTime() + 12 * 60_000);
  });

  it('a malformed page fails the poll and keeps the cursor', async () => {
    server.on('GET', `/v27.0/${PAGE}/feed`, { body: { data: 'not a list' } });
    const result = await pollSource(pollContext(facebook(), { env }));
    expect(result.errors[0]).toMatch(/unexpected response shape from Facebook posts: data/);
    expect(result.nextCursor.watermark).toBe('2026-06-09T12:00:00.000Z');
  });
});

describe('facebook Page webhooks', () => {
  const config = () =>
    parseConfig(
      {
        brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }],
        sources: [
          {
            id: 'acme-fb',
            kind: 'facebook',
            brand: 'acme',
            pageId: PAGE,
            accessTokenEnv: 'FB_TOKEN',
            appSecretEnv: 'FB_APP_SECRET',
            verifyTokenEnv: 'FB_VERIFY',
          },
        ],
      },
      'test',
    );
  const delivery = (changes: unknown[], page = PAGE) =>
    JSON.stringify({ object: 'page', entry: [{ id: page, time: 1781092800, changes }] });
  const add = {
    field: 'feed',
    value: {
      item: 'comment',
      verb: 'add',
      comment_id: `${PAGE}_1_c9`,
      post_id: `${PAGE}_1`,
      parent_id: `${PAGE}_1`,
      message: 'Hàng giao sai màu, shop không trả lời tin nhắn',
      from: { id: '777', name: 'Trần B' },
      created_time: unix('2026-06-10T11:59:00Z'),
    },
  };

  it('a signed comment add becomes a mention (created_time in Unix seconds), with the same id polling would give', async () => {
    const raw = delivery([add, { field: 'feed', value: { ...add.value, verb: 'edited' } }]);
    const result = await verifyWebhookDelivery(
      'acme-fb',
      raw,
      { 'X-Hub-Signature-256': signFacebookBody(raw, env.FB_APP_SECRET) },
      config(),
      localSecrets(env),
      NOW,
    );
    expect(result).toMatchObject({
      ok: true,
      mentions: [
        {
          id: `${PAGE}_1_c9`,
          kind: 'facebook',
          sourceId: 'acme-fb',
          author: 'Trần B',
          createdAt: '2026-06-10T11:59:00.000Z',
          visibility: 'public',
        },
      ],
    });
  });

  it('a bad signature is 401; another Page and the Page itself are ignored; malformed is 400', async () => {
    const raw = delivery([add]);
    const bad = await verifyWebhookDelivery(
      'acme-fb',
      raw,
      { 'x-hub-signature-256': signFacebookBody(raw, 'wrong') },
      config(),
      localSecrets(env),
      NOW,
    );
    expect(bad).toEqual({ ok: false, status: 401, error: 'bad signature' });
    const missing = await verifyWebhookDelivery('acme-fb', raw, {}, config(), localSecrets(env), NOW);
    expect(missing).toMatchObject({ ok: false, status: 401 });
    const own = delivery([{ field: 'feed', value: { ...add.value, from: { id: PAGE } } }]);
    const other = delivery([add], '999');
    for (const body of [own, other]) {
      const result = await verifyWebhookDelivery(
        'acme-fb',
        body,
        { 'x-hub-signature-256': signFacebookBody(body, env.FB_APP_SECRET) },
        config(),
        localSecrets(env),
        NOW,
      );
      expect(result).toMatchObject({ ok: true, mentions: [] });
    }
    const malformed = '{"object":"page","entry":"x"}';
    const result = await verifyWebhookDelivery(
      'acme-fb',
      malformed,
      { 'x-hub-signature-256': signFacebookBody(malformed, env.FB_APP_SECRET) },
      config(),
      localSecrets(env),
      NOW,
    );
    expect(result).toMatchObject({ ok: false, status: 400 });
  });

  it('the GET handshake answers the challenge only with the verify token', async () => {
    const ok = await verifyWebhookHandshake(
      'acme-fb',
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1158201444' },
      config(),
      localSecrets(env),
    );
    expect(ok).toEqual({ status: 200, body: '1158201444' });
    const wrong = await verifyWebhookHandshake(
      'acme-fb',
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1158201444' },
      config(),
      localSecrets(env),
    );
    expect(wrong.status).toBe(403);
    const hostile = await verifyWebhookHandshake(
      'acme-fb',
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '<script>alert(1)</script>' },
      config(),
      localSecrets(env),
    );
    expect(hostile.status).toBe(403);
    expect((await verifyWebhookHandshake('nope', {}, config(), localSecrets(env))).status).toBe(404);
  });
});

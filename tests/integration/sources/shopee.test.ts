import { createHmac } from 'node:crypto';
import { pollSource } from '../../../lambdas/sources/registry';
import {
  cursorAt,
  NOW,
  pollContext,
  sourceConfig,
  startServer,
  testHttp,
  unix,
  type RecordedRequest,
  type TestServer,
} from './server';

/** The Shopee shop adapter against a local Open Platform that checks the partner signature like Shopee does. */

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

const PATH = '/api/v2/product/get_comment';
const env = { SHOPEE_KEY: 'partner-key-0123456789abcdef', SHOPEE_TOKEN: 'shop-access-token-abcdef' };
const shopee = (options: Record<string, unknown> = {}) =>
  sourceConfig({
    id: 'acme-shopee',
    kind: 'shopee',
    baseUrl: server.url,
    partnerId: 2001234,
    shopId: '880001',
    partnerKeyEnv: 'SHOPEE_KEY',
    accessTokenEnv: 'SHOPEE_TOKEN',
    ...options,
  });

/** The server's own check: HMAC-SHA256(partner key, partner_id + path + timestamp + access_token + shop_id). */
function signatureOk(req: RecordedRequest): boolean {
  const q = req.query;
  const base = `${q.get('partner_id')}${req.path}${q.get('timestamp')}${q.get('access_token')}${q.get('shop_id')}`;
  return q.get('sign') === createHmac('sha256', env.SHOPEE_KEY).update(base).digest('hex');
}

const comment = (id: number, iso: string, text: string, extra: Record<string, unknown> = {}) => ({
  comment_id: id,
  comment: text,
  buyer_username: `buyer${id}`,
  order_sn: `2606${id}ABC`,
  item_id: 1700001,
  model_id: 0,
  rating_star: 1,
  editable: 'EXPIRED',
  hidden: false,
  create_time: unix(iso),
  comment_reply: null,
  media: { image_url_list: [], video_url_list: [] },
  ...extra,
});

const envelope = (list: unknown[], more: boolean, next: string) => ({
  error: '',
  message: '',
  warning: '',
  request_id: `req-${next || 'end'}`,
  response: { item_comment_list: list, more, next_cursor: next },
});

function routes() {
  server.on('GET', PATH, (req) => {
    if (!signatureOk(req))
      return { status: 403, body: { error: 'error_sign', message: 'Wrong sign.', request_id: 'x' } };
    if (req.query.get('cursor') === '') {
      return {
        body: envelope(
          [
            comment(9003, '2026-06-10T11:00:00Z', 'Nồi chiên bong lớp chống dính, shop hứa đổi mà không thấy', {
              comment_reply: {
                reply: 'Dạ shop xin lỗi, đã nhắn tin cho mình ạ',
                hidden: false,
                create_time: unix('2026-06-10T11:20:00Z'),
              },
            }),
            comment(9002, '2026-06-10T10:00:00Z', 'Ẩn', { hidden: true }),
            comment(9001, '2026-06-10T09:00:00Z', ''),
            { comment_id: 'abc', comment: 'malformed', create_time: 'yesterday' },
          ],
          true,
          'CUR2',
        ),
      };
    }
    return {
      body: envelope(
        [
          comment(8999, '2026-06-10T08:00:00Z', 'Giao nhanh, đóng gói cẩn thận', { rating_star: 5 }),
          comment(8000, '2026-06-01T08:00:00Z', 'Cũ'),
        ],
        true,
        'CUR3',
      ),
    };
  });
}

describe('shopee adapter', () => {
  it('pages by cursor with signed requests; rating and seller reply kept; hidden, stars-only and malformed skipped', async () => {
    routes();
    const result = await pollSource(pollContext(shopee(), { env }));
    expect(result.errors).toEqual([]);
    expect(result.mentions.map((m) => m.id)).toEqual(['9003', '8999']);
    expect(result.mentions[0]).toMatchObject({
      kind: 'shopee',
      text: 'Nồi chiên bong lớp chống dính, shop hứa đổi mà không thấy',
      rating: 1,
      author: 'buyer9003',
      url: 'https://shopee.vn/product/880001/1700001',
      createdAt: '2026-06-10T11:00:00.000Z',
      language: 'vi',
      visibility: 'public',
      reply: { text: 'Dạ shop xin lỗi, đã nhắn tin cho mình ạ', createdAt: '2026-06-10T11:20:00.000Z' },
    });
    expect(result.mentions[1]).toMatchObject({ rating: 5 });
    expect(result.mentions[1].reply).toBeUndefined();
    expect(result.skipped).toBe(3);
    expect(server.requests.map((r) => r.query.get('cursor'))).toEqual(['', 'CUR2']);
    for (const req of server.requests) {
      expect(signatureOk(req)).toBe(true);
      expect(req.query.get('timestamp')).toBe(String(unix(NOW.toISOString())));
      expect(req.query.get('page_size')).toBe('100');
      expect(req.query.get('partner_id')).toBe('2001234');
      expect(req.query.has('item_id')).toBe(false);
      expect(req.headers['user-agent']).toMatch(/^earshot\//);
    }
    expect(result.nextCursor.watermark).toBe('2026-06-10T11:00:00.000Z');
  });

  it('a second poll finds nothing new and stops at the first page', async () => {
    routes();
    const first = await pollSource(pollContext(shopee(), { env }));
    const again = await pollSource(
      pollContext(shopee(), { env, cursor: first.nextCursor, now: new Date(NOW.getTime() + 60_000) }),
    );
    expect(again.errors).toEqual([]);
    expect(again.mentions).toEqual([]);
    expect(server.requests).toHaveLength(3);
  });

  it('an empty shop is a successful poll; itemIds scope the query per item', async () => {
    server.on('GET', PATH, (req) => (signatureOk(req) ? { body: envelope([], false, '') } : { status: 403, body: {} }));
    const result = await pollSource(pollContext(shopee({ itemIds: ['1700001', 1700002] }), { env }));
    expect(result.errors).toEqual([]);
    expect(result.mentions).toEqual([]);
    expect(server.requests.map((r) => r.query.get('item_id'))).toEqual(['1700001', '1700002']);
  });

  it('HTTP 429 is waited out per Retry-After; a throttle error in the envelope fails the poll, not as a config error', async () => {
    routes();
    let calls = 0;
    server.on('GET', PATH, () =>
      calls++ === 0
        ? { status: 429, headers: { 'retry-after': '2' }, body: { error: 'error_too_many_request', message: '' } }
        : { body: envelope([comment(9100, '2026-06-10T11:30:00Z', 'Hàng lỗi')], false, '') },
    );
    const http = testHttp();
    const ok = await pollSource(pollContext(shopee(), { env, http: http.forPoll({ requestBudget: 30 }) }));
    expect(ok.errors).toEqual([]);
    expect(ok.mentions).toHaveLength(1);
    expect(http.waits).toEqual([2000]);

    server.on('GET', PATH, {
      body: { error: 'error_too_many_request', message: 'Too many requests, please try later.', request_id: 'r' },
    });
    const cursor = cursorAt('acme-shopee', '2026-06-10T06:00:00.000Z');
    const throttled = await pollSource(pollContext(shopee(), { env, cursor }));
    expect(throttled.health.lastError).toMatch(/^Shopee throttled this partner \(error_too_many_request/);
    expect(throttled.nextCursor).toEqual(cursor);
  });

  it('an expired access token is a config error in health, tried once, never printed', async () => {
    server.on('GET', PATH, {
      status: 403,
      body: { error: 'error_auth', message: 'Invalid access_token.', request_id: 'e1' },
    });
    const result = await pollSource(pollContext(shopee(), { env }));
    expect(result.health.lastError).toMatch(
      /^config error: Shopee refused the credentials \(error_auth: Invalid access_token\.\)/,
    );
    expect(server.requests).toHaveLength(1);
    const printed = JSON.stringify(result);
    expect(printed).not.toContain(env.SHOPEE_TOKEN);
    expect(printed).not.toContain(env.SHOPEE_KEY);
  });

  it('a malformed payload fails the poll and keeps the cursor', async () => {
    server.on('GET', PATH, { body: { error: '', response: { item_comment_list: 'nope' } } });
    const cursor = cursorAt('acme-shopee', '2026-06-10T06:00:00.000Z');
    const result = await pollSource(pollContext(shopee(), { env, cursor }));
    expect(result.errors[0]).toMatch(/unexpected response shape from Shopee get_comment: response\.item_comment_list/);
    expect(result.nextCursor).toEqual(cursor);
  });

  it('a wrong partner key is refused by the signature check and reported as a config error', async () => {
    routes();
    const result = await pollSource(pollContext(shopee(), { env: { ...env, SHOPEE_KEY: 'not-the-partner-key' } }));
    expect(result.health.lastError).toMatch(
      /^config error: Shopee refused the credentials \(error_sign: Wrong sign\.\)/,
    );
  });
});

import { createHmac } from 'node:crypto';
import { pollSource } from '../../../lambdas/sources/registry';
import {
  cursorAt,
  NOW,
  pollContext,
  sourceConfig,
  startServer,
  testHttp,
  type RecordedRequest,
  type TestServer,
} from './server';

/** The Lazada shop adapter against a local Open Platform that checks Lazada's request signature. */

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

const HISTORY = '/review/seller/history/list';
const LIST = '/review/seller/list/v2';
const ITEM = '3500000001';
const env = { LZ_SECRET: 'lazada-app-secret-0123456789', LZ_TOKEN: 'seller-token-50000601abcdef' };
const lazada = (options: Record<string, unknown> = {}) =>
  sourceConfig({
    id: 'acme-lazada',
    kind: 'lazada',
    baseUrl: server.url,
    appKey: '100001',
    itemIds: [ITEM],
    appSecretEnv: 'LZ_SECRET',
    accessTokenEnv: 'LZ_TOKEN',
    ...options,
  });

/** The server's own check, as Lazada documents it: path + sorted key/value pairs, HMAC-SHA256, upper-case hex. */
function signatureOk(req: RecordedRequest): boolean {
  const pairs = [...req.query.entries()].filter(([k]) => k !== 'sign').sort(([a], [b]) => (a < b ? -1 : 1));
  const base = req.path + pairs.map(([k, v]) => k + v).join('');
  return req.query.get('sign') === createHmac('sha256', env.LZ_SECRET).update(base).digest('hex').toUpperCase();
}

const ok = (data: unknown) => ({ code: '0', data, request_id: '0b1234567890' });
const review = (id: number, iso: string, content: string, extra: Record<string, unknown> = {}) => ({
  id,
  create_time: Date.parse(iso),
  review_content: content,
  ratings: { product_rating: 1, seller_rating: 2, logistics_rating: 4 },
  can_reply: true,
  seller_reply: null,
  buyer_name: `Người mua ${id}`,
  ...extra,
});

const REVIEWS: Record<string, unknown> = {
  '11': review(11, '2026-06-10T10:00:00Z', 'Lớp chống dính bong sau 2 tuần, yêu cầu hoàn tiền', {
    seller_reply: 'Shop xin lỗi, đã liên hệ đổi hàng cho bạn',
  }),
  '12': review(12, '2026-06-10T09:00:00Z', ''),
  '13': review(13, '2026-06-10T08:00:00Z', 'Giao nhanh, dùng tốt', {
    ratings: { product_rating: 5 },
    seller_reply: { content: 'Cảm ơn bạn!', create_time: Date.parse('2026-06-10T08:30:00Z') },
  }),
};

function routes() {
  server.on('GET', HISTORY, (req) => {
    if (!signatureOk(req))
      return {
        body: {
          code: 'IncompleteSignature',
          type: 'ISV',
          message: 'The request signature does not conform to platform standards',
          request_id: 'x',
        },
      };
    const page = req.query.get('current');
    if (page === '1') return { body: ok({ id_list: [11, 12], total: 3, current: 1 }) };
    return { body: ok({ id_list: [13], total: 3, current: 2 }) };
  });
  server.on('GET', LIST, (req) => {
    if (!signatureOk(req))
      return { body: { code: 'IncompleteSignature', type: 'ISV', message: 'bad sign', request_id: 'x' } };
    const ids = JSON.parse(req.query.get('id_list') ?? '[]') as number[];
    return { body: ok({ review_list: [...ids.map((id) => REVIEWS[String(id)]), { id: 'bad', create_time: 'x' }] }) };
  });
}

describe('lazada adapter', () => {
  it('pages the id history, reads the reviews; rating and seller reply kept; empty and malformed skipped; signed', async () => {
    routes();
    const result = await pollSource(pollContext(lazada(), { env }));
    expect(result.errors).toEqual([]);
    expect(result.mentions.map((m) => m.id)).toEqual(['11', '13']);
    expect(result.mentions[0]).toMatchObject({
      kind: 'lazada',
      rating: 1,
      text: 'Lớp chống dính bong sau 2 tuần, yêu cầu hoàn tiền',
      author: 'Người mua 11',
      url: `https://www.lazada.vn/products/i${ITEM}.html`,
      createdAt: '2026-06-10T10:00:00.000Z',
      reply: { text: 'Shop xin lỗi, đã liên hệ đổi hàng cho bạn' },
      visibility: 'public',
    });
    expect(result.mentions[1]).toMatchObject({
      rating: 5,
      reply: { text: 'Cảm ơn bạn!', createdAt: '2026-06-10T08:30:00.000Z' },
    });
    expect(result.skipped).toBe(2);
    const history = server.requests.filter((r) => r.path === HISTORY);
    expect(history.map((r) => r.query.get('current'))).toEqual(['1', '2']);
    expect(history[0].query.get('start_time')).toBe(String(NOW.getTime() - 86_400_000));
    expect(history[0].query.get('end_time')).toBe(String(NOW.getTime()));
    const list = server.requests.find((r) => r.path === LIST);
    expect(list?.query.get('id_list')).toBe('[11,12,13]');
    for (const req of server.requests) {
      expect(signatureOk(req)).toBe(true);
      expect(req.query.get('sign_method')).toBe('sha256');
      expect(req.query.get('timestamp')).toBe(String(NOW.getTime()));
      expect(req.query.get('item_id') ?? ITEM).toBe(ITEM);
    }
    expect(result.nextCursor.watermark).toBe('2026-06-10T10:00:00.000Z');
  });

  it('a second poll over the same reviews hands on nothing', async () => {
    routes();
    const first = await pollSource(pollContext(lazada(), { env }));
    const again = await pollSource(
      pollContext(lazada(), { env, cursor: first.nextCursor, now: new Date(NOW.getTime() + 60_000) }),
    );
    expect(again.errors).toEqual([]);
    expect(again.mentions).toEqual([]);
    // The window starts at the watermark less the 30-minute re-read overlap.
    const last = server.requests.filter((r) => r.path === HISTORY).at(-1);
    expect(last?.query.get('start_time')).toBe(String(Date.parse('2026-06-10T09:30:00Z')));
  });

  it('an item with no reviews is a successful poll without a details call', async () => {
    server.on('GET', HISTORY, { body: ok({ id_list: [], total: 0 }) });
    const result = await pollSource(pollContext(lazada(), { env }));
    expect(result.errors).toEqual([]);
    expect(result.mentions).toEqual([]);
    expect(server.requests.map((r) => r.path)).toEqual([HISTORY]);
  });

  it('a long outage is read in 7-day windows, oldest first', async () => {
    server.on('GET', HISTORY, { body: ok({ id_list: [] }) });
    const cursor = cursorAt('acme-lazada', '2026-06-01T12:30:00.000Z');
    const result = await pollSource(pollContext(lazada(), { env, cursor }));
    expect(result.errors).toEqual([]);
    const windows = server.requests.map((r) => [Number(r.query.get('start_time')), Number(r.query.get('end_time'))]);
    expect(windows).toEqual([
      [Date.parse('2026-06-01T12:00:00Z'), Date.parse('2026-06-08T12:00:00Z')],
      [Date.parse('2026-06-08T12:00:00Z'), NOW.getTime()],
    ]);
  });

  it('ApiCallLimit fails the poll (cursor kept, not a config error); HTTP 429 is waited out per Retry-After', async () => {
    server.on('GET', HISTORY, {
      body: { code: 'ApiCallLimit', type: 'ISP', message: 'This request has exceeded api limit', request_id: 'r' },
    });
    const cursor = cursorAt('acme-lazada', '2026-06-10T06:00:00.000Z');
    const throttled = await pollSource(pollContext(lazada(), { env, cursor }));
    expect(throttled.health.lastError).toMatch(/^Lazada throttled this app \(ApiCallLimit/);
    expect(throttled.nextCursor).toEqual(cursor);

    routes();
    let calls = 0;
    const normal = server.requests.length;
    server.on('GET', HISTORY, () =>
      calls++ === 0 ? { status: 429, headers: { 'retry-after': '4' }, body: {} } : { body: ok({ id_list: [] }) },
    );
    const http = testHttp();
    const result = await pollSource(pollContext(lazada(), { env, http: http.forPoll({ requestBudget: 30 }) }));
    expect(result.errors).toEqual([]);
    expect(http.waits).toEqual([4000]);
    expect(server.requests.length - normal).toBe(2);
  });

  it('an expired access token is a config error in health, tried once, never printed', async () => {
    server.on('GET', HISTORY, {
      body: {
        code: 'IllegalAccessToken',
        type: 'ISV',
        message: 'The specified access token is invalid or expired',
        request_id: 'r',
      },
    });
    const result = await pollSource(pollContext(lazada(), { env }));
    expect(result.health.lastError).toMatch(/^config error: Lazada refused the credentials \(IllegalAccessToken/);
    expect(server.requests).toHaveLength(1);
    expect(JSON.stringify(result)).not.toContain(env.LZ_TOKEN);
    expect(JSON.stringify(result)).not.toContain(env.LZ_SECRET);
  });

  it('a malformed payload fails the poll and keeps the cursor; a wrong secret fails the signature check', async () => {
    routes();
    server.on('GET', LIST, { body: ok({ review_list: 'nope' }) });
    const cursor = cursorAt('acme-lazada', '2026-06-10T06:00:00.000Z');
    const result = await pollSource(pollContext(lazada(), { env, cursor }));
    expect(result.errors[0]).toMatch(/unexpected response shape from Lazada review list: review_list/);
    expect(result.nextCursor).toEqual(cursor);

    const wrong = await pollSource(pollContext(lazada(), { env: { ...env, LZ_SECRET: 'wrong-secret-000' } }));
    expect(wrong.health.lastError).toMatch(/^config error: Lazada refused the credentials \(IncompleteSignature/);
  });
});

import { parseConfig } from '../../../lambdas/config/load';
import { parseVietnamTime } from '../../../lambdas/sources/adapters/tiki';
import { pollSource } from '../../../lambdas/sources/registry';
import { cursorAt, NOW, pollContext, sourceConfig, startServer, testHttp, unix, type TestServer } from './server';

/** Tiki product reviews against a local server answering in `tiki.vn/api/v2/reviews`' format. */

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

const PRODUCT = '277596001';
const tiki = (options: Record<string, unknown> = {}) =>
  sourceConfig({
    id: 'acme-tiki',
    kind: 'tiki',
    baseUrl: server.url,
    productIds: [PRODUCT],
    acknowledgeFragile: true,
    ...options,
  });

const review = (id: number, iso: string, content: string | null, extra: Record<string, unknown> = {}) => ({
  id,
  product_id: Number(PRODUCT),
  title: 'Rất không hài lòng',
  content,
  status: 'approved',
  rating: 1,
  thank_count: 2,
  comment_count: 0,
  created_at: unix(iso),
  created_by: { id: 7000 + id, name: `Khách ${id}`, purchased: true, purchased_at: unix('2026-06-01T00:00:00Z') },
  timeline: { review_created_date: '2026-06-10 15:00:00', delivery_date: '2026-06-03 21:51:54' },
  seller: { id: 1, name: 'Acme Official' },
  ...extra,
});

const page = (data: unknown[], current: number, last: number) => ({
  data,
  paging: { total: 5, per_page: 20, current_page: current, last_page: last, from: 1, to: data.length },
  reviews_count: 5,
});

function routes() {
  server.on('GET', '/api/v2/reviews', (req) => {
    switch (req.query.get('page')) {
      case '1':
        return {
          body: page(
            [
              review(
                105,
                '2026-06-10T11:00:00Z',
                'Nồi chiên bong lớp chống dính sau 2 tuần, gọi bảo hành không ai nghe',
              ),
              review(104, '2026-06-10T10:00:00Z', ''), // stars only
              review(103, '2026-06-10T09:00:00Z', 'Đã xoá', { status: 'deleted' }),
              { id: 'not-a-number', content: 'malformed' },
            ],
            1,
            3,
          ),
        };
      case '2':
        return {
          body: page(
            [
              // No created_at: the timeline string is Vietnam time (15:00 +07 = 08:00Z).
              review(102, '2026-06-10T08:00:00Z', 'Giao hàng nhanh, đóng gói kỹ', {
                rating: 5,
                title: 'Cực kì hài lòng',
                created_at: undefined,
              }),
            ],
            2,
            3,
          ),
        };
      default:
        return { body: page([review(90, '2026-06-01T08:00:00Z', 'Cũ rồi')], 3, 3) };
    }
  });
}

describe('tiki adapter', () => {
  it('pages newest first down to the watermark; stars-only and deleted reviews skipped; timeline read as UTC+7', async () => {
    routes();
    const http = testHttp();
    const result = await pollSource(pollContext(tiki(), { http: http.forPoll({ requestBudget: 30 }) }));
    expect(result.errors).toEqual([]);
    expect(result.mentions.map((m) => m.id)).toEqual([`${PRODUCT}:105`, `${PRODUCT}:102`]);
    expect(result.mentions[0]).toMatchObject({
      kind: 'tiki',
      rating: 1,
      author: 'Khách 105',
      title: 'Rất không hài lòng',
      text: 'Rất không hài lòng\n\nNồi chiên bong lớp chống dính sau 2 tuần, gọi bảo hành không ai nghe',
      createdAt: '2026-06-10T11:00:00.000Z',
      language: 'vi',
      country: 'vn',
      visibility: 'public',
      engagement: { likes: 2, replies: 0 },
    });
    expect(result.mentions[1]).toMatchObject({ rating: 5, createdAt: '2026-06-10T08:00:00.000Z' });
    expect(result.skipped).toBe(3);
    const calls = server.requests;
    expect(calls.map((r) => r.query.get('page'))).toEqual(['1', '2', '3']);
    for (const call of calls) {
      expect(call.query.get('product_id')).toBe(PRODUCT);
      expect(call.query.get('sort')).toBe('id|desc');
      expect(call.query.get('limit')).toBe('20');
      expect(call.headers.referer).toBe('https://tiki.vn/');
      expect(call.headers['user-agent']).toMatch(/^Mozilla\/5\.0 \(compatible; earshot\//);
    }
    // Half a second between requests.
    expect(http.waits).toEqual([500, 500]);
    expect(result.nextCursor.watermark).toBe('2026-06-10T11:00:00.000Z');
  });

  it('a second poll over the same reviews hands on nothing; a new one is taken alone', async () => {
    routes();
    const first = await pollSource(pollContext(tiki()));
    const again = await pollSource(
      pollContext(tiki(), { cursor: first.nextCursor, now: new Date(NOW.getTime() + 60_000) }),
    );
    expect(again.errors).toEqual([]);
    expect(again.mentions).toEqual([]);
    // Page 1 reaches the watermark already: one request.
    expect(server.requests.filter((r) => r.query.get('page') !== '1')).toHaveLength(2);

    server.on('GET', '/api/v2/reviews', {
      body: page(
        [
          review(106, '2026-06-10T11:00:00Z', 'Cùng giây với 105, vẫn là đánh giá mới'),
          review(105, '2026-06-10T11:00:00Z', 'Nồi chiên bong lớp chống dính sau 2 tuần, gọi bảo hành không ai nghe'),
          review(102, '2026-06-10T08:00:00Z', 'Giao hàng nhanh, đóng gói kỹ'),
        ],
        1,
        1,
      ),
    });
    const third = await pollSource(pollContext(tiki(), { cursor: again.nextCursor }));
    expect(third.mentions.map((m) => m.id)).toEqual([`${PRODUCT}:106`]);
    expect(third.nextCursor.seenIds.sort()).toEqual([`${PRODUCT}:105`, `${PRODUCT}:106`]);
  });

  it('an empty product is a successful poll with nothing in it', async () => {
    server.on('GET', '/api/v2/reviews', { body: { data: [], paging: { total: 0, current_page: 1, last_page: 0 } } });
    const result = await pollSource(pollContext(tiki()));
    expect(result.errors).toEqual([]);
    expect(result.mentions).toEqual([]);
    expect(result.health.consecutiveFailures).toBe(0);
    expect(server.requests).toHaveLength(1);
  });

  it('a short 429 is waited out (Retry-After); a long one fails the poll with the cursor unchanged', async () => {
    routes();
    let calls = 0;
    server.on('GET', '/api/v2/reviews', (req) =>
      calls++ === 0
        ? { status: 429, headers: { 'retry-after': '3' }, body: { error: 'Too Many Requests' } }
        : {
            body: page(
              [review(105, '2026-06-10T11:00:00Z', 'Vẫn chưa được hoàn tiền')],
              Number(req.query.get('page')),
              1,
            ),
          },
    );
    const http = testHttp();
    const ok = await pollSource(pollContext(tiki(), { http: http.forPoll({ requestBudget: 30 }) }));
    expect(ok.errors).toEqual([]);
    expect(ok.mentions).toHaveLength(1);
    expect(http.waits).toContain(3000);

    server.on('GET', '/api/v2/reviews', { status: 429, headers: { 'retry-after': '600' }, body: {} });
    const cursor = cursorAt('acme-tiki', '2026-06-10T06:00:00.000Z');
    const limited = await pollSource(pollContext(tiki(), { cursor }));
    expect(limited.errors[0]).toMatch(/rate limited by 127\.0\.0\.1:\d+, retry after 600 s/);
    expect(limited.nextCursor).toEqual(cursor);
    expect(limited.health.consecutiveFailures).toBe(1);
  });

  it('a refused guest token is a config error in health, tried once, never printed', async () => {
    server.on('GET', '/api/v2/reviews', { status: 401, body: { error: { code: 401, message: 'Unauthorized' } } });
    const env = { TIKI_GUEST: 'guest-token-0123456789' };
    const result = await pollSource(pollContext(tiki({ guestTokenEnv: 'TIKI_GUEST' }), { env }));
    expect(result.health.lastError).toMatch(/^config error: Tiki refused the guest token \(HTTP 401\): it has expired/);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].headers['x-guest-token']).toBe(env.TIKI_GUEST);
    expect(JSON.stringify(result)).not.toContain(env.TIKI_GUEST);
  });

  it('a malformed payload fails the poll and keeps the cursor', async () => {
    server.on('GET', '/api/v2/reviews', { body: { data: { reviews: 'nope' } } });
    const cursor = cursorAt('acme-tiki', '2026-06-10T06:00:00.000Z');
    const result = await pollSource(pollContext(tiki(), { cursor }));
    expect(result.errors[0]).toMatch(/unexpected response shape from Tiki reviews \(product 277596001\): data/);
    expect(result.nextCursor).toEqual(cursor);

    server.on('GET', '/api/v2/reviews', { headers: { 'content-type': 'text/html' }, body: '<html>captcha</html>' });
    const html = await pollSource(pollContext(tiki(), { cursor }));
    expect(html.errors[0]).toMatch(/malformed JSON/);
  });

  it('a poll stopped by maxPages holds the watermark and the next poll fills the gap', async () => {
    routes();
    const first = await pollSource(pollContext(tiki({ maxPages: 1 })));
    expect(first.mentions.map((m) => m.id)).toEqual([`${PRODUCT}:105`]);
    expect(first.nextCursor.watermark).toBe('2026-06-09T12:00:00.000Z');
    const second = await pollSource(pollContext(tiki({ maxPages: 3 }), { cursor: first.nextCursor }));
    expect(second.mentions.map((m) => m.id)).toEqual([`${PRODUCT}:102`]);
    expect(second.nextCursor.watermark).toBe('2026-06-10T11:00:00.000Z');
  });

  it('is opt-in: without acknowledgeFragile the config is refused', () => {
    expect(() =>
      parseConfig({
        brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }],
        sources: [{ id: 'acme-tiki', kind: 'tiki', brand: 'acme', productIds: [PRODUCT] }],
      }),
    ).toThrow(/acknowledgeFragile: true/);
  });

  it('reads Vietnam local time strings as UTC+7', () => {
    expect(new Date(parseVietnamTime('2024-07-26 15:54:42')).toISOString()).toBe('2024-07-26T08:54:42.000Z');
    expect(parseVietnamTime('26/07/2024')).toBeNaN();
  });
});

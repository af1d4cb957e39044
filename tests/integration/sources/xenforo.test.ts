import { brandSchema } from '../../../lambdas/config/schema';
import type { SourceCursor } from '../../../lambdas/core/source-state';
import { parseThreadPage } from '../../../lambdas/sources/adapters/xenforo';
import { pollSource } from '../../../lambdas/sources/registry';
import { pollContext, sourceConfig, startServer, testHttp, type TestServer } from './server';
import { forumFeed, quote, threadPage, type FeedThread, type PagePost } from './xenforo-markup';

/** The XenForo forum adapter against a local forum: RSS feed, thread pages, moved threads, limits and failures. */

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

const TIKI = brandSchema.parse({ id: 'acme', name: 'Tiki', keywords: ['Tiki'] });
const FEED = '/f/diem-bao.33/index.rss';
const forum = (options: Record<string, unknown> = {}) =>
  sourceConfig({
    id: 'voz',
    kind: 'xenforo',
    url: `https://voz.vn${FEED}`,
    baseUrl: server.url,
    postsPerPage: 5,
    ...options,
  });
const poll = (cursor: SourceCursor | null = null, options: Record<string, unknown> = {}) => {
  const source = forum(options);
  return pollSource(
    pollContext(source, {
      brand: TIKI,
      cursor,
      http: testHttp().forPoll({ requestBudget: source.requestBudget }),
    }),
  );
};
const xml = (body: string, headers: Record<string, string> = {}) => ({
  body,
  headers: { 'content-type': 'application/rss+xml; charset=utf-8', ...headers },
});
const html = (body: string) => ({ body, headers: { 'content-type': 'text/html; charset=utf-8' } });
const at = (minutes: number) => new Date(Date.parse('2026-06-10T08:00:00Z') + minutes * 60_000).toISOString();

const A = { id: 100, slug: 'tiki-giao-hang-cham-qua', title: 'Tiki giao hàng chậm quá' };
const B = { id: 200, slug: 'hoi-ve-may-lanh', title: 'Hỏi về máy lạnh' };
const post = (id: number, position: number, minutes: number, text: string, extra: Partial<PagePost> = {}) => ({
  id,
  position,
  author: `user${id}`,
  at: at(minutes),
  html: text,
  ...extra,
});
const threadA = [
  post(1001, 1, 0, 'Đặt hàng trên Tiki 10 ngày chưa nhận được, ai bị giống không?'),
  post(1002, 2, 5, 'Mình cũng vậy, gọi tổng đài không ai nghe máy'),
  post(1003, 3, 10, `${quote('user1001', 'Đặt hàng trên Tiki 10 ngày chưa nhận')}Hoàn tiền chậm lắm bác ạ`),
  post(1004, 4, 15, 'spam', { deleted: true }),
  post(1005, 5, 20, 'Shop trả lời là do kho', { legacyTime: true }),
  post(1006, 6, 25, 'Hủy đơn luôn cho nhanh'),
  post(1007, 7, 30, 'Lần sau không mua nữa'),
];
const threadB = [
  post(2001, 1, 40, 'Nên mua máy lạnh hãng nào?'),
  post(2002, 2, 45, 'mua tren tiki bi loi, doi tra mat 2 tuan'),
  post(2003, 3, 50, 'Daikin ổn'),
];

function feedThreads(overrides: Partial<Record<number, Partial<FeedThread>>> = {}): FeedThread[] {
  const list: FeedThread[] = [
    { ...A, last: at(30), replies: 6, starter: 'user1001', firstPost: 'Đặt hàng trên Tiki 10 ngày…' },
    { ...B, last: at(50), replies: 2, starter: 'user2001', firstPost: 'Nên mua máy lạnh hãng nào?' },
    {
      id: 300,
      slug: 'tiki-tang-voucher',
      title: 'Voucher mới',
      last: at(60),
      replies: 0,
      starter: 'user3001',
      firstPost: 'Tiki tặng voucher 50k cho đơn đầu',
    },
    {
      id: 400,
      slug: 'chuyen-cu',
      title: 'Tiki ngày xưa',
      last: '2026-06-01T00:00:00Z',
      replies: 40,
      starter: 'old',
      firstPost: 'cũ',
    },
  ];
  return list.map((t) => ({ ...t, ...overrides[t.id] }));
}

function routes(options: { a?: PagePost[]; feed?: FeedThread[] } = {}) {
  const a = options.a ?? threadA;
  server.on('GET', FEED, xml(forumFeed('https://voz.vn', options.feed ?? feedThreads())));
  const pages = Math.ceil(a.length / 5);
  for (let p = 1; p <= pages; p++) {
    const nav = { prev: p > 1 ? p - 1 : undefined, next: p < pages ? p + 1 : undefined };
    const path = p === 1 ? `/t/${A.slug}.${A.id}/` : `/t/${A.slug}.${A.id}/page-${p}`;
    server.on('GET', path, html(threadPage(A, a.slice((p - 1) * 5, p * 5), nav)));
  }
  server.on('GET', `/t/${B.slug}.${B.id}/`, html(threadPage(B, threadB)));
}

const paths = () => server.requests.map((r) => r.path);

describe('xenforo adapter', () => {
  it('first poll: reads moved threads from their pages, new replies only, quotes and deleted posts left out', async () => {
    routes();
    const result = await poll();
    expect(result.errors).toEqual([]);
    // The feed, the fresher thread B, thread A backwards from its last page; the reply-less thread from the feed
    // alone; old thread D not at all.
    expect(paths()).toEqual([FEED, `/t/${B.slug}.${B.id}/`, `/t/${A.slug}.${A.id}/page-2`, `/t/${A.slug}.${A.id}/`]);
    const byId = new Map(result.mentions.map((m) => [m.id, m]));
    expect([...byId.keys()].sort()).toEqual(
      ['thread-100', 'post-1002', 'post-1003', 'post-1005', 'post-1006', 'post-1007', 'post-2002', 'thread-300'].sort(),
    );
    // Replies in a thread titled with the brand are about it; in another thread only the reply naming it (unaccented).
    expect(result.noise).toBe(2);
    expect(byId.get('post-1003')?.text).toBe('Hoàn tiền chậm lắm bác ạ');
    expect(byId.get('post-1003')?.url).toBe(`https://voz.vn/t/${A.slug}.${A.id}/post-1003`);
    expect(byId.get('post-1005')?.createdAt).toBe(at(20));
    expect(byId.get('thread-100')).toMatchObject({
      title: 'Tiki giao hàng chậm quá',
      author: 'user1001',
      createdAt: at(0),
      engagement: { replies: 6 },
      kind: 'xenforo',
      visibility: 'public',
    });
    expect(byId.get('thread-300')).toMatchObject({ author: 'user3001', createdAt: at(60) });
    expect(byId.get('thread-300')?.text).toContain('Tiki tặng voucher 50k');
    expect(result.skipped).toBe(1); // the deleted post
    expect(result.nextCursor.watermark).toBe(at(60));
  });

  it('polling twice: nothing new and no thread page read the second time', async () => {
    routes();
    const first = await poll();
    server.requests.length = 0;
    const second = await poll(first.nextCursor);
    expect(second.errors).toEqual([]);
    expect(second.mentions).toEqual([]);
    expect(paths()).toEqual([FEED]);
  });

  it('a thread that moves again is re-read from the page after the last post read; only its new posts come', async () => {
    routes();
    const first = await poll();
    const moved = [
      ...threadA,
      post(1008, 8, 70, 'Tiki vừa gọi lại xin lỗi'),
      post(1009, 9, 75, 'May quá'),
      post(1010, 10, 80, 'Mình thì vẫn chưa'),
      post(1011, 11, 85, 'Trang 3 rồi'),
    ];
    routes({ a: moved, feed: feedThreads({ 100: { last: at(85), replies: 10 } }) });
    server.requests.length = 0;
    const second = await poll(first.nextCursor);
    expect(second.errors).toEqual([]);
    expect(paths()).toEqual([FEED, `/t/${A.slug}.${A.id}/page-2`, `/t/${A.slug}.${A.id}/page-3`]);
    expect(second.mentions.map((m) => m.id)).toEqual(['post-1008', 'post-1009', 'post-1010', 'post-1011']);
    server.requests.length = 0;
    const third = await poll(second.nextCursor);
    expect(third.mentions).toEqual([]);
    expect(paths()).toEqual([FEED]);
  });

  it('a new reply at the same second as the last post read is still read (ties by reply count, deduped by id)', async () => {
    routes();
    const first = await poll();
    const tie = [...threadA, post(1008, 8, 30, 'Cùng giây với bài trước')];
    routes({ a: tie, feed: feedThreads({ 100: { last: at(30), replies: 7 } }) });
    const second = await poll(first.nextCursor);
    expect(second.mentions.map((m) => m.id)).toEqual(['post-1008']);
  });

  it('a thread without a reply count is read forward from page 1', async () => {
    routes({ feed: feedThreads({ 100: { replies: undefined } }) });
    const result = await poll();
    expect(paths()).toEqual([FEED, `/t/${B.slug}.${B.id}/`, `/t/${A.slug}.${A.id}/`, `/t/${A.slug}.${A.id}/page-2`]);
    expect(result.mentions.filter((m) => m.id.startsWith('post-10'))).toHaveLength(5);
  });

  it('the request budget stops reading; the next poll reads what was left and nothing is skipped or repeated', async () => {
    routes();
    const first = await poll(null, { requestBudget: 2 });
    expect(first.errors).toEqual([]);
    expect(server.requests).toHaveLength(2);
    // Thread B's page fits; thread A's two pages do not, so A waits (nothing of it handed on, its record not moved).
    expect(first.mentions.map((m) => m.id).sort()).toEqual(['post-2002', 'thread-300']);
    const second = await poll(first.nextCursor, { requestBudget: 3 });
    expect(second.errors).toEqual([]);
    expect(second.mentions.map((m) => m.id)).toEqual([
      'thread-100',
      'post-1002',
      'post-1003',
      'post-1005',
      'post-1006',
      'post-1007',
    ]);
    const third = await poll(second.nextCursor, { requestBudget: 2 });
    const fourth = await poll(third.nextCursor, { requestBudget: 30 });
    const all = [first, second, third, fourth].flatMap((r) => r.mentions.map((m) => m.id));
    expect(all.sort()).toEqual(
      ['thread-100', 'post-1002', 'post-1003', 'post-1005', 'post-1006', 'post-1007', 'post-2002', 'thread-300'].sort(),
    );
    expect(fourth.mentions).toEqual([]);
  });

  it('an empty feed hands on nothing and fails nothing', async () => {
    server.on('GET', FEED, xml(forumFeed('https://voz.vn', [])));
    const result = await poll();
    expect(result.errors).toEqual([]);
    expect(result.mentions).toEqual([]);
    expect(result.health).toMatchObject({ consecutiveFailures: 0, lastSuccessAt: '2026-06-10T12:00:00.000Z' });
  });

  it('ETag: an unchanged feed (304) reads nothing more', async () => {
    server.on('GET', FEED, (req) =>
      req.headers['if-none-match'] === '"v1"'
        ? { status: 304 }
        : xml(forumFeed('https://voz.vn', feedThreads().slice(2, 3)), { etag: '"v1"' }),
    );
    const first = await poll();
    expect(first.mentions.map((m) => m.id)).toEqual(['thread-300']);
    const second = await poll(first.nextCursor);
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"v1"');
    expect(second.errors).toEqual([]);
    expect(second.mentions).toEqual([]);
    expect(second.nextCursor.extra?.threads).toBe(first.nextCursor.extra?.threads);
  });

  it('429 on the feed fails the poll with the cursor unchanged; 429 on a thread page keeps what was read', async () => {
    server.on('GET', FEED, { status: 429, headers: { 'retry-after': '3600' }, body: 'slow down' });
    const failed = await poll();
    expect(failed.errors[0]).toMatch(/rate limited by 127\.0\.0\.1.*retry after 3600 s/);
    expect(failed.nextCursor.watermark).toBe(
      new Date(Date.parse('2026-06-10T12:00:00Z') - 24 * 3_600_000).toISOString(),
    );

    routes();
    server.on('GET', `/t/${A.slug}.${A.id}/page-2`, { status: 429, headers: { 'retry-after': '3600' }, body: '' });
    const partial = await poll();
    expect(partial.errors).toEqual([]);
    expect(partial.mentions.map((m) => m.id).sort()).toEqual(['post-2002', 'thread-300']);
    routes();
    const after = await poll(partial.nextCursor);
    expect(after.mentions.map((m) => m.id)).toEqual([
      'thread-100',
      'post-1002',
      'post-1003',
      'post-1005',
      'post-1006',
      'post-1007',
    ]);
  });

  it('a malformed feed or a page that is not a XenForo thread fails the poll', async () => {
    server.on('GET', FEED, xml('<rss><channel><item><title>broken'));
    expect((await poll()).errors[0]).toMatch(/malformed forum feed/);
    routes();
    server.on(
      'GET',
      `/t/${B.slug}.${B.id}/`,
      html('<html><body><h1>Cloudflare: checking your browser</h1></body></html>'),
    );
    const result = await poll();
    expect(result.errors[0]).toMatch(/no XenForo posts/);
    expect(result.mentions).toEqual([]);
  });

  it('a deleted thread (404) is skipped once and not asked for again', async () => {
    routes();
    server.on('GET', `/t/${B.slug}.${B.id}/`, { status: 404, body: 'The requested thread could not be found.' });
    const first = await poll();
    expect(first.errors).toEqual([]);
    expect(first.skipped).toBe(2); // the deleted post in A, thread B
    server.requests.length = 0;
    await poll(first.nextCursor);
    expect(paths()).toEqual([FEED]);
  });

  it('feed items without a thread id or date are skipped', async () => {
    server.on(
      'GET',
      FEED,
      xml(forumFeed('https://voz.vn', [], '<item><title>no link</title><pubDate>not a date</pubDate></item>')),
    );
    const result = await poll();
    expect(result.errors).toEqual([]);
    expect(result.skipped).toBe(1);
  });
});

describe('parseThreadPage', () => {
  it('reads ids, positions, authors, both time attributes and the next page from XenForo markup', () => {
    const page = threadPage(A, threadA.slice(0, 5), { next: 2 });
    const parsed = parseThreadPage(page, 'https://voz.vn/t/x.100/', 1);
    expect(parsed.next).toBe(`https://voz.vn/t/${A.slug}.${A.id}/page-2`);
    expect(parsed.posts.map((p) => [p.postId, p.position, p.author, p.removed])).toEqual([
      [1001, 1, 'user1001', false],
      [1002, 2, 'user1002', false],
      [1003, 3, 'user1003', false],
      [1004, 4, 'user1004', true],
      [1005, 5, 'user1005', false],
    ]);
    expect(parsed.posts.map((p) => new Date(p.createdAtMs).toISOString())).toEqual(
      threadA.slice(0, 5).map((p) => p.at),
    );
  });
});

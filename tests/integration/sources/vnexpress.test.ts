import { brandSchema } from '../../../lambdas/config/schema';
import { parseConfig } from '../../../lambdas/config/load';
import type { SourceCursor } from '../../../lambdas/core/source-state';
import { articleIdOf } from '../../../lambdas/sources/adapters/vnexpress';
import { pollSource } from '../../../lambdas/sources/registry';
import { NOW, pollContext, sourceConfig, startServer, unix, type RecordedRequest, type TestServer } from './server';

/** VnExpress comments against a local VnExpress: RSS, get_basic, comment pages and replies. */

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

const brand = brandSchema.parse({ id: 'acme', name: 'Bếp Hồng', keywords: ['bếp hồng', 'bephong'] });
const vnexpress = (options: Record<string, unknown> = {}) =>
  sourceConfig({
    id: 'acme-vnexpress',
    kind: 'vnexpress',
    baseUrl: server.url,
    acknowledgeFragile: true,
    feeds: ['https://vnexpress.net/rss/kinh-doanh.rss'],
    articleIds: ['4800001'],
    ...options,
  });
const run = (cursor: SourceCursor | null = null, options: Record<string, unknown> = {}) =>
  pollSource({ ...pollContext(vnexpress(options), { cursor }), brand });

const rss = (
  items: { id: string; title: string; description: string; pub: string }[],
) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Kinh doanh - VnExpress RSS</title><link>https://vnexpress.net/kinh-doanh</link>
${items
  .map(
    (i) => `<item><title>${i.title}</title>
<description><![CDATA[<a href="https://vnexpress.net/x-${i.id}.html"><img src="https://i1-kinhdoanh.vnecdn.net/a.jpg"></a></br>${i.description}]]></description>
<pubDate>${new Date(i.pub).toUTCString().replace('GMT', '+0000')}</pubDate>
<link>https://vnexpress.net/bai-viet-${i.id}.html</link><guid>https://vnexpress.net/bai-viet-${i.id}.html</guid></item>`,
  )
  .join('\n')}
</channel></rss>`;

const FEED = rss([
  // Named without diacritics: the matcher folds both sides.
  {
    id: '4800002',
    title: 'Bep Hong xin loi vi noi chien bong lop chong dinh',
    description: 'Hang se doi moi.',
    pub: '2026-06-10T03:00:00Z',
  },
  {
    id: '4800003',
    title: 'Giá vàng hôm nay tăng mạnh',
    description: 'Vàng SJC lên đỉnh.',
    pub: '2026-06-10T04:00:00Z',
  },
  {
    id: '4800004',
    title: 'Thị trường đồ gia dụng',
    description: 'Nồi chiên của Bếp Hồng bán chạy dịp 6/6.',
    pub: '2026-06-09T05:00:00Z',
  },
  { id: '4700000', title: 'Bếp Hồng ra mắt ấm đun', description: 'Cũ.', pub: '2026-05-01T05:00:00Z' },
]);

const comment = (id: number, article: number, iso: string, content: string, extra: Record<string, unknown> = {}) => ({
  comment_id: id,
  article_id: article,
  parent_id: id,
  content,
  full_name: `Độc giả ${id}`,
  creation_time: unix(iso),
  userlike: 3,
  replys: { total: 0, items: [] },
  ...extra,
});
const reply = (id: number, parent: number, article: number, iso: string, content: string) => ({
  ...comment(id, article, iso, content),
  parent_id: parent,
  replys: undefined,
});
const list = (items: unknown[], total: number, totalitem: number) => ({
  error: 0,
  errorDescription: '',
  data: { total, totalitem, offset: 0, items },
});

interface World {
  comments: Record<string, unknown[]>;
  replies: Record<string, unknown[]>;
}
function routes(world: World) {
  server.on('GET', '/rss/kinh-doanh.rss', { headers: { 'content-type': 'application/rss+xml' }, body: FEED });
  server.on('GET', '/ar/get_basic', (req: RecordedRequest) => {
    const ids = (req.query.get('article_id') ?? '').split(',');
    const data: Record<string, unknown> = {};
    for (const id of ids) {
      if (id === '4899999') continue; // unpublished
      data[id] = {
        article_id: Number(id),
        title: `Bài ${id}`,
        share_url: `https://vnexpress.net/bai-viet-${id}.html`,
        article_type: 1,
        publish_time: unix('2026-06-09T01:00:00Z'),
      };
    }
    return { body: { code: 200, message: 'Success', data } };
  });
  server.on('GET', '/index/get', (req) => {
    const all = world.comments[req.query.get('objectid') ?? ''] ?? [];
    const offset = Number(req.query.get('offset'));
    const limit = Number(req.query.get('limit'));
    const replies = (all as { replys?: { total?: number } }[]).reduce((n, c) => n + (c.replys?.total ?? 0), 0);
    if (all.length === 0) return { body: { error: 0, errorDescription: '', data: [] } };
    return { body: list(all.slice(offset, offset + limit), all.length, all.length + replies) };
  });
  server.on('GET', '/index/getreplay', (req) => {
    const all = world.replies[req.query.get('id') ?? ''] ?? [];
    const offset = Number(req.query.get('offset'));
    return { body: list(all.slice(offset, offset + 100), all.length, all.length) };
  });
}

/** Article 4800001 (configured): 120 top-level comments over two pages, one with 3 replies of which 1 is inline. */
function world(): World {
  const many = Array.from({ length: 118 }, (_, i) =>
    comment(9000 + i, 4800001, '2026-06-10T06:00:00Z', `Bình luận số ${i}`),
  );
  return {
    comments: {
      '4800001': [
        comment(
          9500,
          4800001,
          '2026-06-10T08:00:00Z',
          'Nồi chiên tróc hết lớp chống dính, gọi bảo hành 3 tuần không ai nghe',
          {
            userlike: 40,
            replys: { total: 3, items: [reply(9501, 9500, 4800001, '2026-06-10T08:30:00Z', 'Tôi cũng bị y hệt')] },
          },
        ),
        comment(8000, 4800001, '2026-06-08T08:00:00Z', 'Cũ quá rồi'), // before the lookback
        ...many,
        comment(9600, 4800001, '2026-06-10T09:00:00Z', ''), // deleted
        { comment_id: 'x' },
      ],
      '4800002': [comment(9700, 4800002, '2026-06-10T10:00:00Z', 'Xin lỗi thì dễ, hoàn tiền mới khó')],
      '4800004': [comment(9800, 4800004, '2026-06-10T10:30:00Z', 'Nhà tôi dùng ổn')],
    },
    replies: {
      '9500': [
        reply(9501, 9500, 4800001, '2026-06-10T08:30:00Z', 'Tôi cũng bị y hệt'),
        reply(9502, 9500, 4800001, '2026-06-10T09:00:00Z', 'Bếp Hồng trả lời đi chứ'),
        reply(9503, 9500, 4800001, '2026-06-10T09:30:00Z', ''),
      ],
    },
  };
}

describe('vnexpress adapter', () => {
  it('reads listed articles and feed articles naming the brand (with or without diacritics), comments, pages and replies', async () => {
    routes(world());
    const result = await run();
    expect(result.errors).toEqual([]);
    const ids = result.mentions.map((m) => m.id);
    expect(ids).toEqual(
      expect.arrayContaining(['4800001-9500', '4800001-9501', '4800001-9502', '4800002-9700', '4800004-9800']),
    );
    expect(ids).not.toContain('4800001-8000'); // older than the lookback on the article's first read
    expect(ids).toHaveLength(5 + 118);
    expect(result.mentions.find((m) => m.id === '4800001-9500')).toMatchObject({
      kind: 'vnexpress',
      author: 'Độc giả 9500',
      text: 'Nồi chiên tróc hết lớp chống dính, gọi bảo hành 3 tuần không ai nghe',
      createdAt: '2026-06-10T08:00:00.000Z',
      url: 'https://vnexpress.net/bai-viet-4800001.html#box_comment_vne',
      engagement: { likes: 40, replies: 3 },
      language: 'vi',
      visibility: 'public',
    });
    expect(result.skipped).toBe(3); // two empty (deleted) comments, one malformed
    // The gold-price article does not name the brand; the May article is past recentArticleDays.
    const read = new Set(server.requests.filter((r) => r.path === '/index/get').map((r) => r.query.get('objectid')));
    expect(read).toEqual(new Set(['4800001', '4800002', '4800004']));
    const pages = server.requests.filter((r) => r.path === '/index/get' && r.query.get('objectid') === '4800001');
    expect(pages.map((r) => r.query.get('offset'))).toEqual(['0', '100']);
    expect(pages[0].query.get('objecttype')).toBe('1');
    expect(pages[0].query.get('siteid')).toBe('1000000');
    expect(pages[0].headers.referer).toBe('https://vnexpress.net/');
    expect(pages[0].headers['user-agent']).toMatch(/earshot/);
    // One get_basic for the three articles, one getreplay for the comment showing 1 of its 3 replies.
    expect(server.requests.filter((r) => r.path === '/ar/get_basic')).toHaveLength(1);
    expect(server.requests.filter((r) => r.path === '/index/getreplay').map((r) => r.query.get('id'))).toEqual([
      '9500',
    ]);
    expect(result.nextCursor.watermark).toBe('2026-06-10T10:30:00.000Z');
  });

  it('a feed article is re-checked with its comments: an exclusion phrase in a comment drops it as noise', async () => {
    routes(world());
    const excluding = brandSchema.parse({ ...brand, exclude: ['hoàn tiền mới khó'] });
    const result = await pollSource({ ...pollContext(vnexpress({ articleIds: [] })), brand: excluding });
    expect(result.mentions.map((m) => m.id)).toEqual(['4800004-9800']);
    expect(result.noise).toBe(1);
  });

  it('polling twice: nothing new, and an unchanged article costs one request', async () => {
    routes(world());
    const first = await run();
    const before = server.requests.length;
    const second = await run(first.nextCursor);
    expect(second.errors).toEqual([]);
    expect(second.mentions).toEqual([]);
    const again = server.requests.slice(before);
    expect(again.filter((r) => r.path === '/index/get')).toHaveLength(3);
    expect(again.filter((r) => r.path === '/index/getreplay' || r.path === '/ar/get_basic')).toHaveLength(0);
  });

  it('a new comment and a new reply on an old comment are the only mentions of the next poll', async () => {
    const w = world();
    routes(w);
    const first = await run();
    w.comments['4800001'].push(
      comment(9900, 4800001, '2026-06-10T11:00:00Z', 'Đã gửi đơn khiếu nại lên hội bảo vệ người tiêu dùng'),
    );
    w.replies['9500'].push(reply(9901, 9500, 4800001, '2026-06-10T11:10:00Z', 'Tôi cũng gửi rồi'));
    (w.comments['4800001'][0] as { replys: { total: number } }).replys.total = 4;
    const second = await run(first.nextCursor);
    expect(second.errors).toEqual([]);
    expect(second.mentions.map((m) => m.id).sort()).toEqual(['4800001-9900', '4800001-9901']);
  });

  it('a comment deleted and another added leave the counts equal: the new one is read within 6 hours', async () => {
    const w = world();
    routes(w);
    const first = await run(null, { feeds: [] });
    const article = w.comments['4800001'];
    article.splice(article.length - 2, 1, comment(9950, 4800001, '2026-06-10T12:30:00Z', 'Hàng lỗi mà không đổi'));
    const soon = new Date(NOW.getTime() + 3_600_000);
    const unchanged = await pollSource({
      ...pollContext(vnexpress({ feeds: [] }), { cursor: first.nextCursor, now: soon }),
      brand,
    });
    expect(unchanged.mentions).toEqual([]);
    const later = new Date(NOW.getTime() + 6 * 3_600_000);
    const reread = await pollSource({
      ...pollContext(vnexpress({ feeds: [] }), { cursor: unchanged.nextCursor, now: later }),
      brand,
    });
    expect(reread.mentions.map((m) => m.id)).toEqual(['4800001-9950']);
  });

  it('an article without comments (data: []) is fine and read again next time', async () => {
    routes({ comments: {}, replies: {} });
    const result = await run(null, { feeds: [] });
    expect(result.errors).toEqual([]);
    expect(result.mentions).toEqual([]);
  });

  it('429 before any article is read fails the poll with the cursor unchanged', async () => {
    routes(world());
    server.on('GET', '/index/get', { status: 429, headers: { 'retry-after': '900' }, body: {} });
    const result = await run();
    expect(result.errors[0]).toMatch(/rate limited .* retry after 900 s/);
    expect(result.mentions).toEqual([]);
    expect(result.nextCursor.extra).toBeUndefined();
  });

  it('a refused request (403) is a config error; an error envelope or a malformed page fails the poll', async () => {
    routes(world());
    server.on('GET', '/index/get', { status: 403, body: '<html>Forbidden</html>' });
    expect((await run()).errors[0]).toMatch(/config error: VnExpress refused the request \(HTTP 403\)/);
    server.on('GET', '/index/get', { body: { error: 1003, errorDescription: 'invalid objecttype' } });
    expect((await run()).errors[0]).toMatch(/VnExpress comments error 1003: invalid objecttype/);
    server.on('GET', '/index/get', { body: { error: 0, data: { items: 'nope' } } });
    expect((await run()).errors[0]).toMatch(/unexpected response shape from VnExpress get/);
    server.on('GET', '/rss/kinh-doanh.rss', { body: 'not a feed <<<' });
    expect((await run()).errors[0]).toMatch(/malformed VnExpress feed/);
  });

  it('an article the API no longer knows is skipped', async () => {
    routes(world());
    const result = await run(null, { feeds: [], articleIds: ['4899999'] });
    expect(result.errors).toEqual([]);
    expect(result.skipped).toBe(1);
    expect(server.requests.filter((r) => r.path === '/index/get')).toHaveLength(0);
  });

  it('a request budget that cannot cover every article rotates: nothing is skipped across polls', async () => {
    routes(world());
    const seen = new Set<string>();
    let cursor: SourceCursor | null = null;
    let polls = 0;
    for (; polls < 10 && seen.size < 5 + 118; polls++) {
      // Three requests a poll: the feed, then at most two pages or replies.
      const now = new Date(NOW.getTime() + polls * 60_000);
      const result = await pollSource({ ...pollContext(vnexpress({ requestBudget: 3 }), { cursor, now }), brand });
      expect(result.errors).toEqual([]);
      result.mentions.forEach((m) => seen.add(m.id));
      cursor = result.nextCursor;
    }
    expect(seen.size).toBe(5 + 118);
    expect(polls).toBeLessThan(10);
  });
});

describe('vnexpress config and links', () => {
  const base = { brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }] };
  it('is opt-in and needs articles or feeds', () => {
    expect(() =>
      parseConfig({ ...base, sources: [{ id: 'vne', kind: 'vnexpress', brand: 'acme', articleIds: ['4800001'] }] }),
    ).toThrow(/set acknowledgeFragile: true/);
    expect(() =>
      parseConfig({ ...base, sources: [{ id: 'vne', kind: 'vnexpress', brand: 'acme', acknowledgeFragile: true }] }),
    ).toThrow(/needs articleIds .* or feeds/);
  });

  it('finds the article id in a VnExpress link', () => {
    expect(articleIdOf('https://vnexpress.net/bep-hong-xin-loi-khach-hang-4795123.html')).toBe('4795123');
    expect(articleIdOf('https://vnexpress.net/bep-hong-4795123.html#box_comment_vne')).toBe('4795123');
    expect(articleIdOf('https://vnexpress.net/kinh-doanh')).toBeUndefined();
  });
});

import type { SourceCursor } from '../../../lambdas/core/source-state';
import { pollSource } from '../../../lambdas/sources/registry';
import type { AdapterState } from '../../../lambdas/sources/types';
import { pollContext, sourceConfig, startServer, unix, type RecordedRequest, type TestServer } from './server';

/** The TikTok Business adapter against a local Business API: videos, comments, paging, token refresh, errors. */

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

const API = '/open_api/v1.3';
const env = { TT_TOKEN: 'tt-access-old', TT_REFRESH: 'tt-refresh-1', TT_SECRET: 'tt-app-secret' };
const tiktok = (options: Record<string, unknown> = {}) =>
  sourceConfig({
    id: 'acme-tiktok',
    kind: 'tiktok',
    baseUrl: server.url,
    businessId: 'biz-001',
    appId: '7000000000000000001',
    username: 'acme.vn',
    accessTokenEnv: 'TT_TOKEN',
    refreshTokenEnv: 'TT_REFRESH',
    appSecretEnv: 'TT_SECRET',
    ...options,
  });
const run = (
  cursor: SourceCursor | null = null,
  options: Record<string, unknown> = {},
  state: AdapterState = new Map(),
) => pollSource(pollContext(tiktok(options), { cursor, env, state }));

const ok = (data: unknown) => ({ body: { code: 0, message: 'OK', request_id: 'req-1', data } });
const comment = (id: string, iso: string, text: string | undefined, extra: Record<string, unknown> = {}) => ({
  comment_id: id,
  video_id: 'v1',
  unique_identifier: `uid-${id}`,
  create_time: String(unix(iso)),
  ...(text === undefined ? {} : { text }),
  likes: 2,
  replies: 0,
  username: `khach_${id}`,
  status: 'PUBLIC',
  ...extra,
});

function routes() {
  server.on(
    'GET',
    `${API}/business/video/list/`,
    ok({
      videos: [
        {
          item_id: 'v1',
          create_time: unix('2026-06-09T10:00:00Z'),
          caption: 'Flash sale 6.6',
          share_url: 'https://www.tiktok.com/@acme.vn/video/v1',
        },
        { item_id: 'v2', create_time: unix('2026-06-08T10:00:00Z'), caption: 'Unbox' },
        { item_id: 'old', create_time: unix('2026-04-01T10:00:00Z'), caption: 'old' },
      ],
      cursor: 3,
      has_more: true,
    }),
  );
  server.on('GET', `${API}/business/comment/list/`, (req: RecordedRequest) => {
    if (req.query.get('video_id') === 'v2') return ok({ comments: [], cursor: 0, has_more: false });
    if (req.query.get('cursor') === '30') {
      return ok({
        comments: [
          comment('c2', '2026-06-10T08:00:00Z', 'Hàng giả, không giống hình'),
          comment('c1', '2026-06-10T07:00:00Z', 'Đặt 2 tuần chưa giao'),
          comment('c0', '2026-06-01T07:00:00Z', 'cũ rồi'),
        ],
        cursor: 60,
        has_more: true,
      });
    }
    return ok({
      comments: [
        comment('r1', '2026-06-10T09:30:00Z', 'Dạ shop xin lỗi, inbox shop nhé', {
          username: 'acme.vn',
          parent_comment_id: 'c3',
        }),
        comment('c4', '2026-06-10T09:10:00Z', undefined),
        comment('c3', '2026-06-10T09:00:00Z', 'Giao hàng chậm quá, hoàn tiền đi shop'),
        comment('c5', '2026-06-10T08:30:00Z', 'bị ẩn', { status: 'HIDDEN' }),
        { comment_id: 'broken' },
      ],
      cursor: 30,
      has_more: true,
    });
  });
}

describe('tiktok adapter', () => {
  it('reads recent videos, then comments and replies across pages; the account reply is kept; hidden, empty and malformed skipped', async () => {
    routes();
    const result = await run();
    expect(result.errors).toEqual([]);
    expect(result.mentions.map((m) => m.id)).toEqual(['c3', 'c2', 'c1']);
    const c3 = result.mentions[0];
    expect(c3).toMatchObject({
      kind: 'tiktok',
      author: 'khach_c3',
      text: 'Giao hàng chậm quá, hoàn tiền đi shop',
      createdAt: '2026-06-10T09:00:00.000Z',
      url: 'https://www.tiktok.com/@acme.vn/video/v1',
      engagement: { likes: 2, replies: 0 },
      reply: { text: 'Dạ shop xin lỗi, inbox shop nhé', createdAt: '2026-06-10T09:30:00.000Z' },
      visibility: 'public',
    });
    expect(result.skipped).toBe(3); // empty, hidden, malformed
    const videoList = server.requests.find((r) => r.path.endsWith('/video/list/'));
    expect(videoList?.headers['access-token']).toBe('tt-access-old');
    expect(videoList?.query.get('business_id')).toBe('biz-001');
    const commentCalls = server.requests.filter((r) => r.path.endsWith('/comment/list/'));
    // v1: two pages (the second reaches the watermark); v2: one empty page; the April video is not read.
    expect(commentCalls.map((r) => [r.query.get('video_id'), r.query.get('cursor')])).toEqual([
      ['v1', null],
      ['v1', '30'],
      ['v2', null],
    ]);
    expect(commentCalls[0].query.get('include_replies')).toBe('true');
    expect(commentCalls[0].query.get('sort_order')).toBe('desc');
    expect(result.nextCursor.watermark).toBe('2026-06-10T09:10:00.000Z'); // the empty comment is done with too
  });

  it('an answer to a comment handed on by an earlier poll is a reply update of it, once', async () => {
    const complaint = comment('c3', '2026-06-10T09:00:00Z', 'Giao hàng chậm quá, hoàn tiền đi shop');
    const answer = (text: string, iso: string) =>
      comment(`r-${iso}`, iso, text, { username: 'acme.vn', parent_comment_id: 'c3' });
    let comments: unknown[] = [complaint];
    server.on(
      'GET',
      `${API}/business/video/list/`,
      ok({ videos: [{ item_id: 'v1', create_time: unix('2026-06-09T10:00:00Z') }], has_more: false }),
    );
    server.on('GET', `${API}/business/comment/list/`, () => ok({ comments, cursor: 0, has_more: false }));
    const first = await run();
    expect(first.mentions.map((m) => [m.id, m.reply])).toEqual([['c3', undefined]]);
    expect(first.replies).toBeUndefined();

    comments = [
      answer('Dạ shop đã gọi lại', '2026-06-10T10:30:00Z'),
      answer('Dạ shop xin lỗi', '2026-06-10T10:00:00Z'),
      complaint,
    ];
    const second = await run(first.nextCursor);
    expect(second.mentions).toEqual([]);
    expect(second.replies).toEqual([
      { id: 'c3', reply: { text: 'Dạ shop đã gọi lại', createdAt: '2026-06-10T10:30:00.000Z' } },
    ]);
    const third = await run(second.nextCursor);
    expect(third.mentions).toEqual([]);
    expect(third.replies).toBeUndefined();
  });

  it('polling twice: nothing new the second time', async () => {
    routes();
    const first = await run();
    const second = await run(first.nextCursor);
    expect(second.errors).toEqual([]);
    expect(second.mentions).toEqual([]);
  });

  it('an empty account (no videos) hands on nothing', async () => {
    server.on('GET', `${API}/business/video/list/`, ok({ videos: [], cursor: 0, has_more: false }));
    const result = await run();
    expect(result.errors).toEqual([]);
    expect(result.mentions).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('an expired token (40105) is refreshed once and the call retried; the new token is reused in the process', async () => {
    routes();
    const listRoute = server.requests;
    server.on('GET', `${API}/business/video/list/`, (req) =>
      req.headers['access-token'] === 'tt-access-new'
        ? ok({ videos: [{ item_id: 'v2', create_time: unix('2026-06-08T10:00:00Z') }], has_more: false })
        : { body: { code: 40105, message: 'Access token is incorrect or has been revoked.', request_id: 'r' } },
    );
    server.on('POST', `${API}/tt_user/oauth2/refresh_token/`, (req) => {
      const body = JSON.parse(req.body) as Record<string, string>;
      expect(body).toEqual({
        client_id: '7000000000000000001',
        client_secret: 'tt-app-secret',
        grant_type: 'refresh_token',
        refresh_token: 'tt-refresh-1',
      });
      return ok({ access_token: 'tt-access-new', expires_in: 86400, refresh_token: 'tt-refresh-2' });
    });
    const state: AdapterState = new Map();
    const first = await run(null, {}, state);
    expect(first.errors).toEqual([]);
    expect(listRoute.filter((r) => r.path.endsWith('/refresh_token/'))).toHaveLength(1);
    const second = await run(first.nextCursor, {}, state);
    expect(second.errors).toEqual([]);
    expect(listRoute.filter((r) => r.path.endsWith('/refresh_token/'))).toHaveLength(1);
    expect(listRoute.at(-1)?.headers['access-token']).toBe('tt-access-new');
  });

  it('a refused refresh is a config error in health, and no token reaches the message', async () => {
    server.on('GET', `${API}/business/video/list/`, {
      body: { code: 40105, message: 'Access token is incorrect or has been revoked.' },
    });
    server.on('POST', `${API}/tt_user/oauth2/refresh_token/`, {
      body: { code: 40107, message: 'refresh token tt-refresh-1 expired' },
    });
    const result = await run();
    expect(result.errors[0]).toMatch(/config error: TikTok refused the refresh token \(code 40107/);
    expect(result.errors[0]).not.toContain('tt-refresh-1');
    expect(result.health.lastError).toMatch(/config error/);
  });

  it('without refresh credentials an expired token is a config error', async () => {
    server.on('GET', `${API}/business/video/list/`, { body: { code: 40105, message: 'revoked' } });
    const result = await run(null, { refreshTokenEnv: undefined, appSecretEnv: undefined });
    expect(result.errors[0]).toMatch(/config error: TikTok access token refused or expired and no refresh/);
  });

  it('the throttle code (40100) or an HTTP 429 fails the poll with the cursor unchanged', async () => {
    routes();
    server.on('GET', `${API}/business/comment/list/`, { body: { code: 40100, message: 'Too many requests' } });
    const throttled = await run();
    expect(throttled.errors[0]).toMatch(/TikTok throttled this app \(code 40100\)/);
    expect(throttled.mentions).toEqual([]);
    expect(throttled.nextCursor.watermark).toBe('2026-06-09T12:00:00.000Z');
    server.on('GET', `${API}/business/video/list/`, { status: 429, headers: { 'retry-after': '600' }, body: {} });
    const limited = await run();
    expect(limited.errors[0]).toMatch(/rate limited .* retry after 600 s/);
  });

  it('a malformed payload fails the poll', async () => {
    server.on('GET', `${API}/business/video/list/`, { body: { code: 0, data: { videos: 'nope' } } });
    expect((await run()).errors[0]).toMatch(/unexpected response shape from TikTok video list/);
    server.on('GET', `${API}/business/video/list/`, { body: '<html>gateway</html>' });
    expect((await run()).errors[0]).toMatch(/malformed JSON/);
  });

  it('a page cap holds the watermark and the next poll resumes below what was read', async () => {
    routes();
    const first = await run(null, { maxPages: 1 });
    expect(first.mentions.map((m) => m.id)).toEqual(['c3']);
    expect(first.nextCursor.watermark).toBe('2026-06-09T12:00:00.000Z');
    const second = await run(first.nextCursor);
    expect(second.mentions.map((m) => m.id)).toEqual(['c2', 'c1']);
  });
});

import type { SourceCursor } from '../../../lambdas/core/source-state';
import { parseConfig } from '../../../lambdas/config/load';
import { originalComment } from '../../../lambdas/sources/adapters/googlereviews';
import { pollSource } from '../../../lambdas/sources/registry';
import type { AdapterState } from '../../../lambdas/sources/types';
import { pollContext, sourceConfig, startServer, type RecordedRequest, type TestServer } from './server';

/** Google reviews against a local Business Profile API, OAuth token endpoint and Places API (New). */

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

const REVIEWS = '/v4/accounts/1000001/locations/2000001/reviews';
const env = {
  G_CLIENT: 'client-id-123.apps.googleusercontent.com',
  G_SECRET: 'gocspx-client-secret-abc',
  G_REFRESH: '1//refresh-token-xyz',
  G_KEY: 'AIzaSy-places-key-0123',
};
const owner = (options: Record<string, unknown> = {}) =>
  sourceConfig({
    id: 'acme-google',
    kind: 'googlereviews',
    baseUrl: server.url,
    authUrl: server.url,
    accountId: '1000001',
    locationIds: ['2000001'],
    clientIdEnv: 'G_CLIENT',
    clientSecretEnv: 'G_SECRET',
    refreshTokenEnv: 'G_REFRESH',
    ...options,
  });
const run = (cursor: SourceCursor | null = null, options: Record<string, unknown> = {}, state?: AdapterState) =>
  pollSource(pollContext(owner(options), { cursor, env, state: state ?? new Map() }));

const review = (
  id: string,
  updateTime: string,
  stars: string,
  comment?: string,
  extra: Record<string, unknown> = {},
) => ({
  name: `accounts/1000001/locations/2000001/reviews/${id}`,
  reviewId: id,
  reviewer: { displayName: `Khách ${id}`, profilePhotoUrl: 'https://lh3.example/p.png', isAnonymous: false },
  starRating: stars,
  ...(comment === undefined ? {} : { comment }),
  createTime: extra.createTime ?? updateTime,
  updateTime,
  ...extra,
});

let tokens = 0;
function tokenRoute(accessToken = () => `ya29.access-${tokens}`) {
  tokens = 0;
  server.on('POST', '/token', (req: RecordedRequest) => {
    const form = new URLSearchParams(req.body);
    if (form.get('refresh_token') !== env.G_REFRESH || form.get('client_secret') !== env.G_SECRET) {
      return { status: 400, body: { error: 'invalid_grant', error_description: 'Bad Request' } };
    }
    tokens++;
    return {
      body: {
        access_token: accessToken(),
        expires_in: 3599,
        scope: 'https://www.googleapis.com/auth/business.manage',
        token_type: 'Bearer',
      },
    };
  });
}

const R5_TEXT = 'Nồi chiên BH-55 tróc lớp chống dính sau 2 tuần, gọi bảo hành không ai nghe';
const PAGE_1 = {
  reviews: [
    review(
      'r5',
      '2026-06-10T10:00:00Z',
      'ONE',
      'Nồi chiên BH-55 tróc lớp chống dính sau 2 tuần, gọi bảo hành không ai nghe',
      {
        createTime: '2026-06-10T10:00:00Z',
        reviewReply: {
          comment: 'Dạ Bếp Hồng xin lỗi anh, bên em sẽ gọi lại ngay ạ',
          updateTime: '2026-06-10T11:00:00Z',
        },
      },
    ),
    review('r4', '2026-06-10T09:00:00Z', 'FIVE'), // stars only
    { reviewId: 'broken', createTime: 42 },
  ],
  averageRating: 3.9,
  totalReviewCount: 120,
  nextPageToken: 'page-2',
};
const PAGE_2 = {
  reviews: [
    review(
      'r3',
      '2026-06-10T08:00:00Z',
      'TWO',
      '(Translated by Google) Slow warranty\n\n(Original)\nBảo hành chậm quá',
    ),
    review('r2', '2026-06-10T07:00:00Z', 'STAR_RATING_UNSPECIFIED', 'Nhân viên nhiệt tình'),
    review('r1', '2026-06-01T07:00:00Z', 'FOUR', 'Cũ rồi'),
  ],
  nextPageToken: 'page-3',
};

function reviewRoutes(pages: Record<string, unknown> = { '': PAGE_1, 'page-2': PAGE_2 }) {
  server.on('GET', REVIEWS, (req) => {
    if (!/^Bearer ya29\./.test(String(req.headers.authorization))) return { status: 401, body: unauthenticated };
    return { body: pages[req.query.get('pageToken') ?? ''] ?? { reviews: [] } };
  });
}
const unauthenticated = {
  error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' },
};

describe('googlereviews adapter: the brand’s own Business Profile locations', () => {
  it('pages by nextPageToken newest update first down to the watermark; stars → rating, the owner reply kept', async () => {
    tokenRoute();
    reviewRoutes();
    const result = await run();
    expect(result.errors).toEqual([]);
    expect(result.mentions.map((m) => m.id.split(':')[1])).toEqual(['r5', 'r3', 'r2']);
    expect(result.mentions[0]).toMatchObject({
      kind: 'googlereviews',
      author: 'Khách r5',
      text: 'Nồi chiên BH-55 tróc lớp chống dính sau 2 tuần, gọi bảo hành không ai nghe',
      createdAt: '2026-06-10T10:00:00.000Z',
      rating: 1,
      reply: { text: 'Dạ Bếp Hồng xin lỗi anh, bên em sẽ gọi lại ngay ạ', createdAt: '2026-06-10T11:00:00.000Z' },
      visibility: 'public',
    });
    expect(result.mentions[1]).toMatchObject({ text: 'Bảo hành chậm quá', rating: 2 }); // the original, not Google's translation
    expect(result.mentions[2].rating).toBeUndefined();
    expect(result.skipped).toBe(2); // stars only, malformed
    const calls = server.requests.filter((r) => r.path === REVIEWS);
    expect(calls.map((r) => r.query.get('pageToken'))).toEqual([null, 'page-2']);
    expect(calls[0].query.get('orderBy')).toBe('updateTime desc');
    expect(calls[0].query.get('pageSize')).toBe('50');
    expect(calls[0].headers.authorization).toBe('Bearer ya29.access-1');
    const form = new URLSearchParams(server.requests.find((r) => r.path === '/token')!.body);
    expect(form.get('grant_type')).toBe('refresh_token');
    expect(form.get('client_id')).toBe(env.G_CLIENT);
    expect(result.nextCursor.watermark).toBe('2026-06-10T10:00:00.000Z');
    expect(result.health.note).toBeUndefined();
  });

  it('polling twice: nothing new the second time, and the cached token is reused', async () => {
    tokenRoute();
    reviewRoutes();
    const state: AdapterState = new Map();
    const first = await run(null, {}, state);
    const second = await run(first.nextCursor, {}, state);
    expect(second.errors).toEqual([]);
    expect(second.mentions).toEqual([]);
    expect(tokens).toBe(1);
    // The second poll stops at the first page: its newest review is at the watermark, the next older.
    expect(server.requests.filter((r) => r.path === REVIEWS)).toHaveLength(3);
  });

  it('an edited review is read again as a new version; an update that changes neither stars nor words is not', async () => {
    tokenRoute();
    reviewRoutes();
    const state: AdapterState = new Map();
    const first = await run(null, {}, state);
    const before = first.mentions.find((m) => m.id.includes(':r2:'))!;
    reviewRoutes({
      '': {
        reviews: [
          review('r2', '2026-06-10T11:30:00Z', 'ONE', 'Cập nhật: nồi hỏng lần 2, bảo hành 3 tuần chưa trả lời', {
            createTime: '2026-06-10T07:00:00Z',
          }),
          review('r5', '2026-06-10T11:00:00Z', 'ONE', R5_TEXT, {
            reviewReply: { comment: 'Đã gọi lại', updateTime: '2026-06-10T11:00:00Z' },
          }),
          ...PAGE_1.reviews.slice(0, 1),
        ],
      },
    });
    const second = await run(first.nextCursor, {}, state);
    expect(second.errors).toEqual([]);
    // r5 came back with a newer time (the owner's reply) but the same words and stars: the same id, so it is not
    // handed on again (and the store would keep it once if it were).
    expect(second.mentions).toHaveLength(1);
    const edited = second.mentions[0];
    expect(edited.id).not.toBe(before.id);
    expect(edited.id.split(':').slice(0, 2)).toEqual(before.id.split(':').slice(0, 2));
    expect(edited).toMatchObject({
      text: 'Cập nhật: nồi hỏng lần 2, bảo hành 3 tuần chưa trả lời',
      rating: 1,
      createdAt: '2026-06-10T11:30:00.000Z',
    });
    expect(second.nextCursor.watermark).toBe('2026-06-10T11:30:00.000Z');
  });

  it('an empty location hands on nothing and keeps the watermark', async () => {
    tokenRoute();
    reviewRoutes({ '': {} });
    const result = await run();
    expect(result.errors).toEqual([]);
    expect(result.mentions).toEqual([]);
    expect(result.nextCursor.watermark).toBe('2026-06-09T12:00:00.000Z');
  });

  it('an expired access token (401) is refreshed once and the call retried', async () => {
    let expired = true;
    tokenRoute();
    server.on('GET', REVIEWS, (req) => {
      if (expired || req.headers.authorization !== 'Bearer ya29.access-2') {
        expired = false;
        return { status: 401, body: unauthenticated };
      }
      return { body: { reviews: [PAGE_1.reviews[0]] } };
    });
    const state: AdapterState = new Map([
      [
        'googlereviews:acme-google:token',
        { token: 'ya29.access-stale', expiresAtMs: Date.parse('2026-06-10T13:00:00Z') },
      ],
    ]);
    tokens = 1;
    const result = await run(null, {}, state);
    expect(result.errors).toEqual([]);
    expect(result.mentions).toHaveLength(1);
    expect(server.requests.filter((r) => r.path === '/token')).toHaveLength(1);
    expect(server.requests.filter((r) => r.path === REVIEWS).map((r) => r.headers.authorization)).toEqual([
      'Bearer ya29.access-stale',
      'Bearer ya29.access-2',
    ]);
  });

  it('a refused refresh token is a config error in health, with no credential in it', async () => {
    server.on('POST', '/token', {
      status: 400,
      body: { error: 'invalid_grant', error_description: `Token ${env.G_REFRESH} has been expired or revoked.` },
    });
    const result = await run();
    expect(result.errors[0]).toMatch(/config error: Google refused the refresh token \(invalid_grant\)/);
    expect(result.health.lastError).toMatch(/config error/);
    for (const value of Object.values(env)) expect(JSON.stringify(result)).not.toContain(value);
  });

  it('a 401 even after the refresh, or a 403, is a config error', async () => {
    tokenRoute();
    server.on('GET', REVIEWS, { status: 401, body: unauthenticated });
    expect((await run()).errors[0]).toMatch(/config error: .*refused a freshly refreshed access token/);
    server.on('GET', REVIEWS, {
      status: 403,
      body: { error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' } },
    });
    expect((await run()).errors[0]).toMatch(/config error: .*refused access to location 2000001 \(PERMISSION_DENIED\)/);
  });

  it('429 fails the poll with the cursor unchanged', async () => {
    tokenRoute();
    server.on('GET', REVIEWS, {
      status: 429,
      headers: { 'retry-after': '120' },
      body: { error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' } },
    });
    const result = await run();
    expect(result.errors[0]).toMatch(/rate limited .* retry after 120 s/);
    expect(result.mentions).toEqual([]);
    expect(result.nextCursor.watermark).toBe('2026-06-09T12:00:00.000Z');
  });

  it('a malformed page fails the poll; a malformed review is skipped', async () => {
    tokenRoute();
    server.on('GET', REVIEWS, { body: { reviews: 'nope' } });
    expect((await run()).errors[0]).toMatch(/unexpected response shape from Business Profile reviews/);
    server.on('GET', REVIEWS, { body: '<html>502</html>' });
    expect((await run()).errors[0]).toMatch(/malformed JSON/);
  });

  it('a page cap holds the watermark and the next poll reads the rest', async () => {
    tokenRoute();
    reviewRoutes();
    const first = await run(null, { maxPages: 1 });
    expect(first.mentions.map((m) => m.id.split(':')[1])).toEqual(['r5']);
    expect(first.nextCursor.watermark).toBe('2026-06-09T12:00:00.000Z');
    const second = await run(first.nextCursor);
    expect(second.mentions.map((m) => m.id.split(':')[1])).toEqual(['r3', 'r2']);
  });
});

describe('googlereviews adapter: the Places sampler', () => {
  const PLACE = '/v1/places/ChIJbephong-q1-0001';
  const sampler = (options: Record<string, unknown> = {}) =>
    sourceConfig({
      id: 'acme-places',
      kind: 'googlereviews',
      placesUrl: server.url,
      placeIds: ['ChIJbephong-q1-0001'],
      apiKeyEnv: 'G_KEY',
      ...options,
    });
  const place = (reviews: unknown[]) => ({
    id: 'ChIJbephong-q1-0001',
    displayName: { text: 'Bếp Hồng Quận 1', languageCode: 'vi' },
    rating: 4.2,
    userRatingCount: 318,
    googleMapsUri: 'https://maps.google.com/?cid=1',
    reviews,
  });
  const placeReview = (id: string, publishTime: string, rating: number, text?: string) => ({
    name: `places/ChIJbephong-q1-0001/reviews/${id}`,
    relativePublishTimeDescription: 'a day ago',
    rating,
    ...(text === undefined
      ? {}
      : { text: { text: `(vi) ${text}`, languageCode: 'vi' }, originalText: { text, languageCode: 'vi' } }),
    authorAttribution: { displayName: `Người ${id}`, uri: 'https://www.google.com/maps/contrib/1' },
    publishTime,
  });
  const FIVE = [
    placeReview('p1', '2026-06-10T09:00:00Z', 1, 'Bảo hành hẹn 7 ngày, 3 tuần chưa trả lời'),
    placeReview('p2', '2026-06-10T08:00:00Z', 5, 'Nhân viên tư vấn kỹ'),
    placeReview('p3', '2026-06-10T07:00:00Z', 4), // stars only
    placeReview('p4', '2025-01-05T07:00:00Z', 2, 'Cũ quá'),
    { name: 'places/x/reviews/broken' },
  ];

  it('takes the recent reviews of the 5 it is shown, says in health that it is a sample, and nothing twice', async () => {
    server.on('GET', PLACE, { body: place(FIVE) });
    const first = await pollSource(pollContext(sampler(), { env }));
    expect(first.errors).toEqual([]);
    expect(first.mentions.map((m) => m.id)).toEqual(['place:ChIJbephong-q1-0001:p1', 'place:ChIJbephong-q1-0001:p2']);
    expect(first.mentions[0]).toMatchObject({
      text: 'Bảo hành hẹn 7 ngày, 3 tuần chưa trả lời',
      rating: 1,
      author: 'Người p1',
      language: 'vi',
      url: 'https://maps.google.com/?cid=1',
    });
    expect(first.skipped).toBe(2);
    expect(first.health.note).toMatch(
      /^sample: the Places API shows at most 5 reviews per place.*Bếp Hồng Quận 1 4\.2★ of 318/,
    );
    const request = server.requests[0];
    expect(request.headers['x-goog-api-key']).toBe(env.G_KEY);
    expect(request.headers['x-goog-fieldmask']).toContain('reviews');
    expect(request.query.get('languageCode')).toBe('vi');

    server.on('GET', PLACE, {
      body: place([placeReview('p5', '2026-06-10T11:00:00Z', 2, 'Giao thiếu phụ kiện'), ...FIVE]),
    });
    const second = await pollSource(pollContext(sampler(), { env, cursor: first.nextCursor }));
    expect(second.mentions.map((m) => m.id)).toEqual(['place:ChIJbephong-q1-0001:p5']);
    const third = await pollSource(pollContext(sampler(), { env, cursor: second.nextCursor }));
    expect(third.mentions).toEqual([]);
    // Lag is measured from the newest review sampled.
    expect(third.nextCursor.watermark).toBe('2026-06-10T11:00:00.000Z');
    expect(third.health.lagSeconds).toBe(3600);
  });

  it('a place without reviews is fine; a refused key is a config error; 429 fails the poll', async () => {
    server.on('GET', PLACE, { body: { id: 'ChIJbephong-q1-0001', rating: 4.2, userRatingCount: 3 } });
    const empty = await pollSource(pollContext(sampler(), { env }));
    expect(empty.errors).toEqual([]);
    expect(empty.mentions).toEqual([]);
    server.on('GET', PLACE, {
      status: 400,
      body: { error: { code: 400, message: 'API key not valid.', status: 'INVALID_ARGUMENT' } },
    });
    const refused = await pollSource(pollContext(sampler(), { env }));
    expect(refused.errors[0]).toMatch(/config error: the Places API refused the key .*INVALID_ARGUMENT/);
    expect(refused.errors[0]).not.toContain(env.G_KEY);
    server.on('GET', PLACE, { status: 429, headers: { 'retry-after': '3600' }, body: {} });
    expect((await pollSource(pollContext(sampler(), { env }))).errors[0]).toMatch(/rate limited/);
  });

  it('owner locations and the sampler in one source', async () => {
    tokenRoute();
    reviewRoutes();
    server.on('GET', PLACE, { body: place(FIVE) });
    const result = await pollSource(
      pollContext(owner({ placesUrl: server.url, placeIds: ['ChIJbephong-q1-0001'], apiKeyEnv: 'G_KEY' }), { env }),
    );
    expect(result.errors).toEqual([]);
    expect(result.mentions).toHaveLength(5);
    expect(result.nextCursor.watermark).toBe('2026-06-10T10:00:00.000Z');
    expect(JSON.parse(result.nextCursor.extra!.sampled)).toHaveLength(3);
  });
});

describe('googlereviews config', () => {
  const base = { brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }] };
  it('needs locations with an account and OAuth credentials, or places with a key', () => {
    expect(() => parseConfig({ ...base, sources: [{ id: 'acme-g', kind: 'googlereviews', brand: 'acme' }] })).toThrow(
      /needs locationIds .* or placeIds/,
    );
    expect(() =>
      parseConfig({ ...base, sources: [{ id: 'acme-g', kind: 'googlereviews', brand: 'acme', locationIds: ['1'] }] }),
    ).toThrow(/accountId[\s\S]*clientIdEnv\/clientIdSecret, clientSecretEnv\/clientSecretSecret, refreshTokenEnv/);
    expect(() =>
      parseConfig({
        ...base,
        sources: [{ id: 'acme-g', kind: 'googlereviews', brand: 'acme', placeIds: ['ChIJ0123456789'] }],
      }),
    ).toThrow(/apiKeyEnv\/apiKeySecret/);
    expect(
      parseConfig({
        ...base,
        sources: [{ id: 'acme-g', kind: 'googlereviews', brand: 'acme', placeIds: ['ChIJ0123456789'], apiKeyEnv: 'K' }],
      }).sources[0],
    ).toMatchObject({ kind: 'googlereviews', languageCode: 'vi', locationIds: [] });
  });

  it('keeps the original of a Google-translated comment, whichever way round', () => {
    expect(originalComment('(Translated by Google) Good\n\n(Original)\nNgon')).toBe('Ngon');
    expect(originalComment('Ngon\n\n(Translated by Google)\nGood')).toBe('Ngon');
    expect(originalComment('Ngon')).toBe('Ngon');
  });
});

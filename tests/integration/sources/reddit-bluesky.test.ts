import { pollSource } from '../../../lambdas/sources/registry';
import { pollContext, sourceConfig, startServer, unix, type TestServer } from './server';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

const env = { RID: 'my-client-id', RSECRET: 'my-client-secret', BSKY_ID: 'acme.bsky.social', BSKY_PW: 'app-pass-word' };

describe('reddit adapter', () => {
  const reddit = (options: Record<string, unknown> = {}) =>
    sourceConfig({
      id: 'acme-reddit',
      kind: 'reddit',
      baseUrl: server.url,
      authUrl: server.url,
      clientIdEnv: 'RID',
      clientSecretEnv: 'RSECRET',
      ...options,
    });
  const post = (name: string, iso: string, data: Record<string, unknown> = {}) => ({
    kind: 't3',
    data: {
      name,
      created_utc: unix(iso),
      author: 'traveller',
      title: 'Acme Air lost my luggage',
      selftext: 'Flight AC123, refund never came &amp; nobody answers',
      permalink: `/r/travel/comments/${name}/x/`,
      score: 40,
      num_comments: 7,
      subreddit_subscribers: 900000,
      ...data,
    },
  });
  const listing = (children: unknown[], after: string | null = null) => ({
    kind: 'Listing',
    data: { after, children },
  });

  it('authenticates with client credentials, searches, pages with after and skips removed posts', async () => {
    server.on('POST', '/api/v1/access_token', {
      body: { access_token: 'tok-1', token_type: 'bearer', expires_in: 3600 },
    });
    server.on('GET', '/search', (req) =>
      req.query.get('after')
        ? {
            body: listing([
              post('t3_c', '2026-06-10T08:00:00Z', { selftext: '[removed]' }),
              post('t3_old', '2026-06-01T00:00:00Z'),
            ]),
          }
        : {
            body: listing(
              [
                post('t3_a', '2026-06-10T11:00:00Z'),
                post('t3_b', '2026-06-10T10:00:00Z', { title: 'Road runner', selftext: 'beep' }),
              ],
              't3_b',
            ),
          },
    );
    const state = new Map();
    const result = await pollSource(pollContext(reddit(), { env, state }));
    expect(result.errors).toEqual([]);
    expect(result.mentions).toEqual([
      expect.objectContaining({
        id: 't3_a',
        url: 'https://www.reddit.com/r/travel/comments/t3_a/x/',
        text: 'Acme Air lost my luggage\n\nFlight AC123, refund never came &amp; nobody answers',
        engagement: { likes: 40, replies: 7 },
        communitySize: 900000,
      }),
    ]);
    expect(result).toMatchObject({ fetched: 3, relevant: 1, noise: 1, skipped: 1 });
    const tokenRequest = server.requests[0];
    expect(tokenRequest.headers.authorization).toBe(
      `Basic ${Buffer.from('my-client-id:my-client-secret').toString('base64')}`,
    );
    expect(tokenRequest.body).toBe('grant_type=client_credentials');
    expect(server.requests[1].headers.authorization).toBe('Bearer tok-1');
    expect(server.requests[1].query.get('q')).toBe('acme');
    expect(server.requests[1].query.get('sort')).toBe('new');

    // Token cached; second poll finds nothing new.
    const again = await pollSource(pollContext(reddit(), { env, state, cursor: result.nextCursor }));
    expect(again.mentions).toEqual([]);
    expect(server.requests.filter((r) => r.path === '/api/v1/access_token')).toHaveLength(1);
  });

  it('reads subreddit new and comments', async () => {
    server.on('POST', '/api/v1/access_token', { body: { access_token: 'tok', expires_in: 3600 } });
    server.on('GET', '/search', { body: listing([]) });
    server.on('GET', '/r/travel/new', { body: listing([post('t3_n', '2026-06-10T09:00:00Z')]) });
    server.on('GET', '/r/travel/comments', {
      body: listing([
        {
          kind: 't1',
          data: {
            name: 't1_x',
            created_utc: unix('2026-06-10T09:30:00Z'),
            author: 'a',
            body: 'acme support never replied',
            link_title: 'Airlines',
            permalink: '/r/travel/comments/x/y/z/',
            score: 3,
          },
        },
        {
          kind: 't1',
          data: {
            name: 't1_y',
            created_utc: unix('2026-06-10T09:40:00Z'),
            author: '[deleted]',
            body: '[deleted]',
            permalink: '/z',
          },
        },
      ]),
    });
    const result = await pollSource(pollContext(reddit({ subreddits: ['travel'], includeComments: true }), { env }));
    expect(result.mentions.map((m) => m.id).sort()).toEqual(['t1_x', 't3_n']);
    expect(result.skipped).toBe(1);
  });

  it('auth failure gives a clear error without leaking the credentials', async () => {
    server.on('POST', '/api/v1/access_token', { status: 401, body: { message: 'Unauthorized', error: 401 } });
    const result = await pollSource(pollContext(reddit(), { env }));
    expect(result.errors[0]).toMatch(/Reddit rejected the client credentials for source acme-reddit \(HTTP 401\)/);
    expect(result.errors[0]).not.toMatch(/my-client-secret|bXktY2xpZW50/);
    expect(result.nextCursor.seenIds).toEqual([]);
  });

  it('a missing environment variable is named in the error', async () => {
    const result = await pollSource(pollContext(reddit(), { env: {} }));
    expect(result.errors[0]).toMatch(/environment variable RID is not set/);
  });

  it('re-authenticates once when the API rejects a cached token', async () => {
    server.on('POST', '/api/v1/access_token', [
      { body: { access_token: 'old', expires_in: 3600 } },
      { body: { access_token: 'new', expires_in: 3600 } },
    ]);
    server.on('GET', '/search', (req) =>
      req.headers.authorization === 'Bearer new'
        ? { body: listing([post('t3_a', '2026-06-10T11:00:00Z')]) }
        : { status: 401 },
    );
    const result = await pollSource(pollContext(reddit(), { env }));
    expect(result.errors).toEqual([]);
    expect(result.mentions).toHaveLength(1);
  });
});

describe('bluesky adapter', () => {
  const bluesky = () =>
    sourceConfig({
      id: 'acme-bsky',
      kind: 'bluesky',
      baseUrl: server.url,
      authUrl: server.url,
      identifierEnv: 'BSKY_ID',
      appPasswordEnv: 'BSKY_PW',
    });
  const postView = (rkey: string, text: string, iso: string) => ({
    uri: `at://did:plc:abc/app.bsky.feed.post/${rkey}`,
    cid: 'bafy',
    author: { did: 'did:plc:abc', handle: 'flyer.bsky.social' },
    record: { $type: 'app.bsky.feed.post', text, createdAt: iso, langs: ['en'] },
    replyCount: 1,
    repostCount: 2,
    likeCount: 5,
    quoteCount: 1,
    indexedAt: iso,
  });

  it('creates a session, refreshes an expired token and retries, pages with cursor', async () => {
    server.on('POST', '/xrpc/com.atproto.server.createSession', {
      body: { accessJwt: 'access-1', refreshJwt: 'refresh-1', did: 'did:plc:me', handle: 'acme.bsky.social' },
    });
    server.on('POST', '/xrpc/com.atproto.server.refreshSession', (req) =>
      req.headers.authorization === 'Bearer refresh-1'
        ? { body: { accessJwt: 'access-2', refreshJwt: 'refresh-2' } }
        : { status: 401 },
    );
    server.on('GET', '/xrpc/app.bsky.feed.searchPosts', (req) => {
      if (req.headers.authorization !== 'Bearer access-2')
        return { status: 400, body: { error: 'ExpiredToken', message: 'Token has expired' } };
      return req.query.get('cursor')
        ? { body: { posts: [postView('p2', 'acme museum visit', '2026-06-10T09:00:00Z')] } }
        : {
            body: {
              cursor: 'c1',
              posts: [postView('p1', 'Acme Air cancelled AC123 and no refund', '2026-06-10T10:00:00Z')],
            },
          };
    });
    const state = new Map();
    const result = await pollSource(pollContext(bluesky(), { env, state }));
    expect(result.errors).toEqual([]);
    expect(result.mentions).toEqual([
      expect.objectContaining({
        id: 'at://did:plc:abc/app.bsky.feed.post/p1',
        url: 'https://bsky.app/profile/flyer.bsky.social/post/p1',
        language: 'en',
        engagement: { likes: 5, shares: 3, replies: 1 },
      }),
    ]);
    expect(result.noise).toBe(1);
    const search = server.requests.filter((r) => r.path.endsWith('searchPosts')).at(-1)!;
    expect(search.query.get('sort')).toBe('latest');
    expect(search.query.get('since')).toBe('2026-06-09T12:00:00.000Z');
    expect(server.requests.filter((r) => r.path.endsWith('createSession'))).toHaveLength(1);
    expect(JSON.parse(server.requests[0].body)).toEqual({ identifier: 'acme.bsky.social', password: 'app-pass-word' });

    const again = await pollSource(pollContext(bluesky(), { env, state, cursor: result.nextCursor }));
    expect(again.mentions).toEqual([]);
    expect(server.requests.filter((r) => r.path.endsWith('createSession'))).toHaveLength(1);
  });

  it('a wrong app password is a clear error that does not echo it', async () => {
    server.on('POST', '/xrpc/com.atproto.server.createSession', {
      status: 401,
      body: { error: 'AuthenticationRequired', message: 'Invalid identifier or password' },
    });
    const result = await pollSource(pollContext(bluesky(), { env }));
    expect(result.errors[0]).toMatch(
      /Bluesky rejected the app password for source acme-bsky \(HTTP 401 AuthenticationRequired\)/,
    );
    expect(result.errors[0]).not.toContain('app-pass-word');
  });
});

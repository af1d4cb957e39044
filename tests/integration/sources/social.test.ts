import { describeSources, SOURCE_KINDS_INFO } from '../../../lambdas/sources/kinds';
import { getAdapter, pollSource } from '../../../lambdas/sources/registry';
import { SOURCE_KINDS } from '../../../lambdas/core/mention';
import { NOW, pollContext, sourceConfig, startServer, type TestServer } from './server';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

const status = (id: string, iso: string, content: string, extra: Record<string, unknown> = {}) => ({
  id,
  uri: `https://social.example/users/flyer/statuses/${id}`,
  url: `https://social.example/@flyer/${id}`,
  created_at: iso,
  content,
  spoiler_text: '',
  language: 'en',
  visibility: 'public',
  replies_count: 2,
  reblogs_count: 3,
  favourites_count: 4,
  reblog: null,
  account: { acct: 'flyer@social.example', display_name: 'Flyer', followers_count: 1500 },
  ...extra,
});

describe('mastodon adapter', () => {
  const mastodon = (options: Record<string, unknown> = {}) =>
    sourceConfig({ id: 'acme-masto', kind: 'mastodon', baseUrl: server.url, hashtags: ['acmeair'], ...options });

  it('first poll reads the newest page; later polls page forward with min_id (BigInt ids)', async () => {
    const big1 = '112233445566778899';
    const big2 = '112233445566778900';
    const big3 = '1122334455667789000'; // longer string, larger number: string compare would get this wrong
    server.on('GET', '/api/v1/timelines/tag/acmeair', (req) => {
      const minId = req.query.get('min_id');
      if (!minId)
        return {
          body: [
            status(big2, '2026-06-10T10:00:00Z', '<p>#AcmeAir lost my bag &amp; no refund</p>'),
            status(big1, '2026-06-10T09:00:00Z', '<p>nice sunset</p>'),
          ],
        };
      if (minId === big2)
        return { body: [status(big3, '2026-06-10T11:30:00Z', '<p>Acme Air AC123 <br>still waiting</p>')] };
      return { body: [] };
    });
    const first = await pollSource(pollContext(mastodon()));
    expect(first.errors).toEqual([]);
    expect(first.mentions).toEqual([
      expect.objectContaining({
        id: `https://social.example/users/flyer/statuses/${big2}`,
        url: `https://social.example/@flyer/${big2}`,
        author: 'flyer@social.example',
        text: '#AcmeAir lost my bag & no refund',
        language: 'en',
        engagement: { likes: 4, shares: 3, replies: 2 },
        authorReach: 1500,
      }),
    ]);
    expect(first.noise).toBe(1);
    expect(first.nextCursor.extra?.['minId:acmeair']).toBe(big2);

    const second = await pollSource(pollContext(mastodon(), { cursor: first.nextCursor }));
    expect(second.mentions.map((m) => m.text)).toEqual(['Acme Air AC123\nstill waiting']);
    expect(second.nextCursor.extra?.['minId:acmeair']).toBe(big3);

    const third = await pollSource(pollContext(mastodon(), { cursor: second.nextCursor }));
    expect(third.mentions).toEqual([]);
    expect(server.requests.at(-1)?.query.get('min_id')).toBe(big3);
  });

  it('adds status search when a token is configured', async () => {
    server.on('GET', '/api/v1/timelines/tag/acmeair', { body: [] });
    server.on('GET', '/api/v2/search', {
      body: { accounts: [], hashtags: [], statuses: [status('5', '2026-06-10T10:00:00Z', 'acme support is great')] },
    });
    const result = await pollSource(pollContext(mastodon({ tokenEnv: 'MASTO' }), { env: { MASTO: 'masto-token' } }));
    expect(result.mentions).toHaveLength(1);
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer masto-token');
  });
});

describe('youtube adapter', () => {
  const youtube = () =>
    sourceConfig({ id: 'acme-yt', kind: 'youtube', apiKeyEnv: 'YT_KEY', baseUrl: server.url, maxVideos: 5 });
  const env = { YT_KEY: 'yt-secret-key' };
  const video = (id: string, title: string) => ({
    kind: 'youtube#searchResult',
    id: { kind: 'youtube#video', videoId: id },
    snippet: { publishedAt: '2026-06-10T08:00:00Z', channelId: 'c', channelTitle: 'Chan', title, description: 'desc' },
  });
  const thread = (id: string, iso: string, text: string) => ({
    id,
    snippet: {
      videoId: 'v1',
      totalReplyCount: 2,
      topLevelComment: {
        id,
        snippet: { textDisplay: text, textOriginal: text, authorDisplayName: 'Viewer', likeCount: 9, publishedAt: iso },
      },
    },
  });

  it('finds brand videos with one search call and reads their comments; skips disabled comments', async () => {
    server.on('GET', '/youtube/v3/search', {
      body: {
        items: [
          video('v1', 'Acme Air lost my luggage AGAIN'),
          video('v2', 'Looney Tunes compilation'),
          video('v3', 'ACME AIR review'),
        ],
      },
    });
    server.on('GET', '/youtube/v3/commentThreads', (req) =>
      req.query.get('videoId') === 'v3'
        ? { status: 403, body: { error: { code: 403, errors: [{ reason: 'commentsDisabled' }] } } }
        : { body: { items: [thread('cm1', '2026-06-10T09:00:00Z', 'same thing happened to me on AC123')] } },
    );
    const result = await pollSource(pollContext(youtube(), { env }));
    expect(result.errors).toEqual([]);
    expect(result.mentions.map((m) => m.id).sort()).toEqual(['cm1', 'video:v1', 'video:v3']);
    expect(result.mentions.find((m) => m.id === 'cm1')).toMatchObject({
      url: 'https://www.youtube.com/watch?v=v1&lc=cm1',
      engagement: { likes: 9, replies: 2 },
    });
    expect(result.noise).toBe(1);
    expect(result.nextCursor.extra?.videos).toBe('v1');
    expect(server.requests.filter((r) => r.path.endsWith('/search'))).toHaveLength(1);
  });

  it('quotaExceeded is a clear error and the key never appears', async () => {
    server.on('GET', '/youtube/v3/search', {
      status: 403,
      body: { error: { code: 403, message: 'quota', errors: [{ reason: 'quotaExceeded' }] } },
    });
    const result = await pollSource(pollContext(youtube(), { env }));
    expect(result.errors[0]).toMatch(/YouTube quota exceeded/);
    expect(JSON.stringify(result)).not.toContain('yt-secret-key');
  });
});

describe('rss adapter', () => {
  const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:google.com,2005:reference:1</id><title>Google Alert - acme</title><updated>2026-06-10T10:00:00Z</updated>
<entry><id>tag:google.com,2013:googlealerts/feed:1</id><title type="html">&lt;b&gt;Acme&lt;/b&gt; Air passengers stranded &amp;amp; angry</title>
<link href="https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://news.example/acme-air-ac123&amp;ct=ga"/>
<published>2026-06-10T10:00:00Z</published><updated>2026-06-10T10:00:00Z</updated>
<content type="html">Flight AC123 passengers say &lt;b&gt;Acme&lt;/b&gt; lost bags</content><author><name>News</name></author></entry>
<entry><id>tag:google.com,2013:googlealerts/feed:2</id><title type="html">Acme Museum opens new wing</title>
<link href="https://www.google.com/url?url=https://museum.example/"/><published>2026-06-10T09:00:00Z</published><updated>2026-06-10T09:00:00Z</updated>
<content type="html">The &lt;b&gt;Acme museum&lt;/b&gt; opens</content></entry></feed>`;

  it('parses Atom, unwraps Google redirects, then uses the ETag for a 304', async () => {
    server.on('GET', '/alerts/feeds/1/2', (req) =>
      req.headers['if-none-match'] === '"v1"'
        ? { status: 304 }
        : { headers: { 'content-type': 'application/atom+xml', etag: '"v1"' }, body: atom },
    );
    const source = sourceConfig({
      id: 'acme-alerts',
      kind: 'rss',
      url: 'https://www.google.com/alerts/feeds/1/2',
      baseUrl: server.url,
    });
    const first = await pollSource(pollContext(source));
    expect(first.errors).toEqual([]);
    expect(first.mentions).toEqual([
      expect.objectContaining({
        id: 'tag:google.com,2013:googlealerts/feed:1',
        url: 'https://news.example/acme-air-ac123',
        title: 'Acme Air passengers stranded & angry',
        text: 'Flight AC123 passengers say Acme lost bags',
        createdAt: '2026-06-10T10:00:00.000Z',
      }),
    ]);
    expect(first.noise).toBe(1);
    expect(first.nextCursor.extra?.etag).toBe('"v1"');
    const second = await pollSource(pollContext(source, { cursor: first.nextCursor }));
    expect(second).toMatchObject({ mentions: [], fetched: 0, errors: [] });
    expect(second.nextCursor.extra?.etag).toBe('"v1"');
  });

  it('a broken feed is an error with the cursor unchanged', async () => {
    server.on('GET', '/feed', { body: '<rss><channel><item><title>x</tit' });
    const source = sourceConfig({ id: 'acme-feed', kind: 'rss', url: `${server.url}/feed` });
    const result = await pollSource(pollContext(source));
    expect(result.errors[0]).toMatch(/malformed feed from 127\.0\.0\.1/);
  });
});

describe('registry', () => {
  it('has an adapter and a description for every kind', () => {
    for (const kind of SOURCE_KINDS) expect(getAdapter(kind).kind).toBe(kind);
    expect(SOURCE_KINDS_INFO.map((i) => i.kind).sort()).toEqual([...SOURCE_KINDS].sort());
    expect(SOURCE_KINDS_INFO.find((i) => i.kind === 'googleplay')?.fragile).toBe(true);
    expect(describeSources()).toMatch(/googleplay \(fragile\)/);
    expect(describeSources()).toMatch(/X\/Twitter/);
  });

  it('webhook sources have nothing to poll', async () => {
    const result = await pollSource(pollContext(sourceConfig({ id: 'acme-hook', kind: 'webhook' })));
    expect(result).toMatchObject({
      mentions: [],
      errors: [],
      health: { consecutiveFailures: 0, lastSuccessAt: NOW.toISOString() },
    });
  });
});

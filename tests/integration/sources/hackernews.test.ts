import { pollSource } from '../../../lambdas/sources/registry';
import { cursorAt, pollContext, sourceConfig, startServer, testHttp, unix, type TestServer } from './server';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

const hit = (id: string, iso: string, extra: Record<string, unknown> = {}) => ({
  objectID: id,
  created_at: iso,
  created_at_i: unix(iso),
  author: 'pg',
  title: null,
  url: null,
  points: null,
  num_comments: null,
  story_text: null,
  comment_text: null,
  story_title: 'Ask HN: airlines',
  _tags: ['comment', `story_${id}`],
  ...extra,
});

const story = hit('100', '2026-06-10T10:00:00Z', {
  title: 'Acme Air lost my bag on AC123',
  story_text: '<p>Three weeks &amp; no refund.</p>',
  points: 12,
  num_comments: 4,
  _tags: ['story'],
});
const comment = hit('101', '2026-06-10T11:00:00Z', { comment_text: 'Same with <i>ACME</i> &#x2F; AC123 &gt;:(' });
const noise = hit('102', '2026-06-10T09:00:00Z', { comment_text: 'Wile E. Coyote ordered from acmecorp again' });
const deleted = hit('103', '2026-06-10T08:00:00Z', { author: null });

function source(options: Record<string, unknown> = {}) {
  return sourceConfig({ id: 'acme-hn', kind: 'hackernews', baseUrl: server.url, ...options });
}

describe('hackernews adapter', () => {
  it('maps stories and comments, strips HTML, counts noise and deleted items', async () => {
    server.on('GET', '/api/v1/search_by_date', {
      body: { hits: [comment, story, noise, deleted], page: 0, nbPages: 1 },
    });
    const result = await pollSource(pollContext(source()));
    expect(result.errors).toEqual([]);
    expect(result.mentions).toEqual([
      {
        id: '101',
        sourceId: 'acme-hn',
        kind: 'hackernews',
        brandId: 'acme',
        url: 'https://news.ycombinator.com/item?id=101',
        author: 'pg',
        title: 'Ask HN: airlines',
        text: 'Same with ACME / AC123 >:(',
        createdAt: '2026-06-10T11:00:00.000Z',
        visibility: 'public',
      },
      expect.objectContaining({
        id: '100',
        title: 'Acme Air lost my bag on AC123',
        text: 'Acme Air lost my bag on AC123\n\nThree weeks & no refund.',
        engagement: { likes: 12, replies: 4 },
      }),
    ]);
    expect(result).toMatchObject({ fetched: 4, relevant: 2, noise: 1, skipped: 1 });
    const q = server.requests[0].query;
    expect(q.get('query')).toBe('acme'); // "acme air" is covered by "acme"
    expect(q.get('tags')).toBe('(story,comment)');
    expect(q.get('numericFilters')).toBe(`created_at_i>=${unix('2026-06-09T12:00:00Z')}`);
    expect(result.nextCursor).toMatchObject({ watermark: '2026-06-10T11:00:00.000Z', seenIds: ['101'] });
    expect(result.health).toMatchObject({ consecutiveFailures: 0, lagSeconds: 3600 });
  });

  it('pages, and a second poll over the same data returns nothing new', async () => {
    server.on('GET', '/api/v1/search_by_date', (req) =>
      req.query.get('page') === '0'
        ? { body: { hits: [comment], page: 0, nbPages: 2 } }
        : { body: { hits: [story], page: 1, nbPages: 2 } },
    );
    const first = await pollSource(pollContext(source()));
    expect(first.mentions.map((m) => m.id)).toEqual(['101', '100']);
    const second = await pollSource(pollContext(source(), { cursor: first.nextCursor }));
    expect(second.mentions).toEqual([]);
    expect(second.fetched).toBe(0);
    expect(second.nextCursor.watermark).toBe(first.nextCursor.watermark);
    expect(server.requests.at(-1)?.query.get('numericFilters')).toBe(`created_at_i>=${unix('2026-06-10T11:00:00Z')}`);
  });

  it('handles an empty page', async () => {
    server.on('GET', '/api/v1/search_by_date', { body: { hits: [], page: 0, nbPages: 0 } });
    const result = await pollSource(pollContext(source()));
    expect(result).toMatchObject({ mentions: [], fetched: 0, errors: [] });
  });

  it('never moves the cursor past an item not handed on when the page cap stops it', async () => {
    server.on('GET', '/api/v1/search_by_date', (req) =>
      req.query.get('numericFilters')?.includes('<=')
        ? { body: { hits: [story], page: 0, nbPages: 1 } }
        : { body: { hits: [comment], page: 0, nbPages: 5 } },
    );
    const prev = cursorAt('acme-hn', '2026-06-10T00:00:00.000Z');
    const first = await pollSource(pollContext(source({ maxPages: 1 }), { cursor: prev }));
    expect(first.mentions.map((m) => m.id)).toEqual(['101']);
    expect(first.nextCursor.watermark).toBe('2026-06-10T00:00:00.000Z');
    const second = await pollSource(pollContext(source({ maxPages: 1 }), { cursor: first.nextCursor }));
    expect(server.requests.at(-1)?.query.get('numericFilters')).toBe(
      `created_at_i>=${unix('2026-06-10T00:00:00Z')},created_at_i<=${unix('2026-06-10T11:00:00Z')}`,
    );
    expect(second.mentions.map((m) => m.id)).toEqual(['100']);
    expect(second.nextCursor.watermark).toBe('2026-06-10T11:00:00.000Z');
  });

  it('retries after 429 Retry-After and after a 500', async () => {
    server.on('GET', '/api/v1/search_by_date', [
      { status: 429, headers: { 'retry-after': '2' } },
      { status: 500 },
      { body: { hits: [story], nbPages: 1 } },
    ]);
    const http = testHttp();
    const result = await pollSource(pollContext(source(), { http }));
    expect(result.mentions).toHaveLength(1);
    expect(http.waits[0]).toBe(2000);
  });

  it('malformed JSON: reports the error, loses nothing, keeps the cursor', async () => {
    server.on('GET', '/api/v1/search_by_date', { body: '{"hits": [' });
    const prev = cursorAt('acme-hn', '2026-06-10T05:00:00.000Z', ['9']);
    const result = await pollSource(pollContext(source(), { cursor: prev }), {
      sourceId: 'acme-hn',
      kind: 'hackernews',
      consecutiveFailures: 2,
    });
    expect(result.errors).toEqual([expect.stringMatching(/^acme-hn \(hackernews\): malformed JSON from 127\.0\.0\.1/)]);
    expect(result.nextCursor).toBe(prev);
    expect(result.mentions).toEqual([]);
    expect(result.health).toMatchObject({ consecutiveFailures: 3, lastError: expect.stringMatching(/malformed/) });
  });

  it('a malformed page shape is an error; a malformed item is skipped', async () => {
    server.on('GET', '/api/v1/search_by_date', [
      { body: { nope: true } },
      { body: { hits: [{ objectID: 5 }, story], nbPages: 1 } },
    ]);
    const bad = await pollSource(pollContext(source()));
    expect(bad.errors[0]).toMatch(/unexpected response shape from HN Algolia search_by_date: hits/);
    const ok = await pollSource(pollContext(source()));
    expect(ok).toMatchObject({ relevant: 1, skipped: 1, errors: [] });
  });

  it('times out and reports it', async () => {
    server.on('GET', '/api/v1/search_by_date', { hang: true });
    const result = await pollSource(pollContext(source({ timeoutMs: 100 })));
    expect(result.errors[0]).toMatch(/timed out after 100 ms/);
  });
});

describe('items-per-poll cap', () => {
  it('takes at most maxItemsPerPoll new items from a huge page; the next polls take the rest, none twice', async () => {
    const hits = Array.from({ length: 25 }, (_, i) =>
      hit(String(500 + i), new Date(Date.parse('2026-06-10T11:00:00Z') - i * 60_000).toISOString(), {
        comment_text: `acme comment ${i}`,
      }),
    );
    server.on('GET', '/api/v1/search_by_date', { body: { hits, page: 0, nbPages: 1 } });
    const capped = source({ maxItemsPerPoll: 10 });
    const seen: string[] = [];
    let cursor = null;
    for (let poll = 0; poll < 3; poll++) {
      const result = await pollSource(pollContext(capped, { cursor }));
      expect(result.errors).toEqual([]);
      expect(result.mentions.length).toBeLessThanOrEqual(10);
      seen.push(...result.mentions.map((m) => m.id));
      cursor = result.nextCursor;
    }
    expect(seen.sort()).toEqual(hits.map((h) => h.objectID).sort());
    const after = await pollSource(pollContext(capped, { cursor }));
    expect(after.mentions).toEqual([]);
  });
});

import { parseBatchExecute } from '../../../lambdas/sources/adapters/googleplay';
import { pollSource } from '../../../lambdas/sources/registry';
import { cursorAt, pollContext, sourceConfig, startServer, unix, type TestServer } from './server';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

const entry = (id: string, iso: string, rating: string, content: string) => ({
  author: { uri: { label: 'https://itunes.apple.com/us/reviews/id1' }, name: { label: 'Flyer' } },
  updated: { label: iso },
  'im:rating': { label: rating },
  'im:version': { label: '5.2' },
  id: { label: id },
  title: { label: 'Review' },
  content: { label: content, attributes: { type: 'text' } },
  'im:voteSum': { label: '3' },
  link: { attributes: { rel: 'related', href: `https://itunes.apple.com/us/review?id=1&type=Purple%20Software` } },
});

describe('appstore adapter', () => {
  const appstore = (countries = ['us']) =>
    sourceConfig({ id: 'acme-ios', kind: 'appstore', appId: '123456789', countries, baseUrl: server.url });

  it('reads an array, a single object and a missing entry; keeps rating and country; relevant by construction', async () => {
    server.on('GET', '/us/rss/customerreviews/page=1/id=123456789/sortby=mostRecent/json', {
      body: {
        feed: {
          entry: [
            entry('1', '2026-06-10T03:00:00-07:00', '1', 'App crashes at check-in'),
            entry('2', '2026-06-10T01:00:00-07:00', '5', 'Great'),
          ],
        },
      },
    });
    server.on('GET', '/us/rss/customerreviews/page=2/id=123456789/sortby=mostRecent/json', { body: { feed: {} } });
    server.on('GET', '/vn/rss/customerreviews/page=1/id=123456789/sortby=mostRecent/json', {
      body: { feed: { entry: entry('9', '2026-06-10T15:00:00+07:00', '1', 'Mất hành lý, không ai trả lời') } },
    });
    server.on('GET', '/vn/rss/customerreviews/page=2/id=123456789/sortby=mostRecent/json', {
      body: { feed: { author: {} } },
    });
    const result = await pollSource(pollContext(appstore(['us', 'vn'])));
    expect(result.errors).toEqual([]);
    expect(result.mentions.map((m) => [m.id, m.rating, m.country, m.createdAt])).toEqual([
      ['us:1', 1, 'us', '2026-06-10T10:00:00.000Z'],
      ['us:2', 5, 'us', '2026-06-10T08:00:00.000Z'],
      ['vn:9', 1, 'vn', '2026-06-10T08:00:00.000Z'],
    ]);
    expect(result.mentions[0]).toMatchObject({
      engagement: { likes: 3 },
      text: 'App crashes at check-in',
      title: 'Review',
    });
    expect(result.nextCursor.watermark).toBe('2026-06-10T10:00:00.000Z');
  });

  it('stops paging at reviews older than the watermark', async () => {
    server.on('GET', '/us/rss/customerreviews/page=1/id=123456789/sortby=mostRecent/json', {
      body: {
        feed: {
          entry: [entry('3', '2026-06-10T11:00:00Z', '2', 'slow'), entry('1', '2026-06-10T09:00:00Z', '1', 'x')],
        },
      },
    });
    const result = await pollSource(
      pollContext(appstore(), { cursor: cursorAt('acme-ios', '2026-06-10T10:00:00.000Z', ['us:1']) }),
    );
    expect(result.mentions.map((m) => m.id)).toEqual(['us:3']);
    expect(server.requests).toHaveLength(1);
  });
});

describe('googleplay adapter (fragile)', () => {
  const review = (id: string, iso: string, score: number, text: string) => [
    id,
    ['Ana', [null, 2, null, null, ['', 'x']]],
    score,
    null,
    text,
    [unix(iso), 0],
    4,
    null,
    null,
    null,
    '5.2.0',
  ];
  const frame = (reviews: unknown[], token?: string) =>
    `)]}'\n\n${JSON.stringify([
      ['wrb.fr', 'UsvDTd', JSON.stringify([reviews, token ? [null, token] : null]), null, null, null, 'generic'],
      ['di', 42],
    ])}`;

  it('parses positional batchexecute JSON and pages with the token', async () => {
    server.on('POST', '/_/PlayStoreUi/data/batchexecute', (req) =>
      req.body.includes('tok2')
        ? { body: frame([review('gp:2', '2026-06-10T09:00:00Z', 2, 'Refund never came')]) }
        : { body: frame([review('gp:1', '2026-06-10T10:00:00Z', 1, 'Lost my bag &amp; app useless')], 'tok2') },
    );
    const source = sourceConfig({
      id: 'acme-play',
      kind: 'googleplay',
      appId: 'com.acme.air',
      acknowledgeFragile: true,
      baseUrl: server.url,
    });
    const result = await pollSource(pollContext(source));
    expect(result.errors).toEqual([]);
    expect(result.mentions.map((m) => [m.id, m.rating, m.author, m.engagement?.likes])).toEqual([
      ['gp:1', 1, 'Ana', 4],
      ['gp:2', 2, 'Ana', 4],
    ]);
    const body = new URLSearchParams(server.requests[0].body).get('f.req')!;
    expect(JSON.parse(JSON.parse(body)[0][0][1])[3]).toEqual(['com.acme.air', 7]);
  });

  it('rejects a response without the envelope', () => {
    expect(() => parseBatchExecute(")]}'\n[]")).toThrow(/no wrb.fr envelope/);
    expect(() => parseBatchExecute('<html>')).toThrow(/malformed batchexecute/);
  });

  it('requires the explicit opt-in in config', () => {
    expect(() => sourceConfig({ id: 'acme-play', kind: 'googleplay', appId: 'com.acme.air' })).toThrow(
      /acknowledgeFragile/,
    );
  });
});

describe('trustpilot adapter', () => {
  const trustpilot = () =>
    sourceConfig({
      id: 'acme-tp',
      kind: 'trustpilot',
      domain: 'acme.example',
      apiKeyEnv: 'TP_KEY',
      baseUrl: server.url,
    });
  const env = { TP_KEY: 'tp-secret-key' };

  it('finds the business unit and reads reviews newest first', async () => {
    server.on('GET', '/v1/business-units/find', { body: { id: 'bu1', displayName: 'Acme' } });
    server.on('GET', '/v1/business-units/bu1/reviews', {
      body: {
        reviews: [
          {
            id: 'r1',
            stars: 1,
            title: 'Never again',
            text: 'Lost luggage, refund never came',
            language: 'en',
            createdAt: '2026-06-10T10:00:00Z',
            consumer: { displayName: 'Jo', numberOfReviews: 12, countryCode: 'GB' },
          },
          { id: 'r2', stars: 5, title: 'Good', text: '', language: 'en', createdAt: 'not a date' },
        ],
      },
    });
    const result = await pollSource(pollContext(trustpilot(), { env }));
    expect(result.errors).toEqual([]);
    expect(result.mentions).toEqual([
      expect.objectContaining({
        id: 'r1',
        rating: 1,
        language: 'en',
        country: 'gb',
        authorReach: 12,
        text: 'Never again\n\nLost luggage, refund never came',
      }),
    ]);
    expect(result.skipped).toBe(1);
    expect(server.requests[1].query.get('orderBy')).toBe('createdat.desc');
    expect(server.requests[1].query.get('apikey')).toBe('tp-secret-key');
  });

  it('does not leak the API key in errors', async () => {
    server.on('GET', '/v1/business-units/find', { status: 403, body: { message: 'bad key tp-secret-key' } });
    const result = await pollSource(pollContext(trustpilot(), { env }));
    expect(result.errors[0]).toMatch(/HTTP 403/);
    expect(result.errors[0]).not.toContain('tp-secret-key');
  });
});

import { parseConfig } from '../../../lambdas/config/load';
import type { AlertMessage, AlertSink } from '../../../lambdas/sinks';
import { openLocalPipeline, type LocalPipeline } from '../../../lambdas/pipeline/local';
import { runPass } from '../../../lambdas/pipeline/run-pass';
import { storableId } from '../../../lambdas/core/storable';
import { startServer, type TestServer } from '../sources/server';

/**
 * One hostile item must never block its source: an item the store cannot hold is rejected with a reason and
 * passed by, ids longer than the store's keys allow are hashed so the item is still stored. Real RSS over HTTP,
 * real dynalite.
 */

const NOW = new Date('2026-06-10T12:00:00Z');
const LONG_GUID = `urn:x:${'g'.repeat(3 * 1024)}`;

function item(guid: string, minutesAgo: number, text: string, link = 'https://news.example/item') {
  const date = new Date(NOW.getTime() - minutesAgo * 60_000).toUTCString();
  return `<item><title>Acme news</title><link>${link}</link><guid>${guid}</guid><pubDate>${date}</pubDate><description>${text}</description></item>`;
}

function feed(items: string[]): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><link>https://news.example</link>${items.join('')}</channel></rss>`;
}

describe('poison items', () => {
  let server: TestServer;
  let pipeline: LocalPipeline;
  const messages: AlertMessage[] = [];
  const sink: AlertSink = { name: 'recording', send: async (m) => void messages.push(m) };

  beforeEach(async () => {
    server = await startServer();
    pipeline = await openLocalPipeline(
      parseConfig({
        brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }],
        sources: [{ id: 'acme-news', kind: 'rss', brand: 'acme', url: `${server.url}/feed.xml` }],
        storage: 'memory',
      }),
      { now: () => NOW, sinks: [sink], http: { sleep: async () => undefined } },
    );
  });

  afterEach(async () => {
    await pipeline.close();
    await server.close();
  });

  function serveFeed(items: string[]) {
    server.on('GET', '/feed.xml', { headers: { 'content-type': 'application/rss+xml' }, body: feed(items) });
  }

  test('a 3 KB guid between two normal items: all stored on the first pass (long id hashed), nothing on the second', async () => {
    serveFeed([
      item('first', 30, 'Acme shipped the new app.'),
      item(LONG_GUID, 20, 'Acme opened a store in Hanoi.'),
      item('last', 10, 'Acme prices went up.'),
    ]);
    const first = await runPass(pipeline.deps);
    expect(first.sources[0]).toMatchObject({ errors: [], rejected: 0 });
    expect(first.stored).toBe(3);
    expect(await pipeline.repo.mentions.get('acme-news', 'first')).toBeDefined();
    expect(await pipeline.repo.mentions.get('acme-news', 'last')).toBeDefined();
    const hashed = await pipeline.repo.mentions.get('acme-news', storableId(LONG_GUID));
    expect(hashed?.text).toContain('Hanoi');
    expect(storableId(LONG_GUID)).toBe(storableId(LONG_GUID));
    expect(Buffer.byteLength(storableId(LONG_GUID))).toBeLessThan(200);

    const second = await runPass(pipeline.deps);
    expect(second.sources[0]).toMatchObject({ errors: [] });
    expect(second.stored).toBe(0);
    expect(second.duplicates).toBe(0);
  });

  test('an item too large to store is rejected with a reason, the items around it stored, the cursor moves past it', async () => {
    serveFeed([
      item('before', 30, 'Acme shipped the new app.'),
      // Adapters cut text to 5,000 characters; a link has no such cap.
      item('huge', 20, 'Acme news', `https://news.example/${'a'.repeat(300_000)}`),
      item('after', 10, 'Acme prices went up.'),
    ]);
    const first = await runPass(pipeline.deps);
    expect(first.stored).toBe(2);
    expect(first.sources[0]).toMatchObject({ errors: [], rejected: 1 });
    expect(first.sources[0].rejections?.[0]).toMatch(/^huge: item too large: \d+ KB > 200 KB/);
    const health = await pipeline.repo.sources.getHealth('acme-news');
    expect(health).toMatchObject({ rejected: 1, consecutiveFailures: 0 });
    expect(health?.lastRejection).toMatch(/item too large/);

    const second = await runPass(pipeline.deps);
    expect(second.stored).toBe(0);
    expect(second.sources[0]).toMatchObject({ errors: [], rejected: 0, fetched: 0 });
  });

  test('a link that is not http(s) is dropped, the mention kept', async () => {
    serveFeed([item('js', 10, 'Acme is awful, they lost my order and nobody replied', 'javascript:alert(1)')]);
    await runPass(pipeline.deps);
    const stored = await pipeline.repo.mentions.get('acme-news', 'js');
    expect(stored).toBeDefined();
    expect(stored?.url).toBeUndefined();
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brandSchema, type SourceConfig } from '../../../lambdas/config/schema';
import type { Mention } from '../../../lambdas/core/mention';
import { pollSource } from '../../../lambdas/sources/registry';
import type { SourceCursor } from '../../../lambdas/core/source-state';
import { pollContext, sourceConfig, startServer, type TestServer } from './server';

/** The hand-written demo samples parse with every adapter and tell the intended story. */

const SAMPLES = path.resolve(__dirname, '../../../examples/samples');
const routes = JSON.parse(readFileSync(path.join(SAMPLES, 'routes.json'), 'utf8')) as {
  now: string;
  routes: { method: string; path: string; file: string; contentType: string }[];
};
const brand = brandSchema.parse({
  id: 'acme',
  name: 'Acme',
  keywords: ['acme', 'acme air'],
  exclude: ['acme museum', 'wile e. coyote', 'road runner'],
});

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  for (const route of routes.routes) {
    const body = readFileSync(path.join(SAMPLES, route.file), 'utf8');
    server.on(route.method, route.path, { headers: { 'content-type': route.contentType }, body });
  }
});
afterAll(() => server.close());

function sources(): SourceConfig[] {
  const base = server.url;
  const env = { baseUrl: base };
  return [
    sourceConfig({ id: 'acme-hn', kind: 'hackernews', ...env }),
    sourceConfig({
      id: 'acme-reddit',
      kind: 'reddit',
      ...env,
      authUrl: base,
      clientIdEnv: 'RID',
      clientSecretEnv: 'RSECRET',
    }),
    sourceConfig({ id: 'acme-masto', kind: 'mastodon', ...env }),
    sourceConfig({
      id: 'acme-bsky',
      kind: 'bluesky',
      ...env,
      authUrl: base,
      identifierEnv: 'BID',
      appPasswordEnv: 'BPW',
    }),
    sourceConfig({ id: 'acme-ios', kind: 'appstore', ...env, appId: '123456789', countries: ['us', 'vn'] }),
    sourceConfig({ id: 'acme-play', kind: 'googleplay', ...env, appId: 'com.acme.air', acknowledgeFragile: true }),
    sourceConfig({ id: 'acme-yt', kind: 'youtube', ...env, apiKeyEnv: 'YT' }),
    sourceConfig({ id: 'acme-tp', kind: 'trustpilot', ...env, domain: 'acmeair.example', apiKeyEnv: 'TP' }),
    sourceConfig({
      id: 'acme-alerts',
      kind: 'rss',
      ...env,
      url: 'https://www.google.com/alerts/feeds/00000000000000000000/1111111111111111111',
    }),
  ];
}

const env = { RID: 'id', RSECRET: 'secret', BID: 'acme.bsky.social', BPW: 'pw', YT: 'key', TP: 'key' };

it('every adapter reads its sample; the AC123 incident, Vietnamese reviews and noise are there; a second pass is empty', async () => {
  const now = new Date(routes.now);
  const state = new Map();
  const cursors = new Map<string, SourceCursor>();
  const all: Mention[] = [];
  let noise = 0;
  for (const source of sources()) {
    const result = await pollSource({ ...pollContext(source, { env, state, now }), brand });
    expect({ source: source.id, errors: result.errors }).toEqual({ source: source.id, errors: [] });
    expect({ source: source.id, relevant: result.relevant > 0 }).toEqual({ source: source.id, relevant: true });
    all.push(...result.mentions);
    noise += result.noise;
    cursors.set(source.id, result.nextCursor);
  }
  const incident = all.filter((m) => /AC123/.test(m.text) && /refund|lost|bag|hành lý/i.test(m.text));
  expect(new Set(incident.map((m) => m.kind)).size).toBeGreaterThanOrEqual(5);
  expect(incident.length).toBeGreaterThanOrEqual(6);
  expect(all.filter((m) => m.country === 'vn').length).toBeGreaterThanOrEqual(3);
  expect(all.some((m) => /museum|coyote/i.test(m.text))).toBe(false);
  expect(noise).toBeGreaterThanOrEqual(5);
  expect(new Set(all.map((m) => `${m.sourceId}#${m.id}`)).size).toBe(all.length);

  for (const source of sources()) {
    const again = await pollSource({
      ...pollContext(source, { env, state, now, cursor: cursors.get(source.id)! }),
      brand,
    });
    expect({ source: source.id, mentions: again.mentions, errors: again.errors }).toEqual({
      source: source.id,
      mentions: [],
      errors: [],
    });
  }
});

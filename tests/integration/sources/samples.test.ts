import { brandSchema, type SourceConfig } from '../../../lambdas/config/schema';
import { pollSamplesTwice, serveSamples } from '../../helpers/samples';
import { sourceConfig } from './server';

/** The hand-written demo samples parse with every adapter and tell the intended story. */

const brand = brandSchema.parse({
  id: 'acme',
  name: 'Acme',
  keywords: ['acme', 'acme air'],
  exclude: ['acme museum', 'wile e. coyote', 'road runner'],
});

const server = serveSamples();

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
  const { all, noise } = await pollSamplesTwice(sources(), { brand, env, minRelevant: 0 });
  const incident = all.filter((m) => /AC123/.test(m.text) && /refund|lost|bag|hành lý/i.test(m.text));
  expect(new Set(incident.map((m) => m.kind)).size).toBeGreaterThanOrEqual(5);
  expect(incident.length).toBeGreaterThanOrEqual(6);
  expect(all.filter((m) => m.country === 'vn').length).toBeGreaterThanOrEqual(3);
  expect(all.some((m) => /museum|coyote/i.test(m.text))).toBe(false);
  expect(noise).toBeGreaterThanOrEqual(5);
  expect(new Set(all.map((m) => `${m.sourceId}#${m.id}`)).size).toBe(all.length);
});

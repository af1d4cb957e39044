import { brandSchema, type SourceConfig } from '../../../lambdas/config/schema';
import { pollSamplesTwice, serveSamples } from '../../helpers/samples';
import { sourceConfig } from './server';

/** The Vietnamese social, review, forum and news samples (Bếp Hồng, fictional) read with their adapters. */

const brand = brandSchema.parse({ id: 'bephong', name: 'Bếp Hồng', keywords: ['bếp hồng', 'bep hong', 'bephong'] });

const env = {
  FB_TOKEN: 'demo-page-token',
  G_CLIENT: 'demo-client',
  G_SECRET: 'demo-secret',
  G_REFRESH: 'demo-refresh',
  G_KEY: 'demo-places-key',
  TT_TOKEN: 'demo-tiktok-token',
  LZ_SECRET: 'demo-app-secret',
  LZ_TOKEN: 'demo-seller-token',
};

const server = serveSamples();

function sources(): SourceConfig[] {
  const local = { baseUrl: server.url, brand: 'bephong' };
  return [
    sourceConfig({
      id: 'bephong-fb',
      kind: 'facebook',
      ...local,
      pageId: '104000000000777',
      accessTokenEnv: 'FB_TOKEN',
    }),
    sourceConfig({
      id: 'bephong-google',
      kind: 'googlereviews',
      ...local,
      authUrl: server.url,
      placesUrl: server.url,
      accountId: '1000001',
      locationIds: ['2000001'],
      clientIdEnv: 'G_CLIENT',
      clientSecretEnv: 'G_SECRET',
      refreshTokenEnv: 'G_REFRESH',
      placeIds: ['ChIJbephongQ1showroom01'],
      apiKeyEnv: 'G_KEY',
    }),
    sourceConfig({
      id: 'bephong-tiktok',
      kind: 'tiktok',
      ...local,
      businessId: 'biz-bephong',
      appId: '7000000000000000055',
      username: 'bephong.official',
      accessTokenEnv: 'TT_TOKEN',
    }),
    sourceConfig({
      id: 'bephong-lazada',
      kind: 'lazada',
      ...local,
      appKey: '100001',
      itemIds: ['3500000001'],
      appSecretEnv: 'LZ_SECRET',
      accessTokenEnv: 'LZ_TOKEN',
    }),
    sourceConfig({ id: 'bephong-voz', kind: 'xenforo', ...local, url: 'https://voz.vn/f/do-gia-dung.42/index.rss' }),
    sourceConfig({
      id: 'bephong-vnexpress',
      kind: 'vnexpress',
      ...local,
      acknowledgeFragile: true,
      feeds: ['https://vnexpress.net/rss/kinh-doanh.rss'],
    }),
  ];
}

it('each sample reads without errors, tells the BH-55 story, keeps the brand replies, and a second pass is empty', async () => {
  const { all, notes } = await pollSamplesTwice(sources(), { brand, env, minRelevant: 1 });
  const story = all.filter((m) => /chống dính|tróc/i.test(m.text) && /bảo hành|hoàn tiền|trả lời/i.test(m.text));
  expect(new Set(story.map((m) => m.kind))).toEqual(new Set(sources().map((s) => s.kind)));
  // The brand's own answers are replies, never mentions.
  expect(all.some((m) => /^Dạ (shop|Bếp Hồng)/.test(m.text))).toBe(false);
  expect(
    all
      .filter((m) => m.reply)
      .map((m) => m.kind)
      .sort(),
  ).toEqual(['facebook', 'googlereviews', 'lazada', 'tiktok']);
  // Noise: the forum thread about air purifiers and the gold-price article do not name the brand.
  expect(all.some((m) => /máy lọc không khí|vàng miếng/i.test(m.text))).toBe(false);
  // The Google sample: the translated praise keeps its original words; the sampler says it is one.
  expect(all.find((m) => /BH-30/.test(m.text) && m.kind === 'googlereviews')?.text).not.toMatch(/Translated/);
  expect(notes['bephong-google']).toMatch(/^sample: .*Bếp Hồng Showroom Quận 1 4\.1★ of 212/);
  expect(new Set(all.map((m) => `${m.sourceId}#${m.id}`)).size).toBe(all.length);
});

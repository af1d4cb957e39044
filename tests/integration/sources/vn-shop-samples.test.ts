import { brandSchema, type SourceConfig } from '../../../lambdas/config/schema';
import { pollSamplesTwice, serveSamples } from '../../helpers/samples';
import { sourceConfig } from './server';

/** The Vietnamese marketplace and review samples (Bếp Hồng, a fictional brand) parse with their adapters. */

const brand = brandSchema.parse({ id: 'bephong', name: 'Bếp Hồng', keywords: ['bếp hồng', 'bep hong', 'bephong'] });

const env = { SHOPEE_KEY: 'demo-partner-key', SHOPEE_TOKEN: 'demo-shop-token' };

const server = serveSamples();

function sources(): SourceConfig[] {
  const local = { baseUrl: server.url, brand: 'bephong' };
  return [
    sourceConfig({ id: 'bephong-tiki', kind: 'tiki', ...local, productIds: ['277596001'], acknowledgeFragile: true }),
    sourceConfig({
      id: 'bephong-shopee',
      kind: 'shopee',
      ...local,
      partnerId: 2001234,
      shopId: 880001,
      partnerKeyEnv: 'SHOPEE_KEY',
      accessTokenEnv: 'SHOPEE_TOKEN',
    }),
  ];
}

it('each sample reads without errors, tells the BH-55 story in Vietnamese, and a second pass is empty', async () => {
  const { all } = await pollSamplesTwice(sources(), { brand, env, minRelevant: 1 });
  const incident = all.filter((m) => /chống dính|tróc/i.test(m.text) && /bảo hành|hoàn tiền|trả lời/i.test(m.text));
  expect(new Set(incident.map((m) => m.kind))).toEqual(new Set(sources().map((s) => s.kind)));
  expect(all.every((m) => m.rating !== undefined && m.language === 'vi')).toBe(true);
  expect(all.some((m) => (m.rating ?? 0) >= 4)).toBe(true);
  expect(all.filter((m) => m.reply).map((m) => m.kind)).toContain('shopee');
});

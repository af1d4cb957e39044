import { parseConfig } from '../../lambdas/config/load';
import { ingestRoutes, nagFindings, pollSchedules, secretReads, synthStack } from '../helpers/synth';

/** Marketplace and review pollers in the stack: a schedule per source, and the poll Lambda reads their secrets. */

const config = parseConfig({
  brands: [{ id: 'bephong', name: 'Bếp Hồng', keywords: ['bếp hồng', 'bep hong'] }],
  sources: [
    {
      id: 'bephong-tiki',
      kind: 'tiki',
      brand: 'bephong',
      productIds: ['277596001', 277596002],
      acknowledgeFragile: true,
      schedule: 'rate(1 hour)',
      guestTokenSecret: 'ssm:/earshot/tiki-guest-token',
    },
    {
      id: 'bephong-shopee',
      kind: 'shopee',
      brand: 'bephong',
      partnerId: 2001234,
      shopId: '880001',
      partnerKeySecret: 'earshot/shopee-partner-key',
      accessTokenSecret: 'earshot/shopee-shop-token',
    },
    {
      id: 'bephong-lazada',
      kind: 'lazada',
      brand: 'bephong',
      appKey: '100001',
      itemIds: ['3500000001'],
      schedule: 'rate(30 minutes)',
      appSecretSecret: 'earshot/lazada-app-secret',
      accessTokenSecret: 'ssm:/earshot/lazada-token',
    },
  ],
});

const built = synthStack(config);
const { app, template } = built;

test('each marketplace and review source gets its own poll schedule', () => {
  expect(pollSchedules(template)).toEqual([
    ['bephong-lazada', 'rate(30 minutes)'],
    ['bephong-shopee', 'rate(15 minutes)'],
    ['bephong-tiki', 'rate(1 hour)'],
  ]);
});

test('the poll Lambda reads exactly the secrets these sources name; no webhook route is made for them', () => {
  const secrets = secretReads(template);
  expect(secrets).toContain(':parameter/earshot/tiki-guest-token');
  expect(secrets).toContain('earshot/shopee-partner-key-??????');
  expect(secrets).toContain('earshot/shopee-shop-token-??????');
  expect(secrets).toContain('earshot/lazada-app-secret-??????');
  expect(secrets).toContain(':parameter/earshot/lazada-token');
  expect(ingestRoutes(template)).toEqual([]);
});

test('cdk-nag finds nothing unacknowledged', () => {
  expect(() => app.synth()).not.toThrow();
  expect(nagFindings(built)).toEqual([]);
});

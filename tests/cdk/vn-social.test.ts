import { parseConfig } from '../../lambdas/config/load';
import { ingestRoutes, pollSchedules, secretReads, synthStack } from '../helpers/synth';

/** Forum, TikTok and news pollers in the stack: a schedule each, and the poll Lambda reads exactly their secrets. */

const config = parseConfig({
  brands: [{ id: 'lotus', name: 'Lotus Mart', keywords: ['lotus mart'] }],
  sources: [
    {
      id: 'lotus-voz',
      kind: 'xenforo',
      brand: 'lotus',
      url: 'https://voz.vn/f/diem-bao.33/index.rss',
      schedule: 'rate(20 minutes)',
    },
    {
      id: 'lotus-tiktok',
      kind: 'tiktok',
      brand: 'lotus',
      businessId: 'biz-1',
      appId: '7000000000000000001',
      accessTokenSecret: 'earshot/tiktok-access',
      refreshTokenSecret: 'earshot/tiktok-refresh',
      appSecretSecret: 'ssm:/earshot/tiktok-app-secret',
      schedule: 'rate(30 minutes)',
    },
  ],
});

test('each new poller gets its schedule, and the poll Lambda may read the TikTok secrets', () => {
  const t = synthStack(config).template;
  expect(pollSchedules(t)).toEqual(
    [
      ['lotus-tiktok', 'rate(30 minutes)'],
      ['lotus-voz', 'rate(20 minutes)'],
    ].sort(),
  );
  const secrets = secretReads(t);
  expect(secrets).toContain('earshot/tiktok-access-??????');
  expect(secrets).toContain('earshot/tiktok-refresh-??????');
  expect(secrets).toContain(':parameter/earshot/tiktok-app-secret');
  // No webhook route: none of these sources is pushed.
  expect(ingestRoutes(t)).toEqual([]);
});

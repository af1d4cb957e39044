import { parseConfig } from '../../lambdas/config/load';
import { ingestRoutes, nagFindings, pollSchedules, secretReads, synthStack } from '../helpers/synth';

/** Google reviews and news-comment pollers in the stack: a schedule per source, the poll Lambda reads their secrets. */

const config = parseConfig({
  brands: [{ id: 'bephong', name: 'Bếp Hồng', keywords: ['bếp hồng', 'bep hong'] }],
  sources: [
    {
      id: 'bephong-google',
      kind: 'googlereviews',
      brand: 'bephong',
      accountId: '1000001',
      locationIds: ['2000001', '2000002'],
      schedule: 'rate(30 minutes)',
      clientIdSecret: 'earshot/google-oauth-client-id',
      clientSecretSecret: 'earshot/google-oauth-client-secret',
      refreshTokenSecret: 'ssm:/earshot/google-refresh-token',
    },
    {
      id: 'bephong-places',
      kind: 'googlereviews',
      brand: 'bephong',
      placeIds: ['ChIJbephong-q1-0001'],
      schedule: 'rate(6 hours)',
      apiKeySecret: 'ssm:/earshot/places-api-key',
    },
    {
      id: 'bephong-vnexpress',
      kind: 'vnexpress',
      brand: 'bephong',
      acknowledgeFragile: true,
      feeds: ['https://vnexpress.net/rss/kinh-doanh.rss'],
      articleIds: ['4800001'],
      schedule: 'rate(1 hour)',
    },
  ],
});

const built = synthStack(config);
const { app, template } = built;

test('each review and news source gets its own poll schedule', () => {
  expect(pollSchedules(template)).toEqual([
    ['bephong-google', 'rate(30 minutes)'],
    ['bephong-places', 'rate(6 hours)'],
    ['bephong-vnexpress', 'rate(1 hour)'],
  ]);
});

test('the poll Lambda reads exactly the secrets these sources name; no webhook route is made for them', () => {
  const secrets = secretReads(template);
  expect(secrets).toContain('earshot/google-oauth-client-id-??????');
  expect(secrets).toContain('earshot/google-oauth-client-secret-??????');
  expect(secrets).toContain(':parameter/earshot/google-refresh-token');
  expect(secrets).toContain(':parameter/earshot/places-api-key');
  // Exactly those four: vnexpress needs none.
  expect(secrets.match(/earshot\/(google|places)[\w-]*/g)?.length).toBe(4);
  expect(ingestRoutes(template)).toEqual([]);
});

test('cdk-nag finds nothing unacknowledged', () => {
  expect(() => app.synth()).not.toThrow();
  expect(nagFindings(built)).toEqual([]);
});

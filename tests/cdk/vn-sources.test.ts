import { parseConfig } from '../../lambdas/config/load';
import { ingestRoutes, nagFindings, pollSchedules, secretReads, synthStack } from '../helpers/synth';

/** The Vietnamese channels in the stack: a schedule per polled source, the webhook routes and their secrets. */

const config = parseConfig({
  brands: [{ id: 'lotus', name: 'Lotus Mart', keywords: ['lotus mart'] }],
  sources: [
    {
      id: 'lotus-fb',
      kind: 'facebook',
      brand: 'lotus',
      pageId: '104000000000001',
      schedule: 'rate(10 minutes)',
      accessTokenSecret: 'earshot/fb-page-token',
      appSecretSecret: 'earshot/fb-app-secret',
      verifyTokenSecret: 'ssm:/earshot/fb-verify-token',
    },
    {
      id: 'lotus-zalo',
      kind: 'zalo',
      brand: 'lotus',
      oaId: '43180001',
      appId: '12345',
      oaSecretKeySecret: 'earshot/zalo-oa-key',
    },
    {
      id: 'lotus-zalo-poll',
      kind: 'zalo',
      brand: 'lotus',
      oaId: '43180002',
      appId: '12345',
      oaSecretKeySecret: 'earshot/zalo-oa-key',
      pollRecentChats: true,
      accessTokenSecret: 'earshot/zalo-token',
      schedule: 'rate(30 minutes)',
    },
  ],
});

const built = synthStack(config);
const t = built.template;

test('polled sources get their schedules; a push-only Zalo OA gets none', () => {
  expect(pollSchedules(t)).toEqual([
    ['lotus-fb', 'rate(10 minutes)'],
    ['lotus-zalo-poll', 'rate(30 minutes)'],
  ]);
});

test('the webhook route takes the Facebook GET handshake and POSTs; each Lambda reads only the secrets it needs', () => {
  expect(ingestRoutes(t)).toEqual(expect.arrayContaining(['GET /ingest/{sourceId}', 'POST /ingest/{sourceId}']));
  const webhook = secretReads(t, 'IngestionWebhook');
  expect(webhook).toContain('earshot/fb-app-secret-??????');
  expect(webhook).toContain(':parameter/earshot/fb-verify-token');
  expect(webhook).toContain('earshot/zalo-oa-key-??????');
  // The Page and OA access tokens are polling credentials: the public webhook Lambda never reads them.
  expect(webhook).not.toMatch(/fb-page-token|zalo-token/);
  const poll = secretReads(t);
  expect(poll).toContain('earshot/fb-page-token-??????');
  expect(poll).toContain('earshot/zalo-token-??????');
});

test('cdk-nag finds nothing unacknowledged with the new routes', () => {
  expect(() => built.app.synth()).not.toThrow();
  expect(nagFindings(built)).toEqual([]);
});

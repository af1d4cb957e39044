import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../../lambdas/config/load';
import { createEarshotApp } from '../../lib/earshot-app';

/** Forum, TikTok and news pollers in the stack: a schedule each, and the poll Lambda reads exactly their secrets. */

const ENV = { account: '123456789012', region: 'ap-southeast-1' };
const NO_BUNDLING = { context: { 'aws:cdk:bundling-stacks': [] } };

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

type Statement = { Action: string | string[]; Resource: unknown };

test('each new poller gets its schedule, and the poll Lambda may read the TikTok secrets', () => {
  const t = Template.fromStack(createEarshotApp(config, { env: ENV, appProps: NO_BUNDLING }).stack);
  const schedules = Object.values(t.findResources('AWS::Scheduler::Schedule')).map((s) => s.Properties);
  const polled = schedules.filter((s) => String(s.Description).startsWith('Earshot: poll'));
  expect(polled.map((s) => [JSON.parse(s.Target.Input).sourceId, s.ScheduleExpression]).sort()).toEqual(
    [
      ['lotus-tiktok', 'rate(30 minutes)'],
      ['lotus-voz', 'rate(20 minutes)'],
    ].sort(),
  );
  const fns = Object.entries(t.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith('IngestionPoll'));
  expect(fns).toHaveLength(1);
  const roleId = fns[0][1].Properties.Role['Fn::GetAtt'][0] as string;
  const statements = Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  const secrets = statements
    .filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:') || a.startsWith('ssm:')))
    .map((s) => JSON.stringify(s.Resource))
    .join();
  expect(secrets).toContain('earshot/tiktok-access-??????');
  expect(secrets).toContain('earshot/tiktok-refresh-??????');
  expect(secrets).toContain(':parameter/earshot/tiktok-app-secret');
  // No webhook route: none of these sources is pushed.
  const routes = Object.values(t.findResources('AWS::ApiGatewayV2::Route')).map((r) => String(r.Properties.RouteKey));
  expect(routes.filter((key) => key.includes('/ingest/'))).toEqual([]);
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../../lambdas/config/load';
import { createEarshotApp } from '../../lib/earshot-app';

/** Google reviews and news-comment pollers in the stack: a schedule per source, the poll Lambda reads their secrets. */

const ENV = { account: '123456789012', region: 'ap-southeast-1' };
const NO_BUNDLING = { context: { 'aws:cdk:bundling-stacks': [] } };

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

type Statement = { Action: string | string[]; Resource: unknown };

function pollStatements(t: Template): Statement[] {
  const fns = Object.entries(t.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith('IngestionPoll'));
  expect(fns).toHaveLength(1);
  const roleId = fns[0][1].Properties.Role['Fn::GetAtt'][0] as string;
  return Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

const { app, stack, nag } = createEarshotApp(config, {
  env: ENV,
  appProps: { ...NO_BUNDLING, outdir: mkdtempSync(path.join(tmpdir(), 'earshot-vnreviews-')) },
});
const template = Template.fromStack(stack);

test('each review and news source gets its own poll schedule', () => {
  const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((s) => s.Properties);
  const polled = schedules.filter((s) => String(s.Description).startsWith('Earshot: poll'));
  expect(polled.map((s) => [JSON.parse(s.Target.Input).sourceId, s.ScheduleExpression]).sort()).toEqual([
    ['bephong-google', 'rate(30 minutes)'],
    ['bephong-places', 'rate(6 hours)'],
    ['bephong-vnexpress', 'rate(1 hour)'],
  ]);
});

test('the poll Lambda reads exactly the secrets these sources name; no webhook route is made for them', () => {
  const secrets = pollStatements(template)
    .filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:') || a.startsWith('ssm:')))
    .map((s) => JSON.stringify(s.Resource))
    .join();
  expect(secrets).toContain('earshot/google-oauth-client-id-??????');
  expect(secrets).toContain('earshot/google-oauth-client-secret-??????');
  expect(secrets).toContain(':parameter/earshot/google-refresh-token');
  expect(secrets).toContain(':parameter/earshot/places-api-key');
  // Exactly those four: vnexpress needs none.
  expect(secrets.match(/earshot\/(google|places)[\w-]*/g)?.length).toBe(4);
  const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
  expect(routes.filter((key) => String(key).includes('/ingest/'))).toEqual([]);
});

test('cdk-nag finds nothing unacknowledged', () => {
  expect(() => app.synth()).not.toThrow();
  const report = nag.validateScope(app);
  expect(
    report.violations.map(
      (v) => `${v.ruleName} ${JSON.stringify(v.violatingResources.map((r) => r.resourceLogicalId))}`,
    ),
  ).toEqual([]);
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../../lambdas/config/load';
import { createEarshotApp } from '../../lib/earshot-app';

/** The Vietnamese channels in the stack: a schedule per polled source, the webhook routes and their secrets. */

const ENV = { account: '123456789012', region: 'ap-southeast-1' };
const NO_BUNDLING = { context: { 'aws:cdk:bundling-stacks': [] } };

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

type Statement = { Action: string | string[]; Resource: unknown };

function statementsOf(t: Template, prefix: string): Statement[] {
  const fns = Object.entries(t.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith(prefix));
  expect(fns).toHaveLength(1);
  const roleId = fns[0][1].Properties.Role['Fn::GetAtt'][0] as string;
  return Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

const secretsOf = (statements: Statement[]) =>
  statements
    .filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:') || a.startsWith('ssm:')))
    .map((s) => JSON.stringify(s.Resource))
    .join();

test('polled sources get their schedules; a push-only Zalo OA gets none', () => {
  const t = Template.fromStack(createEarshotApp(config, { env: ENV, appProps: NO_BUNDLING }).stack);
  const schedules = Object.values(t.findResources('AWS::Scheduler::Schedule')).map((s) => s.Properties);
  const polled = schedules.filter((s) => String(s.Description).startsWith('Earshot: poll'));
  expect(polled.map((s) => [JSON.parse(s.Target.Input).sourceId, s.ScheduleExpression]).sort()).toEqual([
    ['lotus-fb', 'rate(10 minutes)'],
    ['lotus-zalo-poll', 'rate(30 minutes)'],
  ]);
});

test('the webhook route takes the Facebook GET handshake and POSTs; each Lambda reads only the secrets it needs', () => {
  const t = Template.fromStack(createEarshotApp(config, { env: ENV, appProps: NO_BUNDLING }).stack);
  const routes = Object.values(t.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
  expect(routes).toEqual(expect.arrayContaining(['GET /ingest/{sourceId}', 'POST /ingest/{sourceId}']));
  const webhook = secretsOf(statementsOf(t, 'IngestionWebhook'));
  expect(webhook).toContain('earshot/fb-app-secret-??????');
  expect(webhook).toContain(':parameter/earshot/fb-verify-token');
  expect(webhook).toContain('earshot/zalo-oa-key-??????');
  // The Page and OA access tokens are polling credentials: the public webhook Lambda never reads them.
  expect(webhook).not.toMatch(/fb-page-token|zalo-token/);
  const poll = secretsOf(statementsOf(t, 'IngestionPoll'));
  expect(poll).toContain('earshot/fb-page-token-??????');
  expect(poll).toContain('earshot/zalo-token-??????');
});

test('cdk-nag finds nothing unacknowledged with the new routes', () => {
  const { app, nag } = createEarshotApp(config, {
    env: ENV,
    appProps: { ...NO_BUNDLING, outdir: mkdtempSync(path.join(tmpdir(), 'earshot-vn-')) },
  });
  expect(() => app.synth()).not.toThrow();
  const report = nag.validateScope(app);
  expect(
    report.violations.map(
      (v) => `${v.ruleName} ${JSON.stringify(v.violatingResources.map((r) => r.resourceLogicalId))}`,
    ),
  ).toEqual([]);
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { EarshotConfig } from '../../lambdas/config/schema';
import { createEarshotApp, type EarshotApp } from '../../lib/earshot-app';

/**
 * The set-up the CDK tests of source kinds share: the stack for a config, synthesised for real (no bundling) into a
 * scratch folder, and what they read of it: poll schedules, the secrets a function may read, webhook routes, and
 * cdk-nag's findings.
 */

export const TEST_ENV = { account: '123456789012', region: 'ap-southeast-1' };

export interface SynthesisedStack extends EarshotApp {
  template: Template;
}

export function synthStack(config: EarshotConfig): SynthesisedStack {
  const built = createEarshotApp(config, {
    env: TEST_ENV,
    appProps: {
      context: { 'aws:cdk:bundling-stacks': [] },
      outdir: mkdtempSync(path.join(tmpdir(), 'earshot-cdk-')),
    },
  });
  return { ...built, template: Template.fromStack(built.stack) };
}

/** `[sourceId, schedule expression]` of every poll schedule, sorted. */
export function pollSchedules(template: Template): [string, string][] {
  return Object.values(template.findResources('AWS::Scheduler::Schedule'))
    .map((s) => s.Properties)
    .filter((s) => String(s.Description).startsWith('Earshot: poll'))
    .map((s): [string, string] => [JSON.parse(s.Target.Input).sourceId, s.ScheduleExpression])
    .sort();
}

export type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Sid?: string };

/** The IAM statements attached to the role of the one function whose logical id starts with `prefix`. */
export function functionStatements(template: Template, prefix: string): Statement[] {
  const fns = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith(prefix));
  expect(fns).toHaveLength(1);
  const roleId = fns[0][1].Properties.Role['Fn::GetAtt'][0] as string;
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

/** The Secrets Manager secrets and SSM parameters that function may read, as one string to match names in. */
export function secretReads(template: Template, prefix = 'IngestionPoll'): string {
  return functionStatements(template, prefix)
    .filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:') || a.startsWith('ssm:')))
    .map((s) => JSON.stringify(s.Resource))
    .join();
}

/** The API routes that push to a source (`… /ingest/{sourceId}`). */
export function ingestRoutes(template: Template): string[] {
  return Object.values(template.findResources('AWS::ApiGatewayV2::Route'))
    .map((r) => String(r.Properties.RouteKey))
    .filter((key) => key.includes('/ingest/'));
}

/** cdk-nag's findings on the synthesised app, one line each (rule and resources): none may be unacknowledged. */
export function nagFindings({ app, nag }: EarshotApp): string[] {
  return nag
    .validateScope(app)
    .violations.map((v) => `${v.ruleName} ${JSON.stringify(v.violatingResources.map((r) => r.resourceLogicalId))}`);
}

import type * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { SinkConfig, SourceConfig } from '../lambdas/config/schema';

/** Every Secrets Manager name or `ssm:/path` that a source names in one of its `…Secret` fields, in order, once. */
export function secretNamesOf(sources: readonly SourceConfig[]): string[] {
  const names = new Set<string>();
  for (const source of sources) {
    for (const [field, value] of Object.entries(source)) {
      if (field.endsWith('Secret') && typeof value === 'string') names.add(value);
    }
  }
  return [...names];
}

/**
 * The `…Env` credential fields of a source with no `…Secret` twin. Such a credential is read from an environment
 * variable of the local run; the stack sets no such variable, so on AWS the source could never authenticate.
 */
export function localOnlyCredentials(source: SourceConfig): string[] {
  const fields = source as Record<string, unknown>;
  return Object.keys(fields).filter(
    (field) =>
      field.endsWith('Env') && typeof fields[field] === 'string' && fields[`${field.slice(0, -3)}Secret`] === undefined,
  );
}

/** Every Secrets Manager name or `ssm:/path` that holds an alert webhook URL (`{ webhookSecret: … }` sinks), once. */
export function webhookSecretNamesOf(sinks: readonly SinkConfig[]): string[] {
  const names = sinks.flatMap((sink) =>
    typeof sink === 'object' && 'webhookSecret' in sink ? [sink.webhookSecret] : [],
  );
  return [...new Set(names)];
}

/**
 * Read access to exactly the named secrets: Secrets Manager secrets by name (the ARN ends in the random
 * 6-character suffix Secrets Manager adds, matched as `-??????`) and SSM SecureString parameters by path.
 * Nothing is created: the secrets are made and rotated outside the stack.
 */
export class SourceSecrets extends Construct {
  private readonly secrets: secretsmanager.ISecret[] = [];
  private readonly parameters: ssm.IStringParameter[] = [];

  constructor(scope: Construct, id: string, names: readonly string[]) {
    super(scope, id);
    for (const name of names) {
      const constructId = name.replace(/[^A-Za-z0-9]+/g, '-');
      if (name.startsWith('ssm:')) {
        this.parameters.push(
          ssm.StringParameter.fromSecureStringParameterAttributes(this, `Parameter-${constructId}`, {
            parameterName: name.slice('ssm:'.length),
          }),
        );
      } else {
        this.secrets.push(secretsmanager.Secret.fromSecretNameV2(this, `Secret-${constructId}`, name));
      }
    }
  }

  get count(): number {
    return this.secrets.length + this.parameters.length;
  }

  grantRead(grantee: iam.IGrantable): void {
    for (const secret of this.secrets) secret.grantRead(grantee);
    for (const parameter of this.parameters) parameter.grantRead(grantee);
  }
}

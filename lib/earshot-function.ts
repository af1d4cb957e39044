import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEPLOYED_CONFIG_FILE, deployedConfig, ENV, type HandlerName } from '../lambdas/config/env';
import type { EarshotConfig } from '../lambdas/config/schema';
import { BUNDLED_VOCABULARY_DIR, vocabularyFiles } from '../lambdas/core/analysis/other-languages';
import { LAMBDA_BUNDLING, LAMBDA_NODE_OPTIONS } from './lambda-bundling';

/** Repository root: entries, the lock file and tsconfig resolve from here whatever the working directory. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** The newest Node.js runtime this aws-cdk-lib offers (cdk-nag AwsSolutions-L1 wants the latest). */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** Service name for Powertools logs and metrics; also the `service` dimension of every custom metric. */
export const SERVICE_NAME = 'earshot';
/** CloudWatch namespace of the custom metrics the handlers emit. */
export const METRICS_NAMESPACE = 'Earshot';

/** Memory and timeout per handler: analysis is CPU-bound (more memory = more CPU), polling waits on the network. */
const SIZING: Record<HandlerName, { memorySize: number; timeout: Duration }> = {
  poll: { memorySize: 512, timeout: Duration.minutes(5) },
  analyze: { memorySize: 1024, timeout: Duration.seconds(60) },
  alert: { memorySize: 512, timeout: Duration.seconds(60) },
  escalate: { memorySize: 256, timeout: Duration.seconds(60) },
  'triage-api': { memorySize: 256, timeout: Duration.seconds(10) },
  webhook: { memorySize: 256, timeout: Duration.seconds(10) },
};

/** Steady requests per second and burst of each HTTP API stage (webhook ingestion, triage). */
export const API_RATE_LIMIT = 20;
export const API_BURST_LIMIT = 20;

/**
 * Reserved concurrency of every function, with the reason for its value (the README's "Reserved concurrency"
 * table repeats them). Reserving caps each function, so a burst in one cannot take the account's concurrency
 * from the others, and guarantees it that much. The total is 66 with the default analyze value: accounts keep
 * at least 100 unreserved, so the account limit must be at least 166 (new accounts may start at 10).
 */
export const RESERVED_CONCURRENCY: Record<HandlerName, { value: (config: EarshotConfig) => number; reason: string }> = {
  poll: {
    value: () => 10,
    reason:
      'Each schedule invokes one poll per source. Ten at once bound the outbound requests and table writes; a throttled scheduled (asynchronous) invocation waits in Lambda’s queue and runs later.',
  },
  webhook: {
    value: () => API_BURST_LIMIT,
    reason:
      'Equal to the webhook stage’s burst limit, so API Gateway’s throttle (429, which senders retry) binds before the function’s.',
  },
  analyze: {
    value: (config) => config.deploy.analyzeReservedConcurrency,
    reason:
      'deploy.analyzeReservedConcurrency (default 5): a backlog cannot exhaust the account or hammer the table; the queue’s event source scales to the same number, so it never invokes into throttles.',
  },
  alert: {
    value: () => 10,
    reason:
      'The stream mapping runs one batch per shard at a time (parallelizationFactor 1, which keeps a brand’s alerts in order); ten cover ten shards, far more than Earshot’s write rate opens, and a throttled batch is retried, not lost.',
  },
  escalate: {
    value: () => 1,
    reason:
      'One sweep at a time: a retry overlapping the scheduled run would read the same unacknowledged alerts and could escalate them twice.',
  },
  'triage-api': {
    value: () => API_BURST_LIMIT,
    reason: 'Equal to the triage stage’s burst limit, so API Gateway throttles (429) before the function does.',
  },
};

export function handlerTimeout(handler: HandlerName): Duration {
  return SIZING[handler].timeout;
}

export interface EarshotFunctionProps {
  handler: HandlerName;
  /** The validated config; the function gets the parts it reads (secrets appear only as names). */
  config: EarshotConfig;
  logRetentionDays: number;
  /** Extra environment; use the ENV constants for names. */
  environment?: Record<string, string>;
  /** For functions invoked asynchronously (by EventBridge Scheduler): where an invocation that failed for good goes. */
  asyncInvoke?: { onFailure: sqs.IQueue; retryAttempts: number; maxEventAge: Duration };
  removalPolicy?: RemovalPolicy;
}

/**
 * One Lambda handler from lambdas/handlers, bundled locally with esbuild (no Docker), on arm64 and the newest
 * Node runtime, with its own log group and its own role. The role starts with write access to that log group
 * only (no AWSLambdaBasicExecutionRole managed policy); every other permission is granted explicitly.
 */
export class EarshotFunction extends Construct {
  readonly handler: HandlerName;
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: EarshotFunctionProps) {
    super(scope, id);
    this.handler = props.handler;
    const { memorySize, timeout } = SIZING[props.handler];

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: toRetention(props.logRetentionDays),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Earshot ${props.handler} function`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, 'lambdas', 'handlers', `${props.handler}.ts`),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: NODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize,
      timeout,
      role: this.role,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: RESERVED_CONCURRENCY[props.handler].value(props.config),
      // X-Ray active tracing is switchable (deploy.tracing); when on, CDK grants xray:Put* on "*" (X-Ray has no
      // resource-level permissions), acknowledged in lib/earshot-stack.ts.
      tracing: props.config.deploy.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      ...(props.asyncInvoke
        ? {
            onFailure: new SqsDestination(props.asyncInvoke.onFailure),
            retryAttempts: props.asyncInvoke.retryAttempts,
            maxEventAge: props.asyncInvoke.maxEventAge,
          }
        : {}),
      environment: {
        [ENV.SERVICE_NAME]: SERVICE_NAME,
        [ENV.METRICS_NAMESPACE]: METRICS_NAMESPACE,
        NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
        ...props.environment,
      },
      bundling: {
        ...LAMBDA_BUNDLING,
        externalModules: [...LAMBDA_BUNDLING.externalModules],
        forceDockerBundling: false,
        // Files that travel beside the bundle: the function's part of the config (read once at cold start; no 4 KB
        // environment ceiling), and for analyze natural's vocabularies for Spanish, French, German… (read on first
        // use, so the JS bundle and its cold start stay small).
        commandHooks: bundledFiles(props.handler, deployedConfig(props.config, props.handler)),
      },
    });
  }
}

const NATURAL_SENTIMENT_DIR = path.join(PROJECT_ROOT, 'node_modules', 'natural', 'lib', 'natural', 'sentiment');

function bundledFiles(handler: HandlerName, config: Partial<EarshotConfig>): nodejs.ICommandHooks {
  // Written at synth time under a name that is its content hash; the bundle's asset hash covers the copy.
  const json = JSON.stringify(config);
  const staged = path.join(os.tmpdir(), `earshot-config-${createHash('sha256').update(json).digest('hex')}.json`);
  writeFileSync(staged, json);
  return {
    // The analysis tables the bundle imports are written by the build; write them again (a no-op when current),
    // so a synth never bundles tables older than the sources they are built from.
    beforeBundling: () =>
      handler === 'analyze' ? [`node "${path.join(PROJECT_ROOT, 'scripts', 'generate-tables.js')}"`] : [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) => [
      `cp "${staged}" "${path.join(outputDir, DEPLOYED_CONFIG_FILE)}"`,
      ...(handler === 'analyze' ? vocabularyFiles() : []).map((file) => {
        const target = path.join(outputDir, BUNDLED_VOCABULARY_DIR, file);
        return `mkdir -p "${path.dirname(target)}" && cp "${path.join(NATURAL_SENTIMENT_DIR, file)}" "${target}"`;
      }),
    ],
  };
}

/** CloudWatch accepts only certain retention periods: round up to the nearest allowed one. */
export function toRetention(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays)
    .filter((value): value is number => typeof value === 'number' && value > 0)
    .sort((a, b) => a - b);
  const match = allowed.find((value) => value >= days) ?? allowed[allowed.length - 1];
  return match as logs.RetentionDays;
}

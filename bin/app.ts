import { App } from 'aws-cdk-lib';
import { EarshotError } from '../lambdas/core/errors';
import { loadConfig } from '../lambdas/config/load';
import { createEarshotApp, DEFAULT_STACK_NAME } from '../lib/earshot-app';

/**
 * `cdk synth` / `cdk deploy` entry (cdk.json runs it through bin/cdk-app.js). The config file comes from
 * `-c config=path` or the `earshot:config` context in cdk.json; an invalid config stops here with the
 * field-by-field message of its ConfigError.
 */
function main(): void {
  const app = new App();
  const configPath: unknown = app.node.tryGetContext('config') ?? app.node.tryGetContext('earshot:config');
  if (typeof configPath !== 'string' || configPath === '') {
    fail('No config file: pass -c config=path/to/earshot.config.yaml (or set "earshot:config" in cdk.json).');
  }
  let config;
  try {
    config = loadConfig(configPath);
  } catch (error) {
    if (error instanceof EarshotError) fail(error.message);
    throw error;
  }
  // The table's customer managed key is set per region, so the stack needs a concrete one (the CDK CLI supplies it).
  const region = process.env.CDK_DEFAULT_REGION ?? process.env.AWS_REGION;
  if (!region) fail('No AWS region: set AWS_REGION or a default region in your AWS config.');
  const stackName: string = app.node.tryGetContext('earshot:stackName') ?? DEFAULT_STACK_NAME;
  createEarshotApp(config, {
    app,
    stackName,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region },
  });
  app.synth();
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

main();

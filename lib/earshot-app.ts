import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { EarshotConfig } from '../lambdas/config/schema';
import { EarshotStack } from './earshot-stack';

export const DEFAULT_STACK_NAME = 'Earshot';

export interface EarshotApp {
  app: App;
  stack: EarshotStack;
  nag: AwsSolutionsChecks;
}

/**
 * The CDK app: one Earshot stack, checked by cdk-nag's AwsSolutions pack as a validation plugin. Any finding
 * (error or warning) not acknowledged in the stack fails `cdk synth`. Shared by bin/app.ts and the tests.
 */
export function createEarshotApp(
  config: EarshotConfig,
  options: { app?: App; appProps?: AppProps; stackName?: string; env?: { account?: string; region?: string } } = {},
): EarshotApp {
  const app = options.app ?? new App(options.appProps);
  const stack = new EarshotStack(app, options.stackName ?? DEFAULT_STACK_NAME, {
    config,
    env: options.env,
    description: 'Earshot: social listening that flags memorable negative customer experiences',
  });
  const nag = new AwsSolutionsChecks(app, { verbose: true });
  Validations.of(app).addPlugins(nag);
  return { app, stack, nag };
}

/**
 * How every Earshot Lambda is bundled (aws-lambda-nodejs + esbuild) and started, in one place with no CDK import:
 * lib/earshot-function.ts deploys with it and `npm run bench -- --section lambda` measures the same bundles, so the
 * figures in the README are of what runs on AWS.
 */

/** esbuild settings, in aws-lambda-nodejs's `bundling` terms. */
export const LAMBDA_BUNDLING = {
  minify: true,
  // Stack traces in the logs point at the TypeScript sources (NODE_OPTIONS below); no sources in the map.
  sourceMap: true,
  sourcesContent: false,
  // The code also runs on Node 20 locally: keep the output ES2022-level.
  target: 'node20',
  // The AWS SDK is bundled from its ES module builds ("module" before "main"), so esbuild drops every command,
  // serializer and credential provider a function never uses: that starts faster than the runtime's copy, whose
  // CommonJS builds load each client whole (the bench measures both; README, "Figures we measured"). The secrets
  // clients are imported on the first secret read only (sources/secrets.ts): they stay the runtime's, out of the
  // bundle V8 must parse at init.
  externalModules: ['@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm'] as string[],
  mainFields: ['module', 'main'] as string[],
} as const;

/** NODE_OPTIONS of every function: source-mapped stack traces (the bench measures init with it on). */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';

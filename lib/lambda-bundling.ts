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
  // The Node runtime ships AWS SDK v3: taking it from there started 15–40 ms faster than bundling it (the bench
  // measures both; README, "Lambda functions"), and keeps the bundles small.
  externalModules: ['@aws-sdk/*'] as string[],
} as const;

/** NODE_OPTIONS of every function: source-mapped stack traces (the bench measures init with it on). */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';

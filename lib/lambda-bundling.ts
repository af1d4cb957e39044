/**
 * How every Earshot Lambda is bundled (aws-lambda-nodejs + esbuild) and started, in one place with no CDK import:
 * lib/earshot-function.ts deploys with it and `npm run bench -- --section lambda` measures the same bundles, so the
 * figures in the README are of what runs on AWS.
 */

/**
 * What `@aws-sdk/credential-provider-node` imports dynamically, past `fromEnv`, when the environment holds no
 * credentials (never on Lambda); the runtime's SDK has them should one ever be needed.
 */
export const LAZY_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
] as const;

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
  // bundle V8 must parse at init. So do the credential providers the SDK's default chain imports only when the
  // environment has no credentials (SSO, ini files, a process, web identity, container and instance metadata): on
  // Lambda the role's credentials are always in the environment, and leaving them out (with the STS, SSO and Cognito
  // clients they bring) makes each bundle ~115 KB smaller.
  // `natural/package.json` is only resolved where natural's sentiment folders are not bundled beside the handler
  // (the CLI, tests): marked external, esbuild leaves that require.resolve alone instead of warning on every synth.
  externalModules: [
    '@aws-sdk/client-secrets-manager',
    '@aws-sdk/client-ssm',
    ...LAZY_CREDENTIAL_PROVIDERS,
    'natural/package.json',
  ] as string[],
  mainFields: ['module', 'main'] as string[],
  // An external package imported with `import()` is then loaded with `require`, which resolves through NODE_PATH to
  // the runtime's SDK (/var/runtime/node_modules); an ES module `import()` would look beside the bundle only.
  esbuildArgs: { '--supported:dynamic-import': 'false' } as Record<string, string>,
} as const;

/** NODE_OPTIONS of every function: source-mapped stack traces (the bench measures init with it on). */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSync, type Metafile } from 'esbuild';
import { HANDLERS, lambdaBuildOptions } from '../../bin/cli/bench';
import { LAMBDA_BUNDLING, LAZY_CREDENTIAL_PROVIDERS } from '../../lib/lambda-bundling';

/**
 * What each Lambda bundle carries, built with the stack's own esbuild settings (lib/lambda-bundling.ts): only the
 * AWS clients its function calls (bundled from their ES module builds; left to the runtime's SDK only what is imported
 * lazily and never at init), no YAML parser, no wholesale zod, and at most 2 MB.
 */

const dir = mkdtempSync(path.join(tmpdir(), 'earshot-bundles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Bundle {
  bytes: number;
  /** Packages whose code is in the bundle, with the bytes each puts there. */
  packages: Map<string, number>;
  /** The files of those packages that put code in the bundle. */
  files: string[];
  /** Packages the bundle requires at run time (external). */
  external: Set<string>;
  /** The same, each with how it is imported (`import-statement`, `require-call`, `dynamic-import`). */
  externalKinds: Map<string, Set<string>>;
}

function packageOf(file: string): string | undefined {
  const at = file.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const parts = file.slice(at + 'node_modules/'.length).split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

function bundle(handler: string): Bundle {
  const outfile = path.join(dir, handler, 'index.js');
  const result = buildSync({
    ...lambdaBuildOptions(handler, outfile, [...LAMBDA_BUNDLING.externalModules]),
    metafile: true,
  });
  const metafile = result.metafile as Metafile;
  const js = Object.entries(metafile.outputs).find(([name]) => name.endsWith('index.js'))![1];
  const packages = new Map<string, number>();
  const files = Object.entries(js.inputs)
    .filter(([file, input]) => file.includes('node_modules/') && input.bytesInOutput > 0)
    .map(([file]) => file);
  for (const [file, input] of Object.entries(js.inputs)) {
    const name = packageOf(file);
    if (name) packages.set(name, (packages.get(name) ?? 0) + input.bytesInOutput);
  }
  const external = new Set<string>();
  const externalKinds = new Map<string, Set<string>>();
  for (const input of Object.values(metafile.inputs)) {
    for (const imported of input.imports) {
      if (!imported.external) continue;
      external.add(imported.path);
      externalKinds.set(imported.path, (externalKinds.get(imported.path) ?? new Set()).add(imported.kind));
    }
  }
  return { bytes: js.bytes, packages, files, external, externalKinds };
}

const bundles = new Map(HANDLERS.map((handler) => [handler, bundle(handler)]));
const clientsOf = (b: Bundle) =>
  [...new Set([...b.packages.keys(), ...b.external])].filter((name) => name.startsWith('@aws-sdk/client-')).sort();

test.each([...HANDLERS])('%s: at most 2 MB, no YAML parser, zod only as far as it is used', (handler) => {
  const b = bundles.get(handler)!;
  expect(b.bytes).toBeLessThanOrEqual(2_000_000);
  expect(b.packages.has('yaml')).toBe(false);
  // `import { z } from 'zod'` pulls every locale and all of classic zod (~450 KB); `import * as z` what is used.
  expect(b.packages.get('zod') ?? 0).toBeLessThan(150_000);
});

test('every function carries zod/mini with its English locale, not classic zod', () => {
  for (const handler of HANDLERS) {
    const b = bundles.get(handler)!;
    expect(b.files.filter((file) => file.includes('node_modules/zod/v4/classic/'))).toEqual([]);
    const locales = b.files.filter((file) => file.includes('node_modules/zod/v4/locales/'));
    expect(locales.filter((file) => !file.endsWith('/index.js'))).toEqual(['node_modules/zod/v4/locales/en.js']);
    expect(b.packages.get('zod') ?? 0).toBeLessThan(60_000);
  }
});

test('the AWS SDK is bundled from its ES module builds, tree-shaken; only the lazily loaded secrets clients and credential providers are not', () => {
  const lazy: string[] = ['@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm', ...LAZY_CREDENTIAL_PROVIDERS];
  for (const handler of HANDLERS) {
    const b = bundles.get(handler)!;
    const external = [...b.external].filter((name) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/'));
    expect(external.filter((name) => !lazy.includes(name))).toEqual([]);
    for (const name of lazy) expect(b.packages.has(name)).toBe(false);
    // The credential providers past fromEnv are only ever imported dynamically: nothing requires them at init.
    for (const name of LAZY_CREDENTIAL_PROVIDERS) {
      expect([...(b.externalKinds.get(name) ?? ['dynamic-import'])]).toEqual(['dynamic-import']);
    }
    // Their STS, SSO and Cognito clients stay out with them.
    expect(b.packages.has('@aws-sdk/nested-clients')).toBe(false);
  }
  // The CommonJS build of client-dynamodb is one ~180 KB file with every command; the ES build leaves out the unused.
  expect(bundles.get('triage-api')!.packages.get('@aws-sdk/client-dynamodb')).toBeLessThan(60_000);
});

test('each function carries only the AWS clients it calls', () => {
  const clients = Object.fromEntries(HANDLERS.map((handler) => [handler, clientsOf(bundles.get(handler)!)]));
  // Secrets Manager and SSM are imported on the first secret read only (sources/secrets.ts), from the runtime.
  const secrets = ['@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm'];
  expect(clients).toEqual({
    poll: ['@aws-sdk/client-dynamodb', ...secrets, '@aws-sdk/client-sqs'].sort(),
    analyze: ['@aws-sdk/client-dynamodb'],
    alert: ['@aws-sdk/client-dynamodb', ...secrets, '@aws-sdk/client-sns'].sort(),
    escalate: ['@aws-sdk/client-dynamodb', ...secrets, '@aws-sdk/client-sns'].sort(),
    'triage-api': ['@aws-sdk/client-dynamodb'],
    webhook: [...secrets, '@aws-sdk/client-sqs'].sort(),
  });
});

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Every file the web inbox is made of, with its content type: the app in web/ and the few library files it imports,
 * taken from node_modules (no CDN). `earshot serve` serves exactly these, and the CDK Inbox construct uploads exactly
 * these to S3, so the local and the AWS inbox are the same files.
 */

export interface WebAsset {
  /** Path under the site root, without a leading slash (e.g. `vendor/preact.js`). */
  path: string;
  contentType: string;
  body: Buffer;
}

const APP_FILES = ['index.html', 'app.js', 'api.js', 'i18n.js', 'charts.js', 'highlight.js', 'style.css'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The package's folder: each main entry sits in its dist/ (not every package exports its package.json). */
function packageDir(name: string): string {
  return path.resolve(path.dirname(require.resolve(name)), '..');
}

/** Library files, with the bare `preact` import of hooks pointed at the file beside it (browsers need a path). */
function vendorFiles(): { path: string; source: string; rewrite?: (text: string) => string }[] {
  const preact = packageDir('preact');
  return [
    { path: 'vendor/preact.js', source: path.join(preact, 'dist/preact.module.js') },
    {
      path: 'vendor/hooks.js',
      source: path.join(preact, 'hooks/dist/hooks.module.js'),
      rewrite: (text) =>
        text.replace(/from\s*["']preact["']/g, 'from"./preact.js"').replace(/\/\/# sourceMappingURL=.*$/m, ''),
    },
    { path: 'vendor/htm.js', source: path.join(packageDir('htm'), 'dist/htm.module.js') },
    { path: 'vendor/uplot.js', source: path.join(packageDir('uplot'), 'dist/uPlot.iife.min.js') },
    { path: 'vendor/uplot.css', source: path.join(packageDir('uplot'), 'dist/uPlot.min.css') },
  ];
}

/** web/ itself when run from source; from the CLI bundle in dist/cli, the package's web/ folder. */
function webDir(): string {
  const candidates = [__dirname, path.resolve(__dirname, '../../web'), path.resolve(__dirname, '../web')];
  const found = candidates.find(
    (dir) => existsSync(path.join(dir, 'index.html')) && existsSync(path.join(dir, 'app.js')),
  );
  if (!found) throw new Error(`the web inbox files are missing (looked in ${candidates.join(', ')})`);
  return found;
}

let cached: WebAsset[] | undefined;

export function inboxAssets(): WebAsset[] {
  if (cached) return cached;
  const dir = webDir();
  const out: WebAsset[] = APP_FILES.map((file) => ({
    path: file,
    contentType: TYPES[path.extname(file)],
    body: readFileSync(path.join(dir, file)),
  }));
  for (const file of vendorFiles()) {
    const text = readFileSync(file.source, 'utf8').replace(/\/\/# sourceMappingURL=\S+\s*$/, '');
    out.push({
      path: file.path,
      contentType: TYPES[path.extname(file.path)],
      body: Buffer.from(file.rewrite ? file.rewrite(text) : text),
    });
  }
  cached = out;
  return out;
}

/**
 * The Content-Security-Policy of the inbox: only its own scripts and styles, no inline script, no framing.
 * `connect` adds origins the browser may call (on AWS, the Cognito domain for the sign-in token exchange).
 */
export function inboxCsp(connect: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...connect].join(' ')}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

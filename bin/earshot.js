#!/usr/bin/env node
// Launcher. Runs the CLI built by `npm run build` (dist/cli/earshot.js, built by `npm ci` through `prepare`) when
// it is up to date, else the TypeScript sources through tsx: an edited .ts file never runs a stale build.
// "Up to date" = no source the bundle was built from (dist/cli/inputs.json) is newer than the bundle.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

// The local run supports Node 20 on purpose (the Lambdas run on the newest runtime): skip the SDK's upgrade notice.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const root = path.resolve(__dirname, '..');
const bundle = path.join(root, 'dist', 'cli', 'earshot.js');

function bundleIsFresh() {
  if (process.env.EARSHOT_FROM_SOURCE === '1') return false;
  try {
    const built = fs.statSync(bundle).mtimeMs;
    const inputs = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'cli', 'inputs.json'), 'utf8'));
    return inputs.every((input) => fs.statSync(path.join(root, input)).mtimeMs <= built);
  } catch {
    return false; // no build yet, or a source was removed: run the sources
  }
}

let cli;
if (bundleIsFresh()) {
  cli = require(bundle);
} else {
  // The sources import tables the build generates: bring them up to date first (a no-op when they are).
  require('../scripts/generate-tables')();
  require('tsx/cjs');
  cli = require('./earshot.ts');
}
cli.main(process.argv);

#!/usr/bin/env node
// Builds the CLI once into dist/cli/earshot.js (run by `npm ci` through `prepare`, and before `npm test`), so a
// start does not transpile TypeScript. Dependencies stay external: each command still loads only what it needs.
// dist/cli/inputs.json lists the sources the bundle was built from; bin/earshot.js falls back to tsx when any of
// them is newer than the bundle, so an edited .ts file never runs stale.
// The analysis tables first: the CLI (and every Lambda bundle) imports what scripts/generate-tables.js writes.
require('./generate-tables')();
const { buildSync } = require('esbuild');
const { writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outfile = path.join(root, 'dist', 'cli', 'earshot.js');
const result = buildSync({
  absWorkingDir: root,
  entryPoints: ['bin/earshot.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('node_modules/'));
writeFileSync(path.join(root, 'dist', 'cli', 'inputs.json'), JSON.stringify(inputs) + '\n');

#!/usr/bin/env node
// Launcher: runs the TypeScript CLI directly (tsx transpiles on load), so `npx earshot` works right after `npm ci`.
require('tsx/cjs');
require('./earshot.ts');

#!/usr/bin/env node
// Launcher: runs the TypeScript CLI directly (tsx transpiles on load), so `npx earshot` works right after `npm ci`.
// The local run supports Node 20 on purpose (the Lambdas run on the newest runtime): skip the SDK's upgrade notice.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
require('./earshot.ts');

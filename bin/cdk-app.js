// cdk.json runs this: load TypeScript through tsx, then the CDK app.
require('tsx/cjs');
require('./app.ts');

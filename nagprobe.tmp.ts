import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
const app = new App({ outdir: '/tmp/nagprobe.out' });
const s = new Stack(app, 'S');
new sqs.Queue(s, 'Q');
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
try { app.synth(); console.log('synth ok'); } catch (e) { console.log('THREW', String(e).slice(0, 800)); }

import { parseConfig } from '../../lambdas/config/load';
import { boundHeapForMemoryStore, openLocalPipeline } from '../../lambdas/pipeline/local';
import { receiveWebhook, webhookAlertingSettled } from '../../lambdas/pipeline/webhook-ingest';
import type { AlertMessage, AlertSink } from '../../lambdas/sinks';
import { signWebhookBody, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../lambdas/sources/adapters/webhook';
import { generateBenchTexts } from './bench-texts';

/**
 * One pipeline run of `npm run bench` (run in its own process by `earshot bench-worker pipeline N`, so peak RSS
 * is this run's alone): N generated mentions pushed to the local webhook path as signed deliveries of 100, each
 * thousand verified, analysed, stored, grouped and alerted before the next. Prints one JSON line.
 */

const SECRET = 'bench-webhook-secret-of-some-length';
const DELIVERY = 100;
const THOUSAND = 1000;

export async function runPipelineWorker(mentions: number): Promise<void> {
  const config = parseConfig({
    brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }],
    sources: [{ id: 'acme-desk', kind: 'webhook', brand: 'acme', secretEnv: 'BENCH_DESK_SECRET' }],
    storage: 'memory',
    alerts: { minSeverity: 'low', spikes: { enabled: false } },
  });
  let alerts = 0;
  const sink: AlertSink = {
    name: 'bench',
    async send(message: AlertMessage) {
      if (message) alerts++;
    },
  };
  boundHeapForMemoryStore(config);
  const pipeline = await openLocalPipeline(config, { sinks: [sink], env: { BENCH_DESK_SECRET: SECRET } });
  const texts = generateBenchTexts(mentions, 23);
  const thousands: number[] = [];
  let flagged = 0;
  const start = process.hrtime.bigint();
  try {
    for (let from = 0; from < mentions; from += THOUSAND) {
      const t0 = process.hrtime.bigint();
      for (let at = from; at < Math.min(mentions, from + THOUSAND); at += DELIVERY) {
        const batch = texts.slice(at, Math.min(mentions, from + THOUSAND, at + DELIVERY));
        const body = JSON.stringify(batch.map((text, i) => ({ id: `m${at + i}`, text })));
        const timestamp = Math.floor(Date.now() / 1000);
        const reply = await receiveWebhook(
          'acme-desk',
          body,
          { [SIGNATURE_HEADER]: signWebhookBody(body, SECRET, timestamp), [TIMESTAMP_HEADER]: String(timestamp) },
          pipeline.deps,
        );
        if (reply.status !== 202) throw new Error(`delivery ${at}: ${reply.status} ${JSON.stringify(reply.body)}`);
        flagged += Number(reply.body.flagged);
      }
      await webhookAlertingSettled(pipeline.repo);
      thousands.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const incidents = await pipeline.repo.table.scan({
      FilterExpression: '#type = :type',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':type': 'INCIDENT' },
    });
    process.stdout.write(
      JSON.stringify({
        mentions,
        seconds,
        firstThousand: thousands[0],
        lastThousand: thousands[thousands.length - 1],
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        flagged,
        incidents: incidents.length,
        alerts,
      }) + '\n',
    );
  } finally {
    await pipeline.close();
  }
}

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV, METRICS, requireEnv } from '../config/env';
import { pollOnce } from '../pipeline/poll';
import { sendMentions } from '../pipeline/queue';
import { HttpClient } from '../sources/http';
import { awsSecrets } from '../sources/secrets';
import type { AdapterState } from '../sources/types';
import { runtimeConfig } from './deployed-config';
import { logger } from './logger';
import { metrics } from './metrics';
import { repository } from './runtime';

// Module scope: reused across invocations of a warm function (tokens stay cached in adapterState).
const config = runtimeConfig();
const queueUrl = requireEnv(ENV.QUEUE_URL);
const sqs = new SQSClient({});
const secrets = awsSecrets();
const adapterState = new Map<string, AdapterState>();
const http = new HttpClient();

export interface PollEvent {
  sourceId: string;
}

/** Invoked by one EventBridge Scheduler schedule per source instance with `{ "sourceId": "…" }`. */
export async function handler(event: PollEvent) {
  const source = config.sources.find((s) => s.id === event?.sourceId);
  if (!source) throw new Error(`unknown sourceId ${JSON.stringify(event?.sourceId)}`);
  const brand = config.brands.find((b) => b.id === source.brand)!;
  const state = adapterState.get(source.id) ?? new Map();
  adapterState.set(source.id, state);
  const repo = repository;
  const summary = await pollOnce(source, brand, {
    repo,
    http,
    secrets,
    state,
    now: () => new Date(),
    handOn: (mentions) => sendMentions(sqs, queueUrl, mentions),
  });
  const health = await repo.sources.getHealth(source.id);
  metrics.addDimension(METRICS.SOURCE_DIMENSION, source.id);
  metrics.addMetric(METRICS.MENTIONS_FETCHED, MetricUnit.Count, summary.fetched);
  metrics.addMetric(METRICS.SOURCE_ERRORS, MetricUnit.Count, summary.errors.length > 0 ? 1 : 0);
  metrics.addMetric(METRICS.SOURCE_CONSECUTIVE_FAILURES, MetricUnit.Count, health?.consecutiveFailures ?? 0);
  if (health?.lagSeconds !== undefined)
    metrics.addMetric(METRICS.SOURCE_LAG_SECONDS, MetricUnit.Seconds, health.lagSeconds);
  metrics.publishStoredMetrics();
  if (summary.errors.length > 0) logger.warn('poll finished with errors', { summary });
  else logger.info('poll finished', { summary });
  return summary;
}

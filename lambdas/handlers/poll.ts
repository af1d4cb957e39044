import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV, LOG_MESSAGES, METRICS, requireEnv } from '../config/env';
import { pollOnce } from '../pipeline/poll';
import { sendMentions } from '../pipeline/queue';
import { HttpClient } from '../sources/http';
import { getAdapter, polledSources } from '../sources/registry';
import { awsSecrets } from '../sources/secrets';
import type { SourceHealth } from '../core/source-state';
import type { AdapterState } from '../sources/types';
import { runtimeConfig } from './deployed-config';
import { logger } from './logger';
import { metrics } from './metrics';
import { repository } from './runtime';

const POLL_FINISHED = LOG_MESSAGES.POLL_FINISHED;

// Module scope: reused across invocations of a warm function (tokens stay cached in adapterState).
const config = runtimeConfig('poll');
const queueUrl = requireEnv(ENV.QUEUE_URL);
const sqs = new SQSClient({});
const secrets = awsSecrets();
const adapterState = new Map<string, AdapterState>();
const http = new HttpClient();
// The adapters of the sources this function polls, loaded during init (first use): no other kind's code runs.
for (const source of polledSources(config)) getAdapter(source.kind);

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
  let previous: SourceHealth | undefined;
  let health: SourceHealth | undefined;
  const summary = await pollOnce(source, brand, {
    repo: repository,
    http,
    secrets,
    state,
    now: () => new Date(),
    handOn: (mentions) => sendMentions(sqs, queueUrl, mentions),
    onHealth: (before, after) => {
      previous = before;
      health = after;
    },
  });
  const failures = health?.consecutiveFailures ?? 0;
  // The one per-source custom metric, for the source's alarm: sent while the source fails and once when it
  // recovers, so a healthy source costs nothing (CloudWatch bills a metric for the hours it is sent in).
  if (failures > 0 || (previous?.consecutiveFailures ?? 0) > 0) {
    metrics.addDimension(METRICS.SOURCE_DIMENSION, source.id);
    metrics.addMetric(METRICS.SOURCE_CONSECUTIVE_FAILURES, MetricUnit.Count, failures);
    metrics.publishStoredMetrics();
  }
  // Everything else about the poll is a log field (the dashboard's per-source widgets query them; README).
  const fields = {
    source: source.id,
    kind: source.kind,
    fetched: summary.fetched,
    relevant: summary.relevant,
    errors: summary.errors.length,
    consecutiveFailures: failures,
    lagSeconds: health?.lagSeconds,
    summary,
  };
  if (summary.errors.length > 0) logger.warn(POLL_FINISHED, fields);
  else logger.info(POLL_FINISHED, fields);
  return summary;
}

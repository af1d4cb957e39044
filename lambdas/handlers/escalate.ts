import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS } from '../config/env';
import type { DeliveryOutcome } from '../pipeline/alert-deps';
import { sweep } from '../pipeline/sweep';
import { runtimeAlertDeps } from './alert-runtime';
import { logger } from './logger';
import { metrics } from './metrics';

const deps = runtimeAlertDeps('escalate');

/**
 * The scheduled sweep (every 5 minutes): re-send alerts a sink missed, send ended hours' digests and the incident
 * updates a cooldown held back, check every brand for a negative spike, and escalate unacknowledged high/critical
 * alerts once per level. Returns how many alerts of each group went out, and how many failed (retried next time).
 */
export async function handler(): Promise<Record<string, number>> {
  const { grouped, newIncidents, caughtUp, ...deliveries } = await sweep(deps);
  const groups = Object.entries(deliveries) as [string, DeliveryOutcome[]][];
  const counts: Record<string, number> = {};
  // Alerts of the mentions the catch-up grouped count as alerts sent; the catch-up itself is logged.
  let failed = caughtUp.filter((o) => o.failed.length > 0).length;
  const caughtUpSent = caughtUp.filter((o) => o.sent.length > 0).length;
  for (const [name, outcomes] of groups) {
    counts[name] = outcomes.filter((o) => o.sent.length > 0).length;
    failed += outcomes.filter((o) => o.failed.length > 0).length;
  }
  // Escalations are a log field (`counts.escalations`): no alarm or graph needs them as a metric.
  const alertsSent = Object.values(counts).reduce((a, b) => a + b, 0) - counts.escalations + caughtUpSent;
  if (alertsSent > 0) metrics.addMetric(METRICS.ALERTS_SENT, MetricUnit.Count, alertsSent);
  metrics.publishStoredMetrics();
  const catchUp = { grouped, newIncidents, alerts: caughtUpSent };
  if (failed > 0)
    logger.error('some alerts were not delivered; the next sweep retries them', { counts, failed, catchUp });
  else logger.info('sweep done', { counts, catchUp });
  return { ...counts, failed };
}

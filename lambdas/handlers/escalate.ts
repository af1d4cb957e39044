import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { sweepEscalations } from '../pipeline/alerting';
import { logger, metrics, runtimeAlertDeps } from './runtime';

const deps = runtimeAlertDeps();

/** Scheduled sweep: unacknowledged high/critical alerts past their window go to the escalation topic, once per level. */
export async function handler(): Promise<{ escalated: number; failed: number }> {
  const outcomes = await sweepEscalations(deps);
  const escalated = outcomes.filter((o) => o.sent.length > 0).length;
  const failed = outcomes.filter((o) => o.failed.length > 0).length;
  metrics.addMetric('Escalations', MetricUnit.Count, escalated);
  metrics.publishStoredMetrics();
  if (failed > 0) logger.error('some escalations were not delivered; the next sweep retries them', { outcomes });
  else logger.info('escalation sweep done', { escalated });
  return { escalated, failed };
}

import { Metrics } from '@aws-lambda-powertools/metrics';
import { ENV } from '../config/env';
import { logger } from './logger';

/**
 * Powertools metrics (EMF) for the handlers that emit custom metrics: only the ones an alarm or the dashboard reads
 * (config/env.ts METRICS). Its own warnings (e.g. "no metrics to publish" after a redelivery) go through the logger.
 */
export const metrics = new Metrics({ namespace: process.env[ENV.METRICS_NAMESPACE] ?? 'Earshot', logger });

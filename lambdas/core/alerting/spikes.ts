import { addHours, hourStartMs } from './common';
import { spikeAlertId } from '../alert-id';

/**
 * Spike detection on a brand's hourly count of negative mentions, against a robust baseline (median and MAD of the
 * previous hours, so one past outlier does not move it). Quiet brands never page anyone: a spike also needs an
 * absolute minimum count and a multiple of the usual level.
 */

export interface SpikeConfig {
  enabled?: boolean;
  minCount: number;
  factor: number;
  warmupHours: number;
  baselineHours: number;
}

export interface Spike {
  brandId: string;
  hour: string;
  alertId: string;
  observed: number;
  /** The baseline median per hour. */
  expected: number;
  /** Scaled median absolute deviation of the baseline (a robust standard deviation). */
  spread: number;
  /** The count the hour had to reach. */
  threshold: number;
  /** How many hours the baseline covered. */
  baselineHours: number;
}

export interface DetectSpikeInput {
  brandId: string;
  /** Hourly negative counts (`YYYY-MM-DDTHH`); several rows per hour (one per source) are summed. */
  hourlyNegatives: ReadonlyArray<{ hour: string; count: number }>;
  currentHour: string;
  cfg: SpikeConfig;
  /** First hour the brand was monitored; defaults to the earliest hour in `hourlyNegatives`. */
  historyStartHour?: string;
}

/** Consistency constant: MAD × 1.4826 estimates the standard deviation of normal data. */
const MAD_SCALE = 1.4826;

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function detectSpike(input: DetectSpikeInput): Spike | null {
  const { brandId, hourlyNegatives, currentHour, cfg } = input;
  if (cfg.enabled === false) return null;

  const countByHour = new Map<string, number>();
  for (const row of hourlyNegatives) countByHour.set(row.hour, (countByHour.get(row.hour) ?? 0) + row.count);
  const observed = countByHour.get(currentHour) ?? 0;
  if (observed < cfg.minCount) return null;

  const startHour = input.historyStartHour ?? [...countByHour.keys()].sort()[0];
  if (startHour === undefined) return null;
  const historyHours = Math.floor((hourStartMs(currentHour) - hourStartMs(startHour)) / 3_600_000);
  if (historyHours < cfg.warmupHours) return null;

  // Missing hours are quiet hours (counters are only written when something happens), but hours before
  // monitoring started are not history at all.
  const baselineHours = Math.min(cfg.baselineHours, historyHours);
  const baseline: number[] = [];
  for (let back = 1; back <= baselineHours; back++) baseline.push(countByHour.get(addHours(currentHour, -back)) ?? 0);

  const expected = median(baseline);
  const spread = MAD_SCALE * median(baseline.map((count) => Math.abs(count - expected)));
  // A flat baseline has MAD 0: fall back on Poisson noise (sqrt of the level, at least 1).
  const noise = Math.max(spread, Math.sqrt(Math.max(expected, 1)));
  const threshold = Math.max(cfg.minCount, expected + cfg.factor * noise, cfg.factor * Math.max(expected, 1));
  if (observed < threshold) return null;

  return {
    brandId,
    hour: currentHour,
    alertId: spikeAlertId(brandId, currentHour),
    observed,
    expected,
    spread: Math.round(spread * 100) / 100,
    threshold: Math.ceil(threshold),
    baselineHours,
  };
}

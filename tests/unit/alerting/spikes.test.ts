import { addHours } from '../../../lambdas/core/alerting/common';
import { detectSpike, median } from '../../../lambdas/core/alerting/spikes';
import { defaultAlerts } from './helpers';

const cfg = defaultAlerts.spikes; // minCount 8, factor 3, warmup 24 h, baseline 168 h
const CURRENT = '2024-05-08T12';

/** `hours` hours of history before the current hour, counts from `countAt(hoursBack)`, then the current count. */
function history(hours: number, countAt: (hoursBack: number) => number, current: number) {
  const rows = [{ hour: CURRENT, count: current }];
  for (let back = 1; back <= hours; back++) rows.push({ hour: addHours(CURRENT, -back), count: countAt(back) });
  return rows;
}

function detect(hourlyNegatives: { hour: string; count: number }[], overrides = {}) {
  return detectSpike({ brandId: 'acme', hourlyNegatives, currentHour: CURRENT, cfg: { ...cfg, ...overrides } });
}

describe('median', () => {
  it('handles odd, even and empty inputs', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});

describe('detectSpike', () => {
  it('reports a real spike with expected vs observed and a deterministic id', () => {
    const spike = detect(history(72, (back) => (back % 3 === 0 ? 2 : 1), 25));
    expect(spike).toMatchObject({
      brandId: 'acme',
      hour: CURRENT,
      alertId: `spike#acme#${CURRENT}`,
      observed: 25,
      expected: 1,
      baselineHours: 72,
    });
    expect(spike!.threshold).toBeLessThanOrEqual(25);
  });

  it('stays quiet during warm-up', () => {
    expect(detect(history(cfg.warmupHours - 1, () => 0, 40))).toBeNull();
    expect(detect(history(cfg.warmupHours, () => 0, 40))).not.toBeNull();
  });

  it('does not page for a quiet brand with 2 negatives in an hour', () => {
    expect(detect(history(168, () => 0, 2))).toBeNull();
    // Even a factor-of-many jump from almost nothing needs the absolute minimum.
    expect(detect(history(168, (back) => (back === 5 ? 1 : 0), cfg.minCount - 1))).toBeNull();
  });

  it('counts missing hours as zero and sums rows of several sources', () => {
    const sparse = [
      { hour: addHours(CURRENT, -48), count: 1 }, // history starts here; the rest is silence
      { hour: CURRENT, count: 5 },
      { hour: CURRENT, count: 6 },
    ];
    expect(detect(sparse)).toMatchObject({ observed: 11, expected: 0 });
  });

  it('keeps the baseline robust to one past outlier', () => {
    // A mean would be pulled up to ~6.4 (threshold ~19); the median stays at 4 (threshold 12).
    const withOutlier = history(168, (back) => (back === 30 ? 400 : 4), 14);
    expect(detect(withOutlier)).toMatchObject({ expected: 4, observed: 14, threshold: 12 });
  });

  it('needs a multiple of the usual level from a busy brand', () => {
    // 20 an hour, give or take 2: 30 is noticeable but not 3 times the usual.
    const busy = history(168, (back) => 20 + (back % 5) - 2, 30);
    expect(detect(busy)).toBeNull();
    expect(detect(history(168, (back) => 20 + (back % 5) - 2, 65))).not.toBeNull();
  });

  it('is off when disabled', () => {
    expect(
      detect(
        history(72, () => 1, 50),
        { enabled: false },
      ),
    ).toBeNull();
  });

  it('uses an explicit history start for warm-up', () => {
    const rows = history(100, () => 1, 30);
    const spike = detectSpike({
      brandId: 'acme',
      hourlyNegatives: rows,
      currentHour: CURRENT,
      cfg,
      historyStartHour: addHours(CURRENT, -10),
    });
    expect(spike).toBeNull();
  });
});

import { DEFAULT_COST_INPUTS, estimateMonthlyCost, PRICES } from '../../lambdas/core/cost';
import { runCost } from '../../bin/cli/cost';

const lineUsd = (estimate: ReturnType<typeof estimateMonthlyCost>, service: string, item: string): number => {
  const line = estimate.lines.find((l) => l.service === service && l.item.startsWith(item));
  if (!line) throw new Error(`no line ${service} / ${item}`);
  return line.usd;
};

describe('estimateMonthlyCost', () => {
  test('Comprehend DetectSentiment costs $300 per million short mentions (3-unit minimum)', () => {
    const estimate = estimateMonthlyCost({ mentions: 1_000_000, avgMentionChars: 120 });
    expect(estimate.comprehend.unitsPerMention).toBe(3);
    expect(estimate.comprehend.usd).toBeCloseTo(300, 6);
    // Longer texts cost more units: 450 characters = 5 units.
    expect(estimateMonthlyCost({ mentions: 1_000_000, avgMentionChars: 450 }).comprehend.usd).toBeCloseTo(500, 6);
  });

  test('the total is the sum of the line items', () => {
    const estimate = estimateMonthlyCost();
    expect(estimate.totalUsd).toBeCloseTo(
      estimate.lines.reduce((sum, line) => sum + line.usd, 0),
      9,
    );
  });

  test('the total grows linearly in mentions (fixed costs aside)', () => {
    const at = (mentions: number) => estimateMonthlyCost({ mentions }).totalUsd;
    const step = at(2_000_000) - at(1_000_000);
    expect(step).toBeGreaterThan(0);
    expect(at(3_000_000) - at(2_000_000)).toBeCloseTo(step, 9);
    expect(at(11_000_000) - at(1_000_000)).toBeCloseTo(10 * step, 6);
  });

  test('line items follow the price table', () => {
    const estimate = estimateMonthlyCost({ mentions: 1_000_000, avgMentionKB: 1, flaggedRate: 0 });
    // An unflagged mention is in no index: one 1-KB item, 1 WRU.
    expect(lineUsd(estimate, 'DynamoDB', 'mention items')).toBeCloseTo(PRICES.dynamoPerMillionWrites, 9);
    // Send, receive and delete in batches of 10.
    expect(lineUsd(estimate, 'SQS', 'send + receive + delete')).toBeCloseTo(0.3 * PRICES.sqsPerMillionRequests, 9);
    // analyze: 40,000 batches × 0.4 s × 1 GB.
    expect(lineUsd(estimate, 'Lambda', 'analyze duration')).toBeCloseTo(40_000 * 0.4 * PRICES.lambdaArmPerGbSecond, 9);
    // One key of our own: the ops topic's.
    expect(lineUsd(estimate, 'KMS', 'customer managed keys')).toBe(PRICES.kmsKeyPerMonth);
    expect(lineUsd(estimate, 'SNS', 'publishes')).toBe(0);
  });

  test('a million mentions cost a small fraction of the Comprehend comparison', () => {
    const estimate = estimateMonthlyCost({ mentions: 1_000_000 });
    expect(estimate.totalUsd).toBeLessThan(estimate.comprehend.usd / 5);
    expect(estimate.inputs.sources).toBe(DEFAULT_COST_INPUTS.sources);
  });
});

describe('runCost', () => {
  test('prints a table with the total and the Comprehend comparison', () => {
    const text = runCost({ mentions: 1_000_000, sources: 5 });
    expect(text).toContain('1,000,000 mentions');
    expect(text).toMatch(/^total\s+\$\d+\.\d\d$/m);
    expect(text).toContain('Amazon Comprehend DetectSentiment for the same mentions: $300.00');
    expect(text).toContain(PRICES.region);
  });

  test('one of a unit is singular, and dollars have thousands separators', () => {
    const text = runCost({ mentions: 10_000_000 });
    expect(text).toMatch(/ 1 key +\$1\.00$/m);
    expect(text).not.toMatch(/ 1 keys /);
    expect(text).toContain('Amazon Comprehend DetectSentiment for the same mentions: $3,000.00');
    expect(text).not.toMatch(/\$\d{4}/);
    expect(text).toMatch(/ \d[\d,.]* GB-s /);
  });

  test('--json prints the estimate', () => {
    const parsed = JSON.parse(runCost({ mentions: 1000, json: true }));
    expect(parsed.inputs.mentions).toBe(1000);
    expect(parsed.lines.length).toBeGreaterThan(10);
  });
});

describe('DynamoDB follows what the code writes', () => {
  test('a flagged mention costs its 3 entries at ingest, grouping and its share of an alert; none when unflagged', () => {
    const at = (flaggedRate: number) =>
      estimateMonthlyCost({ mentions: 1_000_000, flaggedRate }).lines.filter((l) => l.unit === 'WRU');
    const units = (lines: ReturnType<typeof at>, item: string) => lines.find((l) => l.item.startsWith(item))!.quantity;
    const none = at(0);
    const some = at(0.02);
    expect(units(none, 'grouping')).toBe(0);
    expect(units(none, 'alert records')).toBe(0);
    // 20,000 flagged mentions of 1.5 KB (2 WRU): 3 entries each instead of 1.
    expect(units(some, 'mention items') - units(none, 'mention items')).toBe(20_000 * (3 * 2 - 1));
    // Lease 2 + incident 3 + the mention's note 3 × 2 WRU; alerts (half as many) 6 small writes + 12 of 4 KB.
    expect(units(some, 'grouping')).toBe(20_000 * (2 + 3 + 3 * 2));
    expect(units(some, 'alert records')).toBe(10_000 * (6 + 12 * 4));
  });

  test('flagged mentions are stored for a year, in the table and the triage index', () => {
    const storage = (flaggedRate: number) =>
      estimateMonthlyCost({ mentions: 1_000_000, flaggedRate }).lines.find((l) => l.item.startsWith('storage'))!;
    // 1M unflagged 1-KB mentions for 90 days: 3 months' worth.
    expect(storage(0).quantity).toBeCloseTo((3 * 1_000_000) / 1024 / 1024, 9);
    expect(storage(0.02).quantity).toBeGreaterThan(storage(0).quantity);
  });
});

describe('custom metrics follow the alarms, not the sources', () => {
  test('a healthy source adds no always-on metric: 50 sources cost a few metric-months, not 300', () => {
    const metrics = (sources: number) =>
      estimateMonthlyCost({ sources }).lines.find((l) => l.service === 'CloudWatch' && l.item.startsWith('custom'))!;
    expect(metrics(0).quantity).toBe(3);
    expect(metrics(50).quantity).toBeCloseTo(3 + 50 * DEFAULT_COST_INPUTS.sourceFailingShare);
    expect(metrics(50).usd).toBeLessThan(2);
  });
});

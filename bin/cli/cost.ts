import { type CostInputs, estimateMonthlyCost } from '../../lambdas/core/cost';
import { renderTable } from './table';

export interface CostOptions extends Partial<Omit<CostInputs, 'lambda'>> {
  json?: boolean;
}

/** "$3,000.00": cents, and thousands separated as the quantities are. */
const usd = (value: number): string =>
  `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const qty = (value: number): string =>
  value >= 1000 ? Math.round(value).toLocaleString('en-US') : String(Number(value.toFixed(2)));

/** The estimate names its units in the plural; one of them reads "1 key", "1 delivery" (GB-s stays GB-s). */
function quantity(value: number, unit: string): string {
  const shown = qty(value);
  if (shown !== '1' || unit.endsWith('-s')) return `${shown} ${unit}`;
  const singular = unit
    .replace(/ies$/, 'y')
    .replace(/(sh|ch)es$/, '$1')
    .replace(/([a-z])s$/, '$1');
  return `${shown} ${singular}`;
}

/** `earshot cost`: the monthly estimate as a table (or JSON), with the Comprehend comparison. */
export function runCost(options: CostOptions = {}): string {
  const { json, ...overrides } = options;
  const estimate = estimateMonthlyCost(overrides);
  if (json) return JSON.stringify(estimate, null, 2);

  const { inputs, prices } = estimate;
  const rows = estimate.lines.map((line) => [
    line.service,
    line.item,
    quantity(line.quantity, line.unit),
    usd(line.usd),
  ]);
  const header = ['service', 'item', 'quantity', 'USD/month'];
  const { comprehend } = estimate;
  return [
    `Earshot on AWS: estimated monthly cost for ${inputs.mentions.toLocaleString('en-US')} mentions, ` +
      `${inputs.sources} sources polled ${inputs.pollsPerSourcePerDay}×/day, ${(inputs.flaggedRate * 100).toFixed(1)}% flagged`,
    `List prices ${prices.region}, ${prices.asOf}, before free tiers; estimates, not a quote.`,
    '',
    ...renderTable(header, rows, { alignRight: [3], footer: ['total', '', '', usd(estimate.totalUsd)] }),
    '',
    `Amazon Comprehend DetectSentiment for the same mentions: ${usd(comprehend.usd)} ` +
      `(${comprehend.unitsPerMention} units of 100 characters each, 3-unit minimum) — sentiment only, no cues.`,
  ].join('\n');
}

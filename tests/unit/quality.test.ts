import * as fs from 'fs';
import * as path from 'path';
import { formatEvalReport, runEval, TARGETS, type EvalReport } from '../../bin/cli/eval';

/** The development data sits beside the repo clone (../shared/data), in CI too. */
function sharedDataDir(): string {
  const dir = path.resolve(__dirname, '../../../shared/data');
  if (!fs.existsSync(path.join(dir, 'complaints-dev.jsonl'))) {
    throw new Error(`Shared data folder ${dir} is missing: the shared/ data folder must sit beside the repo clone.`);
  }
  return dir;
}

const CHATTER_DOMAINS = new Set(['random_reply', 'random_tweet']);

describe('analysis quality on the development data', () => {
  let report: EvalReport;

  beforeAll(async () => {
    report = await runEval(sharedDataDir());
    console.log(formatEvalReport(report));
  }, 120_000);

  it('complaint F1 >= 0.70 overall and on each product domain', () => {
    expect(report.complaint.overall.f1).toBeGreaterThanOrEqual(TARGETS.complaintF1);
    for (const [domain, pr] of Object.entries(report.complaint.byDomain)) {
      if (CHATTER_DOMAINS.has(domain)) continue;
      expect({ domain, f1: pr.f1 >= TARGETS.complaintF1 }).toEqual({ domain, f1: true });
    }
  });

  it('everyday chatter is rarely taken for a complaint', () => {
    for (const [domain, pr] of Object.entries(report.complaint.byDomain)) {
      if (!CHATTER_DOMAINS.has(domain)) continue;
      expect(pr.flagged / pr.n).toBeLessThanOrEqual(TARGETS.chatterFlagRate);
    }
  });

  it('memorable (text only): precision >= 0.90 on 1–2★ reviews, recall >= 0.35', () => {
    expect(report.memorable.overall.precision).toBeGreaterThanOrEqual(TARGETS.memorablePrecision);
    expect(report.memorable.overall.recall).toBeGreaterThanOrEqual(TARGETS.memorableRecall);
  });
});

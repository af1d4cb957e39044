/**
 * `earshot eval`: measures the analysis against the development data: VADER parity, Vietnamese accuracy,
 * complaint precision/recall/F1 per domain, and memorable precision/recall per app (text only, as judges call it).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../lambdas/core/analysis/analyze';
import { polarityScores } from '../../lambdas/core/analysis/vader';
import type { Sentiment } from '../../lambdas/core/analysis/types';
import { scoreVietnamese } from '../../lambdas/core/analysis/vietnamese';
import { renderTable } from './table';

/** Tolerances of VADER parity: compound ±0.0001, pos/neu/neg ±0.001. */
export const COMPOUND_TOLERANCE = 0.0001;
export const SHARE_TOLERANCE = 0.001;

export const TARGETS = {
  /** The bar: at least 99.9% of the reference texts within the tolerances. */
  vaderParity: 0.999,
  vietnameseAccuracy: 0.85,
  complaintF1: 0.7,
  /** Share of non-complaint chatter (the random_* domains) flagged as complaints. */
  chatterFlagRate: 0.2,
  memorablePrecision: 0.9,
  memorableRecall: 0.35,
} as const;

export interface EvalRow {
  section: string;
  metric: string;
  value: number;
  /** Human form of the target, e.g. `>= 0.70`. */
  target: string;
  pass: boolean;
  /** How many examples the figure is over. */
  n: number;
  /** Shown for information (a breakdown), not a target of its own. */
  info?: boolean;
}

export interface PrecisionRecall {
  precision: number;
  recall: number;
  f1: number;
  /** Predicted positive. */
  flagged: number;
  /** Actually positive. */
  positives: number;
  n: number;
}

export interface EvalReport {
  dataDir: string;
  rows: EvalRow[];
  pass: boolean;
  vaderParity: Record<string, { exact: number; n: number }>;
  vietnameseAccuracy: { accuracy: number; n: number };
  /** overall: the product domains pooled; allRows: chatter included. */
  complaint: { overall: PrecisionRecall; allRows: PrecisionRecall; byDomain: Record<string, PrecisionRecall> };
  memorable: { overall: PrecisionRecall; byApp: Record<string, PrecisionRecall> };
}

const FILES = {
  vaderRules: 'vader-reference-rules.jsonl',
  vaderTweets: 'vader-reference-tweets.jsonl',
  vietnamese: 'vi-reviews-aivivn2019-train.jsonl',
  complaints: 'complaints-dev.jsonl',
  rated: 'rated-reviews-dev.jsonl',
} as const;

/** Domains of the complaint file that hold no complaints at all: everyday chatter the classifier must leave alone. */
const CHATTER_DOMAINS = new Set(['random_reply', 'random_tweet']);

async function readJsonl(dataDir: string, file: string): Promise<Record<string, unknown>[]> {
  const full = path.join(dataDir, file);
  let raw: string;
  try {
    raw = await fs.readFile(full, 'utf8');
  } catch {
    throw new Error(`eval data file not found: ${full} (pass --data <dir> with the shared data folder)`);
  }
  return raw
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Precision, recall and F1 from (predicted, actual) pairs. */
export function precisionRecall(pairs: Array<[boolean, boolean]>): PrecisionRecall {
  let tp = 0;
  let flagged = 0;
  let positives = 0;
  for (const [predicted, actual] of pairs) {
    if (predicted) flagged++;
    if (actual) positives++;
    if (predicted && actual) tp++;
  }
  const precision = flagged > 0 ? tp / flagged : 0;
  const recall = positives > 0 ? tp / positives : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, flagged, positives, n: pairs.length };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k) ?? [];
    group.push(item);
    groups.set(k, group);
  }
  return groups;
}

function atLeast(metric: string, section: string, value: number, target: number, n: number): EvalRow {
  return {
    section,
    metric,
    value,
    target: `>= ${target < 0.99 ? target.toFixed(2) : target.toFixed(3)}`,
    pass: value >= target,
    n,
  };
}

function atMost(metric: string, section: string, value: number, target: number, n: number): EvalRow {
  return { section, metric, value, target: `<= ${target.toFixed(2)}`, pass: value <= target, n };
}

function vaderParity(
  rows: Record<string, unknown>[],
  score: (text: string) => Sentiment = polarityScores,
): { exact: number; n: number } {
  let exact = 0;
  for (const row of rows) {
    const s = score(String(row.text ?? ''));
    const ok =
      Math.abs(s.compound - Number(row.compound)) <= COMPOUND_TOLERANCE &&
      Math.abs(s.pos - Number(row.pos)) <= SHARE_TOLERANCE &&
      Math.abs(s.neu - Number(row.neu)) <= SHARE_TOLERANCE &&
      Math.abs(s.neg - Number(row.neg)) <= SHARE_TOLERANCE;
    if (ok) exact++;
  }
  return { exact: rows.length > 0 ? exact / rows.length : 0, n: rows.length };
}

export async function runEval(dataDir: string): Promise<EvalReport> {
  const [rules, tweets, vietnamese, complaints, rated] = await Promise.all([
    readJsonl(dataDir, FILES.vaderRules),
    readJsonl(dataDir, FILES.vaderTweets),
    readJsonl(dataDir, FILES.vietnamese),
    readJsonl(dataDir, FILES.complaints),
    readJsonl(dataDir, FILES.rated),
  ]);
  const rows: EvalRow[] = [];

  const parity = { [FILES.vaderRules]: vaderParity(rules), [FILES.vaderTweets]: vaderParity(tweets) };
  for (const [file, p] of Object.entries(parity)) {
    rows.push(atLeast(`exact share (${file})`, 'VADER parity', p.exact, TARGETS.vaderParity, p.n));
  }
  // The same through the whole analysis with no language hint, as `earshot score --jsonl` answers.
  const throughAnalysis = vaderParity([...rules, ...tweets], (text) => analyze({ text }).sentiment);
  rows.push(
    atLeast(
      'exact share via score --jsonl, no hint (both files)',
      'VADER parity',
      throughAnalysis.exact,
      TARGETS.vaderParity,
      throughAnalysis.n,
    ),
  );

  // Vietnamese: negative iff compound <= -0.05; the scorer itself, then the whole analysis with no hint.
  const accuracyOf = (score: (text: string) => Sentiment) => {
    let correct = 0;
    for (const row of vietnamese) {
      const negative = score(String(row.text ?? '')).compound <= -0.05;
      if (negative === (row.label === 'negative')) correct++;
    }
    return { accuracy: vietnamese.length > 0 ? correct / vietnamese.length : 0, n: vietnamese.length };
  };
  const viAccuracy = accuracyOf(scoreVietnamese);
  const viThroughAnalysis = accuracyOf((text) => analyze({ text }).sentiment);
  rows.push(
    atLeast('accuracy (aivivn2019)', 'Vietnamese', viAccuracy.accuracy, TARGETS.vietnameseAccuracy, viAccuracy.n),
    atLeast(
      'accuracy via score --jsonl, no hint',
      'Vietnamese',
      viThroughAnalysis.accuracy,
      TARGETS.vietnameseAccuracy,
      viThroughAnalysis.n,
    ),
  );

  // Complaints: rules are fixed, so simply per domain and overall.
  const complaintResults = complaints.map((row) => ({
    domain: String(row.domain ?? 'unknown'),
    predicted: analyze({ text: String(row.text ?? '') }).complaint,
    actual: row.complaint === true,
  }));
  // "Overall" pools the product domains; chatter is judged by its own flag rate (and shown in the all-rows F1).
  const productResults = complaintResults.filter((r) => !CHATTER_DOMAINS.has(r.domain));
  const overallComplaint = precisionRecall(productResults.map((r) => [r.predicted, r.actual]));
  const allRowsComplaint = precisionRecall(complaintResults.map((r) => [r.predicted, r.actual]));
  const byDomain: Record<string, PrecisionRecall> = {};
  for (const [domain, group] of groupBy(complaintResults, (r) => r.domain)) {
    byDomain[domain] = precisionRecall(group.map((r) => [r.predicted, r.actual]));
  }
  for (const [domain, pr] of Object.entries(byDomain)) {
    if (CHATTER_DOMAINS.has(domain)) {
      rows.push(
        atMost(`flag rate (${domain}, no complaints)`, 'Complaint', pr.flagged / pr.n, TARGETS.chatterFlagRate, pr.n),
      );
    } else {
      rows.push(
        atLeast(
          `F1 (${domain}) P=${fmt(pr.precision)} R=${fmt(pr.recall)}`,
          'Complaint',
          pr.f1,
          TARGETS.complaintF1,
          pr.n,
        ),
      );
    }
  }
  rows.push(
    atLeast(
      `F1 (product domains) P=${fmt(overallComplaint.precision)} R=${fmt(overallComplaint.recall)}`,
      'Complaint',
      overallComplaint.f1,
      TARGETS.complaintF1,
      overallComplaint.n,
    ),
  );
  rows.push({
    section: 'Complaint',
    metric: `F1 (all rows incl. chatter) P=${fmt(allRowsComplaint.precision)} R=${fmt(allRowsComplaint.recall)}`,
    value: allRowsComplaint.f1,
    target: '(info)',
    pass: true,
    n: allRowsComplaint.n,
    info: true,
  });

  // Memorable: text only; positives are 1–2★ reviews.
  const memorableResults = rated.map((row) => ({
    app: String(row.app ?? 'unknown'),
    predicted: analyze({ text: String(row.text ?? '') }).memorable,
    actual: Number(row.rating) <= 2,
  }));
  const overallMemorable = precisionRecall(memorableResults.map((r) => [r.predicted, r.actual]));
  const byApp: Record<string, PrecisionRecall> = {};
  for (const [app, group] of groupBy(memorableResults, (r) => r.app)) {
    byApp[app] = precisionRecall(group.map((r) => [r.predicted, r.actual]));
  }
  const memorableRows = (label: string, pr: PrecisionRecall): void => {
    rows.push(
      atLeast(
        `precision (${label}) ${pr.flagged} flagged`,
        'Memorable',
        pr.precision,
        TARGETS.memorablePrecision,
        pr.flagged,
      ),
    );
    rows.push(
      atLeast(
        `recall (${label}) of ${pr.positives} 1–2★`,
        'Memorable',
        pr.recall,
        TARGETS.memorableRecall,
        pr.positives,
      ),
    );
  };
  memorableRows('all', overallMemorable);
  // Per app is a breakdown (small groups of 25–40 flagged reviews): shown, not judged.
  const judged = rows.length;
  for (const [app, pr] of Object.entries(byApp)) memorableRows(app, pr);
  for (const row of rows.slice(judged)) Object.assign(row, { info: true, pass: true, target: `(${row.target})` });

  return {
    dataDir,
    rows,
    pass: rows.every((r) => r.pass),
    vaderParity: parity,
    vietnameseAccuracy: viAccuracy,
    complaint: { overall: overallComplaint, allRows: allRowsComplaint, byDomain },
    memorable: { overall: overallMemorable, byApp },
  };
}

function fmt(x: number): string {
  return x.toFixed(3);
}

/** A plain-text table: section, metric, value, target, pass/fail. */
export function formatEvalReport(report: EvalReport): string {
  const header = ['Section', 'Metric', 'Value', 'Target', 'n', 'Result'];
  const body = report.rows.map((r) => [
    r.section,
    r.metric,
    fmt(r.value),
    r.target,
    String(r.n),
    r.info ? 'info' : r.pass ? 'pass' : 'FAIL',
  ]);
  const failed = report.rows.filter((r) => !r.pass).length;
  const summary =
    failed === 0 ? 'All targets met.' : `${failed} of ${report.rows.filter((r) => !r.info).length} targets missed.`;
  return [...renderTable(header, body), '', summary].join('\n');
}

/** The judged figures below their thresholds, one line each naming the figure (what `eval --check` fails on). */
export function missedFigures(report: EvalReport): string[] {
  return report.rows
    .filter((row) => !row.info && !row.pass)
    .map((row) => `${row.section} · ${row.metric}: ${fmt(row.value)}, needs ${row.target} (n=${row.n})`);
}

import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_DATA_DIR } from './paths';
import { polarityScores } from '../../lambdas/core/analysis/vader';
import { renderTable } from './table';

/** One scorer measured over the bench texts for a fixed time budget. */
export interface BenchMeasurement {
  name: string;
  mentions: number;
  seconds: number;
  mentionsPerSecond: number;
}

export interface BenchReport {
  /** Where the texts came from: the dev reviews file or the built-in samples. */
  textSource: string;
  texts: number;
  averageChars: number;
  vader: BenchMeasurement;
  /** The whole analysis, when an analyze function was given. */
  analysis?: BenchMeasurement;
  /** The `vader-sentiment` npm package's polarity_scores loop: the baseline. */
  npmVader: BenchMeasurement;
  /** vader / npmVader mentions per second. */
  vaderSpeedup: number;
  /** analysis / npmVader mentions per second. */
  analysisSpeedup?: number;
  heapUsedMb: number;
}

export interface BenchOptions {
  texts?: string[];
  /** Time budget per measurement, in seconds (default 3). */
  seconds?: number;
  analyze?: (text: string) => unknown;
}

const DEV_REVIEWS = path.join(DEFAULT_DATA_DIR, 'rated-reviews-dev.jsonl');

/** Hand-written review-length texts, used when the dev data is not beside the repo. */
const SAMPLE_REVIEWS: readonly string[] = [
  'Ordered a blender on the 3rd, paid for express shipping, and it arrived two weeks later with a cracked jar. Support never answered my emails.',
  'Absolutely love this app! The new update is fast, clean and the dark mode finally looks right. Five stars from me.',
  'The checkout process is painfully slow and confusing. I gave up twice before I managed to pay.',
  "I've been a customer for six years and this is the first time I'm thinking of switching. The price went up again and nothing improved.",
  'Friendly staff, clean rooms, great breakfast. The only downside was the noisy air conditioning.',
  'Waited on hold for 3 hours just to be told to call back tomorrow. Unacceptable!!!',
  'It does what it says. Nothing more, nothing less. Setup took about ten minutes.',
  "The app keeps crashing after the latest update 😤 I can't even log in to see my orders.",
  'Not bad at all, but the battery life is shorter than advertised.',
  'Best customer service I have ever had: they replaced my broken headphones the same day, no questions asked.',
  'The delivery driver left the package in the rain and the box was soaked. The shoes inside were fine though.',
  'I was charged twice for the same subscription and it took a month and four tickets to get a refund.',
  'Great value for money. The sound quality surprised me for the price, and the case feels solid.',
  'Why does every update reset my settings? Please stop doing this, it is really annoying.',
  'Cancelled my membership today. The gym is always overcrowded and half the machines are broken.',
  'The food was cold, the waiter was rude and we waited forty minutes for the bill. Never again.',
  'Smooth onboarding, helpful tutorials and a support chat that actually answers. Highly recommend!',
  "Honestly it's okay. The design is nice but the search never finds what I'm looking for.",
  'My flight was delayed five hours and nobody from the airline explained anything. Lost my connection and a day of vacation.',
  'Love the new features 😍 the widgets are so handy and the app feels much faster than before.',
  'The product stopped working after two weeks. Warranty claim rejected because I "misused" it. Terrible experience.',
  'Decent laptop for students. Keyboard is comfortable, screen could be brighter, fan gets loud under load.',
  'Still waiting for a reply to my complaint from last month. Is anyone even reading these?',
  'The hotel upgraded us to a suite for our anniversary without us asking. Such a lovely surprise, thank you!',
  "Installation was a nightmare. The instructions were missing a page and the screws didn't fit.",
  'Good coffee, cozy place, slow wifi. I come here to read on weekends.',
  'I expected so much more for a premium plan. Disappointed with the limits and the constant upsells.',
  'Quick delivery, well packed, exactly as described. Would buy from this seller again.',
  'The bank froze my account without warning and the branch could not tell me why. I am moving my savings elsewhere.',
  'Kind of useful, sort of clunky. It works if you are patient.',
];

function loadDefaultTexts(): { texts: string[]; source: string } {
  if (fs.existsSync(DEV_REVIEWS)) {
    const texts = fs
      .readFileSync(DEV_REVIEWS, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { text?: unknown }).text)
      .filter((text): text is string => typeof text === 'string' && text.trim() !== '');
    if (texts.length > 0) return { texts, source: path.basename(DEV_REVIEWS) };
  }
  return { texts: [...SAMPLE_REVIEWS], source: 'built-in sample reviews' };
}

interface NpmVader {
  SentimentIntensityAnalyzer: { polarity_scores(text: string): unknown };
}

function loadNpmVader(): NpmVader {
  // The package ships untyped CommonJS; loaded only here, for the baseline.
  return require('vader-sentiment') as NpmVader;
}

/** Runs `score` over the texts, round after round, until the time budget is spent. */
function measure(name: string, texts: string[], score: (text: string) => unknown, seconds: number): BenchMeasurement {
  const budgetNs = BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  let mentions = 0;
  let elapsedNs = 0n;
  do {
    for (const text of texts) {
      score(text);
    }
    mentions += texts.length;
    elapsedNs = process.hrtime.bigint() - start;
  } while (elapsedNs < budgetNs);
  const elapsed = Number(elapsedNs) / 1e9;
  return { name, mentions, seconds: elapsed, mentionsPerSecond: mentions / elapsed };
}

/**
 * Mentions per second of our VADER port, of the whole analysis (when given) and of the `vader-sentiment`
 * npm package, on the same texts in the same run, each after a warm-up and for the same time budget.
 */
export async function runBench(opts: BenchOptions = {}): Promise<BenchReport> {
  const seconds = opts.seconds && opts.seconds > 0 ? opts.seconds : 3;
  const loaded =
    opts.texts && opts.texts.length > 0 ? { texts: opts.texts, source: 'given texts' } : loadDefaultTexts();
  const texts = loaded.texts;
  const npm = loadNpmVader().SentimentIntensityAnalyzer;

  const scorers: Array<[string, (text: string) => unknown]> = [['vader (ours)', polarityScores]];
  if (opts.analyze) scorers.push(['analysis (whole)', opts.analyze]);
  scorers.push(['vader-sentiment (npm)', (text: string) => npm.polarity_scores(text)]);

  // Warm up every scorer first so the JIT has settled before any measurement.
  const warmUp = Math.min(1, Math.max(0.2, seconds / 4));
  for (const [name, score] of scorers) measure(name, texts, score, warmUp);

  const results = new Map<string, BenchMeasurement>();
  for (const [name, score] of scorers) {
    results.set(name, measure(name, texts, score, seconds));
    await new Promise((resolve) => setImmediate(resolve)); // let the event loop breathe between runs
  }
  const vader = results.get('vader (ours)') as BenchMeasurement;
  const analysis = results.get('analysis (whole)');
  const npmVader = results.get('vader-sentiment (npm)') as BenchMeasurement;

  return {
    textSource: loaded.source,
    texts: texts.length,
    averageChars: Math.round(texts.reduce((sum, text) => sum + text.length, 0) / texts.length),
    vader,
    analysis,
    npmVader,
    vaderSpeedup: vader.mentionsPerSecond / npmVader.mentionsPerSecond,
    analysisSpeedup: analysis ? analysis.mentionsPerSecond / npmVader.mentionsPerSecond : undefined,
    heapUsedMb: process.memoryUsage().heapUsed / 1024 / 1024,
  };
}

/** A small table of the bench results. */
export function formatBenchReport(r: BenchReport): string {
  const rows = [r.vader, ...(r.analysis ? [r.analysis] : []), r.npmVader];
  const speedup = (m: BenchMeasurement) => `${(m.mentionsPerSecond / r.npmVader.mentionsPerSecond).toFixed(1)}x`;
  const lines = [
    `${r.texts} texts (${r.textSource}), ${r.averageChars} chars on average`,
    '',
    ...renderTable(
      ['scorer', 'mentions/s', 'vs npm'],
      rows.map((m) => [m.name, Math.round(m.mentionsPerSecond).toLocaleString('en-US'), speedup(m)]),
      { alignRight: [1, 2] },
    ),
    '',
    `heap used: ${r.heapUsedMb.toFixed(1)} MB`,
  ];
  return lines.join('\n');
}

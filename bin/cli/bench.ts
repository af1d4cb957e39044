import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchJsonl, generateBenchTexts } from './bench-texts';
import type { GroupingReport } from './bench-grouping';
import type { InboxBenchReport } from './bench-inbox';
import { renderTable } from './table';

/**
 * `npm run bench`: three sections, each run several times in fresh processes and printed as min / median / max.
 * - analysis: the whole `earshot score --jsonl` process on generated lines, next to the `vader-sentiment` package's
 *   bare `polarity_scores` loop on the same texts (its own process, timed around the loop only), and the ratio;
 * - pipeline: the local webhook path (verify, analyse, store, group, alert) at 1k and 10k mentions (100k with
 *   --large), in mentions/s, time of the first and last thousand, and peak RSS;
 * - grouping: one flagged mention grouped with 1,000 open incidents, over the open-incident index and over the list
 *   (bench-grouping.ts);
 * - lambda: each handler bundled as the stack bundles it (esbuild), its size and its module init;
 * - inbox: the web inbox's JavaScript gzipped, and the first page of a 10,000-mention queue in Chromium (bench-inbox.ts).
 * Timings are CPU seconds where the machine is shared (the ratio is of CPU time), wall seconds beside them.
 */

export const SECTIONS = ['analysis', 'pipeline', 'grouping', 'lambda', 'inbox'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  sections: Section[];
  /** Runs per measurement (≥ 1; 3 by default). */
  runs: number;
  /** Lines of the analysis section. */
  lines: number;
  /** Pipeline sizes, in mentions. */
  sizes: number[];
  /** Lambda handlers to measure (all by default). */
  handlers?: string[];
  /** Progress lines go here (stderr). */
  log?: (line: string) => void;
}

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const LAUNCHER = path.join(PROJECT_ROOT, 'bin', 'earshot.js');

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { min: sorted[0], median, max: sorted[sorted.length - 1] };
}

/** CPU seconds (user + system) of this process's waited-for children so far, from /proc (Linux); else null. */
function childrenCpuSeconds(): number | null {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces) start at index 3; cutime and cstime are fields 16, 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[13]) + Number(fields[14]);
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

interface ProcessTiming {
  wall: number;
  cpu: number | null;
  stdout: string;
}

/** Runs a child process to completion; stdin from a file, stdout kept unless `discard`. */
function timedRun(
  args: string[],
  opts: { stdinFile?: string; discard?: boolean; env?: NodeJS.ProcessEnv } = {},
): ProcessTiming {
  const stdin = opts.stdinFile ? fs.openSync(opts.stdinFile, 'r') : 'ignore';
  const cpuBefore = childrenCpuSeconds();
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    stdio: [stdin, opts.discard ? 'ignore' : 'pipe', 'pipe'],
    env: opts.env ?? process.env,
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const cpuAfter = childrenCpuSeconds();
  if (typeof stdin === 'number') fs.closeSync(stdin);
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `bench: ${path.basename(args[0] ?? 'node')} exited ${result.status}: ${(result.stderr ?? '').trim().slice(0, 500)}`,
    );
  }
  return {
    wall,
    cpu: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    stdout: result.stdout ?? '',
  };
}

// ---------------------------------------------------------------------------------------------------------------
// analysis

/** The baseline, in its own process: read the texts, then time only the `polarity_scores` loop (wall and CPU). */
const NPM_VADER_LOOP = `
const texts = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
const { SentimentIntensityAnalyzer } = require(process.argv[2]);
const cpu0 = process.cpuUsage(); const t0 = process.hrtime.bigint();
for (const text of texts) SentimentIntensityAnalyzer.polarity_scores(text);
const wall = Number(process.hrtime.bigint() - t0) / 1e9; const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({ wall, cpu: (cpu.user + cpu.system) / 1e6 }));
`;

export interface AnalysisRun {
  /** `score --jsonl`, whole process. */
  scoreWall: number;
  scoreCpu: number;
  /** The vader-sentiment loop only. */
  npmWall: number;
  npmCpu: number;
  /** npm CPU seconds / score CPU seconds (wall when CPU time is not readable). */
  ratio: number;
}

export interface AnalysisReport {
  lines: number;
  averageChars: number;
  vietnameseShare: number;
  /** Whether `score` ran from the prebuilt bundle (dist/cli) or from the TypeScript sources. */
  prebuilt: boolean;
  runs: AnalysisRun[];
}

function prebuiltIsFresh(): boolean {
  try {
    const bundle = path.join(PROJECT_ROOT, 'dist', 'cli', 'earshot.js');
    const built = fs.statSync(bundle).mtimeMs;
    const inputs = JSON.parse(
      fs.readFileSync(path.join(PROJECT_ROOT, 'dist', 'cli', 'inputs.json'), 'utf8'),
    ) as string[];
    return inputs.every((input) => fs.statSync(path.join(PROJECT_ROOT, input)).mtimeMs <= built);
  } catch {
    return false;
  }
}

export function runAnalysisBench(opts: BenchOptions, dir: string): AnalysisReport {
  const log = opts.log ?? (() => undefined);
  const texts = generateBenchTexts(opts.lines);
  const jsonl = path.join(dir, 'lines.jsonl');
  const textsFile = path.join(dir, 'texts.json');
  fs.writeFileSync(jsonl, benchJsonl(texts));
  fs.writeFileSync(textsFile, JSON.stringify(texts));
  const npmVader = require.resolve('vader-sentiment');
  const runs: AnalysisRun[] = [];
  for (let run = 1; run <= opts.runs; run++) {
    const score = timedRun([LAUNCHER, 'score', '--jsonl'], { stdinFile: jsonl, discard: true });
    log(`analysis run ${run}/${opts.runs}: score --jsonl ${score.wall.toFixed(2)} s`);
    const npm = JSON.parse(timedRun(['-e', NPM_VADER_LOOP, textsFile, npmVader]).stdout) as {
      wall: number;
      cpu: number;
    };
    log(`analysis run ${run}/${opts.runs}: vader-sentiment loop ${npm.wall.toFixed(2)} s`);
    const scoreCpu = score.cpu ?? score.wall;
    runs.push({
      scoreWall: score.wall,
      scoreCpu,
      npmWall: npm.wall,
      npmCpu: npm.cpu,
      ratio: score.cpu === null ? npm.wall / score.wall : npm.cpu / scoreCpu,
    });
  }
  const vietnamese = texts.filter((text) => VIETNAMESE_HINT.test(text)).length;
  return {
    lines: texts.length,
    averageChars: Math.round(texts.reduce((sum, text) => sum + text.length, 0) / texts.length),
    vietnameseShare: vietnamese / texts.length,
    prebuilt: prebuiltIsFresh(),
    runs,
  };
}

/** Rough share of Vietnamese lines for the header: a diacritic or a common unaccented syllable pair. */
const VIETNAMESE_HINT = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]|\b(?:khong|giao hang|nhung|rat|mua)\b/i;

// ---------------------------------------------------------------------------------------------------------------
// pipeline

export interface PipelineRun {
  mentions: number;
  seconds: number;
  cpu: number | null;
  /** Seconds of each thousand, verified, stored, grouped and alerted. */
  firstThousand: number;
  lastThousand: number;
  peakRssMb: number;
  flagged: number;
  incidents: number;
  alerts: number;
}

export interface PipelineReport {
  runs: PipelineRun[];
}

export function runPipelineBench(opts: BenchOptions): PipelineReport {
  const log = opts.log ?? (() => undefined);
  const runs: PipelineRun[] = [];
  for (const size of opts.sizes) {
    for (let run = 1; run <= opts.runs; run++) {
      const child = timedRun([LAUNCHER, 'bench-worker', 'pipeline', String(size)]);
      const result = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Omit<PipelineRun, 'cpu'>;
      runs.push({ ...result, cpu: child.cpu });
      log(`pipeline ${size} run ${run}/${opts.runs}: ${result.seconds.toFixed(1)} s, peak RSS ${result.peakRssMb} MB`);
    }
  }
  return { runs };
}

// ---------------------------------------------------------------------------------------------------------------
// lambda

export const HANDLERS = ['poll', 'analyze', 'alert', 'escalate', 'triage-api', 'webhook'] as const;
type Handler = (typeof HANDLERS)[number];
/** Module inits per handler and variant, each in a fresh process. */
export const LAMBDA_INITS = 10;

export interface LambdaInit {
  bundleBytes: number;
  /** Module init (require of the bundle) in fresh processes, wall ms. */
  initMs: number[];
  /** The same inits in CPU ms of the process (user + system, all threads). */
  initCpuMs: number[];
}

export interface LambdaRow extends LambdaInit {
  handler: string;
  /** The other choice for the AWS SDK (bundled if the stack takes the runtime's copy, else external). */
  sdkOther: LambdaInit;
}

/** Environment the stack gives every function (names only matter; nothing is called during init). */
function lambdaEnv(): NodeJS.ProcessEnv {
  const { LAMBDA_NODE_OPTIONS } = require('../../lib/lambda-bundling') as typeof import('../../lib/lambda-bundling');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    // Packages left external (the other variant's SDK; the secrets clients) resolve here, as from the runtime's
    // /var/runtime/node_modules.
    NODE_PATH: path.join(PROJECT_ROOT, 'node_modules'),
    NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
    // Node 24 on Lambda prints no SDK notice about Node 20's end of support; this Node 20 would.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    POWERTOOLS_SERVICE_NAME: 'earshot',
    POWERTOOLS_METRICS_NAMESPACE: 'Earshot',
    EARSHOT_TABLE_NAME: 'earshot-bench',
    EARSHOT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/mentions',
    EARSHOT_ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts',
    EARSHOT_ESCALATION_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:escalations',
  };
  return env;
}

/**
 * Requires the bundle once and prints the milliseconds it took (wall, then CPU): the module init Lambda bills as
 * Init Duration. The handlers build their clients and validate their config at module scope, so this is all of it.
 */
const INIT_PROBE = `
const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint();
require(process.argv[1]);
const wall = Number(process.hrtime.bigint() - t0) / 1e6; const c = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ wall, cpu: (c.user + c.system) / 1e3 }));
`;

/** Whether the stack leaves the AWS SDK to the runtime (the bench then measures bundling it as the other choice). */
function sdkExternal(): boolean {
  const { LAMBDA_BUNDLING } = require('../../lib/lambda-bundling') as typeof import('../../lib/lambda-bundling');
  return LAMBDA_BUNDLING.externalModules.includes('@aws-sdk/*');
}

/** The esbuild options aws-lambda-nodejs passes for lib/lambda-bundling.ts's settings (see its bundling.js). */
export function lambdaBuildOptions(
  handler: string,
  outfile: string,
  external: string[],
): import('esbuild').BuildOptions {
  const { LAMBDA_BUNDLING } = require('../../lib/lambda-bundling') as typeof import('../../lib/lambda-bundling');
  return {
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [path.join(PROJECT_ROOT, 'lambdas', 'handlers', `${handler}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    target: LAMBDA_BUNDLING.target,
    format: 'cjs',
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    minify: LAMBDA_BUNDLING.minify,
    sourcemap: LAMBDA_BUNDLING.sourceMap,
    sourcesContent: LAMBDA_BUNDLING.sourcesContent,
    // `--supported:feature=false` arguments, as esbuild's CLI reads them.
    supported: Object.fromEntries(
      Object.entries(LAMBDA_BUNDLING.esbuildArgs).flatMap(([arg, value]) =>
        arg.startsWith('--supported:') ? [[arg.slice('--supported:'.length), value === 'true']] : [],
      ),
    ),
    external,
    logLevel: 'error',
  };
}

export function runLambdaBench(opts: BenchOptions, dir: string): LambdaRow[] {
  const log = opts.log ?? (() => undefined);
  // esbuild is a dev dependency: the bench is a developer's tool, like cdk synth.
  const { buildSync } = require('esbuild') as typeof import('esbuild');
  const { LAMBDA_BUNDLING } = require('../../lib/lambda-bundling') as typeof import('../../lib/lambda-bundling');
  const { DEPLOYED_CONFIG_FILE, deployedConfig } =
    require('../../lambdas/config/env') as typeof import('../../lambdas/config/env');
  const { parseConfig } = require('../../lambdas/config/parse') as typeof import('../../lambdas/config/parse');
  // Validated with its defaults filled, as the stack serializes it (lib/earshot-function.ts).
  const config = parseConfig(benchLambdaConfig());
  const unknown = (opts.handlers ?? []).filter((name) => !(HANDLERS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown handler ${unknown.join(', ')} (known: ${HANDLERS.join(', ')})`);
  const handlers = opts.handlers && opts.handlers.length > 0 ? (opts.handlers as Handler[]) : [...HANDLERS];
  const build = (handler: Handler, variant: string, external: string[]): string => {
    const out = path.join(dir, 'lambda', variant, handler);
    fs.mkdirSync(out, { recursive: true });
    const outfile = path.join(out, 'index.js');
    buildSync(lambdaBuildOptions(handler, outfile, external));
    // The function's part of the config travels beside the bundle, as the stack puts it there.
    fs.writeFileSync(path.join(out, DEPLOYED_CONFIG_FILE), JSON.stringify(deployedConfig(config, handler)));
    return outfile;
  };
  const rows: LambdaRow[] = [];
  for (const handler of handlers) {
    const deployed = build(handler, 'deployed', [...LAMBDA_BUNDLING.externalModules]);
    const other = build(handler, 'sdk-other', sdkExternal() ? [] : ['@aws-sdk/*']);
    const inits: Record<'deployed' | 'other', LambdaInit> = {
      deployed: { bundleBytes: fs.statSync(deployed).size, initMs: [], initCpuMs: [] },
      other: { bundleBytes: fs.statSync(other).size, initMs: [], initCpuMs: [] },
    };
    // Alternate the two variants so a busy moment on a shared machine falls on both alike.
    for (let i = 0; i < LAMBDA_INITS; i++) {
      for (const [variant, file] of [
        ['deployed', deployed],
        ['other', other],
      ] as const) {
        const probe = JSON.parse(timedRun(['-e', INIT_PROBE, file], { env: lambdaEnv() }).stdout) as {
          wall: number;
          cpu: number;
        };
        inits[variant].initMs.push(probe.wall);
        inits[variant].initCpuMs.push(probe.cpu);
      }
    }
    const row: LambdaRow = { handler, ...inits.deployed, sdkOther: inits.other };
    log(
      `lambda ${handler}: ${(row.bundleBytes / 1e6).toFixed(2)} MB, init median ${spread(row.initMs).median.toFixed(0)} ms ` +
        `(SDK ${sdkExternal() ? 'bundled' : 'external'}: ${spread(row.sdkOther.initMs).median.toFixed(0)} ms)`,
    );
    rows.push(row);
  }
  return rows;
}

/** A config like the example's, as the stack bundles it (JSON, one brand, a webhook and a poll source). */
function benchLambdaConfig(): object {
  return {
    brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }],
    sources: [
      { id: 'acme-hn', kind: 'hackernews', brand: 'acme' },
      { id: 'acme-desk', kind: 'webhook', brand: 'acme', secretSecret: 'earshot/desk' },
    ],
    retentionDays: 90,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The report

export interface FullBenchReport {
  analysis?: AnalysisReport;
  pipeline?: PipelineReport;
  grouping?: GroupingReport;
  lambda?: LambdaRow[];
  inbox?: InboxBenchReport;
}

export async function runBench(opts: BenchOptions): Promise<FullBenchReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-bench-'));
  try {
    const report: FullBenchReport = {};
    if (opts.sections.includes('analysis')) report.analysis = runAnalysisBench(opts, dir);
    if (opts.sections.includes('pipeline')) report.pipeline = runPipelineBench(opts);
    if (opts.sections.includes('grouping')) {
      const { runGroupingBench } = require('./bench-grouping') as typeof import('./bench-grouping');
      report.grouping = runGroupingBench({ runs: Math.max(3, opts.runs), log: opts.log });
    }
    if (opts.sections.includes('lambda')) report.lambda = runLambdaBench(opts, dir);
    if (opts.sections.includes('inbox')) {
      const { runInboxBench } = require('./bench-inbox') as typeof import('./bench-inbox');
      report.inbox = await runInboxBench({ runs: Math.max(5, opts.runs), log: opts.log });
    }
    return report;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const fixed = (digits: number) => (n: number) => n.toFixed(digits);

/** One row "name | min | median | max" of a figure over the runs. */
function spreadRow(name: string, values: readonly number[], format: (n: number) => string): string[] {
  const s = spread(values);
  return [name, format(s.min), format(s.median), format(s.max)];
}

export function formatBenchReport(report: FullBenchReport): string {
  const out: string[] = [];
  const a = report.analysis;
  if (a) {
    const runs = a.runs;
    out.push(
      `analysis: ${int(a.lines)} generated lines (${Math.round(a.vietnameseShare * 100)}% Vietnamese, ` +
        `${a.averageChars} chars on average), ${runs.length} runs, each in fresh processes` +
        (a.prebuilt ? '' : ' (CLI ran from the TypeScript sources: run `npm run build` first)'),
      '',
      ...renderTable(
        ['figure', 'min', 'median', 'max'],
        [
          spreadRow(
            'score --jsonl, whole process, mentions/s (CPU)',
            runs.map((r) => a.lines / r.scoreCpu),
            int,
          ),
          spreadRow(
            'score --jsonl, whole process, mentions/s (wall)',
            runs.map((r) => a.lines / r.scoreWall),
            int,
          ),
          spreadRow(
            'vader-sentiment loop, mentions/s (CPU)',
            runs.map((r) => a.lines / r.npmCpu),
            int,
          ),
          spreadRow(
            'vader-sentiment loop, mentions/s (wall)',
            runs.map((r) => a.lines / r.npmWall),
            int,
          ),
          spreadRow(
            'ratio (vader-sentiment CPU s / score CPU s)',
            runs.map((r) => r.ratio),
            (n) => `${n.toFixed(1)}x`,
          ),
        ],
        { alignRight: [1, 2, 3] },
      ),
      '',
    );
  }
  const p = report.pipeline;
  if (p) {
    out.push('pipeline: signed webhook deliveries of 100 → verify, analyse, store, group, alert (in-memory store)', '');
    const rows: string[][] = [];
    for (const size of [...new Set(p.runs.map((r) => r.mentions))]) {
      const runs = p.runs.filter((r) => r.mentions === size);
      const label = `${int(size)} (${runs.length} runs)`;
      rows.push(
        spreadRow(
          `${label} mentions/s`,
          runs.map((r) => r.mentions / r.seconds),
          int,
        ),
        spreadRow(
          `${label} total s`,
          runs.map((r) => r.seconds),
          fixed(1),
        ),
        spreadRow(
          `${label} first thousand s`,
          runs.map((r) => r.firstThousand),
          fixed(2),
        ),
        spreadRow(
          `${label} last thousand s`,
          runs.map((r) => r.lastThousand),
          fixed(2),
        ),
        spreadRow(
          `${label} last / first`,
          runs.map((r) => r.lastThousand / r.firstThousand),
          fixed(2),
        ),
        spreadRow(
          `${label} peak RSS MB`,
          runs.map((r) => r.peakRssMb),
          int,
        ),
      );
    }
    out.push(...renderTable(['figure', 'min', 'median', 'max'], rows, { alignRight: [1, 2, 3] }));
    for (const size of [...new Set(p.runs.map((r) => r.mentions))]) {
      const last = p.runs.filter((r) => r.mentions === size).pop() as PipelineRun;
      out.push(
        `${int(size)} mentions: ${int(last.flagged)} flagged, ${int(last.incidents)} incidents, ${int(last.alerts)} alerts`,
      );
    }
    out.push('');
  }
  const g = report.grouping;
  if (g) {
    out.push(
      `grouping: one flagged mention with ${int(g.openIncidents)} open incidents of its brand (assignIncident), ` +
        `${int(g.mentionsPerRun)} mentions a run (half join an incident, half open one), ${g.runs.length} runs`,
      '',
      ...renderTable(
        ['figure', 'min', 'median', 'max'],
        [
          spreadRow(
            'over the open-incident index, µs a mention (wall)',
            g.runs.map((r) => r.indexedUs),
            fixed(0),
          ),
          spreadRow(
            'over the open-incident index, µs a mention (CPU)',
            g.runs.map((r) => r.indexedCpuUs),
            fixed(0),
          ),
          spreadRow(
            'slowest single mention over the index, µs',
            g.runs.map((r) => r.indexedMaxUs),
            fixed(0),
          ),
          spreadRow(
            'over the list of every open incident, µs a mention (wall)',
            g.runs.map((r) => r.linearUs),
            fixed(0),
          ),
          spreadRow(
            'over the list of every open incident, µs a mention (CPU)',
            g.runs.map((r) => r.linearCpuUs),
            fixed(0),
          ),
          spreadRow(
            'incidents compared over the index, a mention',
            g.runs.map((r) => r.candidates),
            fixed(0),
          ),
          spreadRow(
            'share that joined an incident',
            g.runs.map((r) => r.joined),
            fixed(2),
          ),
        ],
        { alignRight: [1, 2, 3] },
      ),
      '',
    );
  }
  const l = report.lambda;
  if (l) {
    out.push(
      `lambda: each handler bundled as the stack bundles it (lib/lambda-bundling.ts: esbuild, minified, AWS SDK ` +
        `${sdkExternal() ? 'from the runtime (here node_modules)' : 'bundled from its ES modules, tree-shaken, secrets clients from the runtime'}); module init = require in ${LAMBDA_INITS} fresh processes with the functions' NODE_OPTIONS ` +
        `(--enable-source-maps), config validated and clients built; ms wall (CPU beside it)`,
      '',
      ...renderTable(
        [
          'handler',
          'bundle',
          'init min ms',
          'median',
          'max',
          'CPU median',
          `SDK ${sdkExternal() ? 'bundled' : 'external'}: bundle`,
          'init median',
          'CPU median',
        ],
        l.map((row) => {
          const s = spread(row.initMs);
          return [
            row.handler,
            `${(row.bundleBytes / 1e6).toFixed(2)} MB`,
            s.min.toFixed(0),
            s.median.toFixed(0),
            s.max.toFixed(0),
            spread(row.initCpuMs).median.toFixed(0),
            `${(row.sdkOther.bundleBytes / 1e6).toFixed(2)} MB`,
            spread(row.sdkOther.initMs).median.toFixed(0),
            spread(row.sdkOther.initCpuMs).median.toFixed(0),
          ];
        }),
        { alignRight: [1, 2, 3, 4, 5, 6, 7, 8] },
      ),
      '',
    );
  }
  if (report.inbox) {
    const { formatInboxBench } = require('./bench-inbox') as typeof import('./bench-inbox');
    out.push(formatInboxBench(report.inbox), '');
  }
  return out.join('\n').trimEnd();
}

import { Command, InvalidArgumentError, Option } from 'commander';
import { EarshotError } from '../lambdas/core/errors';
import { stripControls } from '../lambdas/core/text';
import { DEFAULT_DATA_DIR } from './cli/paths';
import type { RunOptions } from './cli/run';

/**
 * The `earshot` CLI. Each command requires its modules when it runs (literal `require`s, so the bundle keeps them
 * lazy too) so `earshot score` does not pay for the AWS SDK or dynalite, and a command's failure prints one clear
 * line (exit 1) instead of a stack trace. bin/earshot.js calls `main`: whether this is "the main module" is never
 * decided from a path (npx and npm link start the bin through symlinks).
 */

/** Shortest time between passes of `run`: polling faster only burns the sources' rate limits. */
export const MIN_INTERVAL_MS = 30_000;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

/** "30s", "5m", "1h" → milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('must be a duration like 30s, 5m or 1h');
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * unit);
}

function interval(value: string): number {
  const ms = parseDuration(value);
  if (ms < MIN_INTERVAL_MS) throw new InvalidArgumentError(`must be at least ${MIN_INTERVAL_MS / 1000}s`);
  return ms;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535)
    throw new InvalidArgumentError('must be a port, 0-65535 (0: any free port)');
  return n;
}

function languageCode(value: string): string {
  const { normalizeLanguageHint, KNOWN_LANGUAGE_CODES } =
    require('../lambdas/core/analysis/language') as typeof import('../lambdas/core/analysis/language');
  const code = normalizeLanguageHint(value);
  if (code === null)
    throw new InvalidArgumentError(`unknown language "${value}" (known: ${KNOWN_LANGUAGE_CODES.join(', ')})`);
  return code;
}

/**
 * The CLI's one error mapping: an EarshotError (bad config, missing item, failing source…) says what to fix in its
 * message; anything else is unexpected, and EARSHOT_DEBUG=1 adds its stack.
 */
async function fail(error: unknown): Promise<never> {
  // A message may quote an id or text a source chose (`no mention desk/…`): no control character reaches the terminal.
  const message = stripControls(error instanceof Error ? error.message : String(error));
  process.stderr.write(`earshot: ${message}\n`);
  if (!(error instanceof EarshotError) && error instanceof Error && process.env.EARSHOT_DEBUG) {
    process.stderr.write(`${error.stack}\n`);
  }
  process.exit(1);
}

function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void) {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      await fail(error);
    }
  };
}

const program = new Command()
  .name('earshot')
  .description('Social listening that flags memorable negative experiences and alerts once per incident.')
  .version('0.1.0');

program
  .command('score')
  .description('Analyse text: `earshot score "text"` for people, `earshot score --jsonl` for machines (stdin → stdout)')
  .argument('[text...]', 'the text to score')
  .option('--jsonl', 'read {"id","text","language"?} lines on stdin, write one analysis per line')
  .option('--json', 'print the analysis of the text as JSON')
  .option('--language <code>', 'language of the text, e.g. vi (detected when absent)', languageCode)
  .addOption(new Option('--lang <code>').argParser(languageCode).hideHelp())
  .action(
    action(async (words: string[], opts: { jsonl?: boolean; json?: boolean; language?: string; lang?: string }) => {
      const score = require('./cli/score') as typeof import('./cli/score');
      if (opts.jsonl) {
        await score.scoreJsonlStream(process.stdin, process.stdout);
        return;
      }
      const text = words.join(' ');
      if (text === '') throw new Error('give a text to score, or --jsonl to read JSON lines from stdin');
      const { analyze } =
        require('../lambdas/core/analysis/analyze') as typeof import('../lambdas/core/analysis/analyze');
      const analysis = analyze({ text, lang: opts.language ?? opts.lang });
      console.log(opts.json ? JSON.stringify(analysis, null, 2) : score.formatScore(text, analysis));
    }),
  );

program
  .command('run')
  .description('Run the pipeline: poll sources, analyse, store, alert')
  .requiredOption('-c, --config <file>', 'config file (YAML or JSON)')
  .option('--once', 'run one pass and exit')
  .addOption(
    new Option('--interval <duration>', 'time between passes (e.g. 5m; at least 30s)')
      .argParser(interval)
      .default(300_000, '5m'),
  )
  .option('--json', 'print the pass summary as one JSON object')
  .option('--passes <n>', 'stop after n passes', positiveInt)
  .option('--listen <port>', 'also receive pushed mentions at POST http://127.0.0.1:<port>/ingest/{sourceId}', port)
  .action(
    action(async (opts: RunOptions) => {
      const { runCommand } = require('./cli/run') as typeof import('./cli/run');
      await runCommand(opts);
    }),
  );

program
  .command('serve')
  .description('Run the local pipeline with webhook ingest, the triage HTTP API and the web inbox at /')
  .requiredOption('-c, --config <file>', 'config file (YAML or JSON)')
  .option(
    '--port <n>',
    'port (0 picks a free one)',
    (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number 0–65535');
      return n;
    },
    8787,
  )
  .option('--host <address>', 'address to bind; anything but loopback needs $EARSHOT_SERVE_TOKEN', '127.0.0.1')
  .action(
    action(async (opts: { config: string; port: number; host: string }) => {
      const { serveCommand } = require('./cli/serve') as typeof import('./cli/serve');
      await serveCommand(opts);
    }),
  );

program
  .command('demo')
  .description('Offline demo: the real adapters read bundled sample responses from a local server')
  .option('--json', 'print the summary as JSON')
  .option('--keep', 'keep the demo store in .earshot/demo instead of memory')
  .option('--serve', 'then open the story in the web inbox (like earshot serve) until Ctrl-C')
  .option('--port <n>', 'port for --serve', Number, 8787)
  .action(
    action(async (opts: { json?: boolean; keep?: boolean; serve?: boolean; port?: number }) => {
      const { runDemo } = require('./cli/demo') as typeof import('./cli/demo');
      await runDemo(opts);
    }),
  );

const triage = program
  .command('triage')
  .description('Triage flagged mentions: list, show, ack, ack-alert, resolve, false-positive, assign, note, stats');
const triageConfig = new Option('-c, --config <file>', 'config file').default('examples/earshot.config.yaml');
const triageJson = new Option('--json', 'print JSON');
// One definition for every command that takes an id: alerts print unusual ids percent-encoded, to be run as printed.
const triageEncoded = new Option(
  '--encoded',
  'the ids are percent-encoded (alerts print unusual ids this way so no shell misreads them)',
);
triage
  .command('list')
  .description('the triage queue: flagged mentions by status, then severity, then time')
  .addOption(triageConfig)
  .addOption(triageJson)
  .option('--brand <id>', 'only this brand')
  .option('--status <status>', 'new | acknowledged | resolved | false_positive')
  .option('--limit <n>', 'at most n', positiveInt, 50)
  .action(
    action(async (opts) => (require('./cli/triage') as typeof import('./cli/triage')).triageCommand('list', [], opts)),
  );
for (const [name, args, description] of [
  ['show', '<sourceId> <id>', 'one flagged mention with its analysis and history'],
  ['ack', '<sourceId> <id>', 'acknowledge (stops escalation)'],
  ['resolve', '<sourceId> <id>', 'mark resolved'],
  ['false-positive', '<sourceId> <id>', 'mark as a false positive (kept as feedback for tuning)'],
  ['reopen', '<sourceId> <id>', 'reopen a resolved or false-positive mention'],
] as const) {
  triage
    .command(`${name} ${args}`)
    .description(description)
    .addOption(triageConfig)
    .addOption(triageJson)
    .option('--by <who>', 'who did it', process.env.USER ?? 'cli')
    .option('--note <text>', 'a note')
    .addOption(triageEncoded)
    .action(
      action(async (sourceId: string, id: string, opts) =>
        (require('./cli/triage') as typeof import('./cli/triage')).triageCommand(name, [sourceId, id], opts),
      ),
    );
}
triage
  .command('ack-alert <alertId>')
  .description('acknowledge an alert by id (spikes and digests have no mention to ack); stops its escalation')
  .addOption(triageConfig)
  .addOption(triageJson)
  .option('--by <who>', 'who did it', process.env.USER ?? 'cli')
  .option('--note <text>', 'a note (not stored: alert records keep only who and when)')
  .addOption(triageEncoded)
  .action(
    action(async (alertId: string, opts) =>
      (require('./cli/triage') as typeof import('./cli/triage')).triageCommand('ack-alert', [alertId], opts),
    ),
  );
triage
  .command('assign <sourceId> <id> <assignee>')
  .description('assign to a person')
  .addOption(triageConfig)
  .addOption(triageJson)
  .option('--by <who>', 'who did it', process.env.USER ?? 'cli')
  .option('--note <text>', 'a note')
  .addOption(triageEncoded)
  .action(
    action(async (sourceId: string, id: string, assignee: string, opts) =>
      (require('./cli/triage') as typeof import('./cli/triage')).triageCommand('assign', [sourceId, id], {
        ...opts,
        assignee,
      }),
    ),
  );
triage
  .command('note <sourceId> <id> <text>')
  .description('add a note')
  .addOption(triageConfig)
  .addOption(triageJson)
  .option('--by <who>', 'who did it', process.env.USER ?? 'cli')
  .addOption(triageEncoded)
  .action(
    action(async (sourceId: string, id: string, text: string, opts) =>
      (require('./cli/triage') as typeof import('./cli/triage')).triageCommand('note', [sourceId, id], {
        ...opts,
        note: text,
      }),
    ),
  );
triage
  .command('stats')
  .description('statuses and false-positive precision by cue and source')
  .addOption(triageConfig)
  .addOption(triageJson)
  .option('--brand <id>', 'only this brand')
  .action(
    action(async (opts) => (require('./cli/triage') as typeof import('./cli/triage')).triageCommand('stats', [], opts)),
  );

program
  .command('sources')
  .description('List source kinds and what each needs; with --config, each instance and its health')
  .option('-c, --config <file>', 'config file')
  .option('--json', 'print JSON')
  .action(
    action(async (opts: { config?: string; json?: boolean }) => {
      const { sourcesCommand } = require('./cli/sources') as typeof import('./cli/sources');
      await sourcesCommand(opts);
    }),
  );

program
  .command('eval')
  .description('Measure parity, accuracy, F1, precision and recall on the development data')
  .option('--data <dir>', 'folder with the shared data files', DEFAULT_DATA_DIR)
  .option('--check', 'exit 1, naming each figure, when any figure misses its threshold')
  .option('--json', 'print JSON')
  .action(
    action(async (opts: { data: string; check?: boolean; json?: boolean }) => {
      const { runEval, formatEvalReport, missedFigures } = require('./cli/eval') as typeof import('./cli/eval');
      const report = await runEval(opts.data);
      console.log(opts.json ? JSON.stringify(report, null, 2) : formatEvalReport(report));
      const missed = missedFigures(report);
      if (opts.check && missed.length > 0) {
        throw new Error(
          `eval --check: ${missed.length} figure(s) below threshold:\n${missed.map((m) => `  - ${m}`).join('\n')}`,
        );
      }
    }),
  );

program
  .command('bench')
  .description(
    'Measured in fresh processes, min/median/max over runs: analysis (score --jsonl vs the vader-sentiment loop), pipeline (webhook path), grouping (one mention, 1,000 open incidents), lambda (bundle size, module init), inbox (JS size, first render)',
  )
  .option('--section <names...>', `sections to run: analysis, pipeline, grouping, lambda, inbox (default: all)`)
  .option('--runs <n>', 'runs per measurement', positiveInt, 3)
  .option('--lines <n>', 'generated lines for the analysis section', positiveInt, 200_000)
  .option('--sizes <list>', 'pipeline sizes in mentions, comma-separated', '1000,10000')
  .option('--large', 'add the 100,000-mention pipeline run')
  .option('--handlers <names...>', 'lambda section: only these handlers (default: all six)')
  .option('--json', 'print JSON')
  .action(
    action(
      async (opts: {
        section?: string[];
        runs: number;
        lines: number;
        sizes: string;
        large?: boolean;
        handlers?: string[];
        json?: boolean;
      }) => {
        const { runBench, formatBenchReport, SECTIONS } = require('./cli/bench') as typeof import('./cli/bench');
        const sections = opts.section ?? [...SECTIONS];
        for (const section of sections) {
          if (!(SECTIONS as readonly string[]).includes(section))
            throw new Error(`--section: unknown section "${section}" (known: ${SECTIONS.join(', ')})`);
        }
        const sizes = opts.sizes.split(',').map((size) => positiveInt(size.trim()));
        if (opts.large && !sizes.includes(100_000)) sizes.push(100_000);
        const report = await runBench({
          sections: sections as (typeof SECTIONS)[number][],
          runs: opts.runs,
          lines: opts.lines,
          sizes,
          handlers: opts.handlers,
          log: (line) => process.stderr.write(`${line}\n`),
        });
        console.log(opts.json ? JSON.stringify(report, null, 2) : formatBenchReport(report));
      },
    ),
  );

program
  .command('soak')
  .description(
    'Reliability suite on loopback (a benchmark): concurrent signed pushes, a hostile source, ungrouped mentions, SIGKILL mid-pass',
  )
  .option('--trials <n>', 'SIGKILL trials', positiveInt, 20)
  .option('--concurrency <n>', 'pushes in flight', positiveInt, 50)
  .option('--same <n>', 'pushes of one complaint', positiveInt, 150)
  .option('--throughput <n>', 'flagged pushes for the throughput phase', positiveInt, 2000)
  .option('--ungrouped <n>', 'ungrouped flagged mentions for the sweeps', positiveInt, 1000)
  .option('--only <phases...>', 'phases to run: same, throughput, hostile, ungrouped, sigkill (default: all)')
  .option('--json', 'print JSON')
  .action(
    action(
      async (opts: {
        trials: number;
        concurrency: number;
        same: number;
        throughput: number;
        ungrouped: number;
        only?: string[];
        json?: boolean;
      }) => {
        const { runSoak, formatSoakReport, SOAK_PHASES } = require('./cli/soak') as typeof import('./cli/soak');
        for (const phase of opts.only ?? []) {
          if (!(SOAK_PHASES as readonly string[]).includes(phase))
            throw new Error(`--only: unknown phase "${phase}" (known: ${SOAK_PHASES.join(', ')})`);
        }
        const report = await runSoak({
          trials: opts.trials,
          concurrency: opts.concurrency,
          sameComplaint: opts.same,
          throughput: opts.throughput,
          ungrouped: opts.ungrouped,
          only: opts.only as import('./cli/soak').SoakPhase[] | undefined,
          log: (line) => process.stderr.write(`${line}\n`),
        });
        console.log(opts.json ? JSON.stringify(report, null, 2) : formatSoakReport(report));
      },
    ),
  );

// One measured run of the bench in its own process (peak RSS is its own): not for people.
program.command('bench-worker <kind> <mentions>', { hidden: true }).action(
  action(async (kind: string, mentions: string) => {
    if (kind !== 'pipeline') throw new Error(`bench-worker: unknown kind "${kind}"`);
    const { runPipelineWorker } = require('./cli/bench-pipeline') as typeof import('./cli/bench-pipeline');
    await runPipelineWorker(positiveInt(mentions));
  }),
);

program
  .command('cost')
  .description('Estimated monthly AWS cost from list prices, next to a managed NLP API')
  .option('--mentions <n>', 'mentions per month', positiveInt, 1_000_000)
  .option('--sources <n>', 'configured source instances', positiveInt, 10)
  .option('--json', 'print JSON')
  .action(
    action(async (opts: { mentions: number; sources: number; json?: boolean }) => {
      const { runCost } = require('./cli/cost') as typeof import('./cli/cost');
      console.log(runCost(opts));
    }),
  );

/** Run the CLI on `argv` (process.argv's shape). */
export function main(argv: string[] = process.argv): Promise<void> {
  // `earshot demo | head`: a reader that stops early is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  return program.parseAsync(argv).then(() => undefined, fail);
}

export { program };

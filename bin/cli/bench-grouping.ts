import { assignIncident, IncidentIndex, mentionSignature } from '../../lambdas/core/alerting/incidents';
import type { Incident } from '../../lambdas/core/incident';
import type { StoredMention } from '../../lambdas/core/mention';
import { toStoredMention } from '../../lambdas/pipeline/ingest';

/**
 * `npm run bench -- --section grouping`: what grouping one flagged mention costs with 1,000 open incidents of its
 * brand (core's assignIncident: the mention's signature, the incidents sharing a term with it, the best match),
 * over the open-incident index the pipeline keeps and over the plain list of incidents side by side. The incidents
 * come from grouping generated complaints: each problem has words of its own (a product, a place, an order number)
 * and shares everyday complaint words with the others ("refund", "delivery", "still waiting"), so a mention's
 * candidates are many more than the incident it belongs to.
 */

export const OPEN_INCIDENTS = 1_000;
/** Mentions grouped per run: half about a problem that has an incident, half about a new one. */
const MENTIONS_PER_RUN = 1_000;

export interface GroupingRun {
  /** Microseconds per mention, over the index and over the list: wall, and CPU (the machine may be shared). */
  indexedUs: number;
  indexedCpuUs: number;
  linearUs: number;
  linearCpuUs: number;
  /** Slowest single mention over the index, µs. */
  indexedMaxUs: number;
  /** Incidents compared per mention over the index (the candidates it offers). */
  candidates: number;
  /** Share of the mentions that joined an incident. */
  joined: number;
}

export interface GroupingReport {
  openIncidents: number;
  mentionsPerRun: number;
  runs: GroupingRun[];
}

/** Mulberry32: the same texts on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ter', 'va', 'nor', 'pex', 'dri', 'sol', 'bru', 'zen', 'qua', 'fen', 'rio'];
/** Words every complaint uses (the grouping weighs them little) and a few that many share. */
const EVERYDAY = ['terrible', 'worst', 'never', 'customer', 'service', 'week', 'hours', 'useless', 'disappointed'];
const COMMON = ['refund', 'delivery', 'order', 'support', 'app', 'package', 'charged', 'broken'];
const FRAMES = [
  (a: string, b: string, c: string, n: string, e: string[]) =>
    `${e[0]} ${e[1]}: my Acme ${a} ${b} ${c} (${n}), ${e[2]} ${e[3]}`,
  (a: string, b: string, c: string, n: string, e: string[]) =>
    `Acme ${a} and ${b} at ${c}, ${e[0]} ${e[1]} ${e[3]} ${n}, ${e[2]}`,
  (a: string, b: string, c: string, n: string, e: string[]) =>
    `${e[3]} ${n} for the ${a} ${b}: ${e[0]} ${e[1]} ${e[2]} ${c}`,
];

interface Problem {
  words: [string, string, string];
  code: string;
}

function problems(count: number, random: () => number): Problem[] {
  const word = () =>
    Array.from({ length: 2 + Math.floor(random() * 2) }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join(
      '',
    );
  return Array.from({ length: count }, (_, i) => ({
    words: [word(), word(), word()],
    code: `${String.fromCharCode(65 + (i % 26))}${1000 + i}`,
  }));
}

function complaint(problem: Problem, random: () => number, n: number, at: Date): StoredMention {
  const everyday = [
    ...Array.from({ length: 3 }, () => EVERYDAY[Math.floor(random() * EVERYDAY.length)]),
    COMMON[Math.floor(random() * COMMON.length)],
  ];
  const frame = FRAMES[Math.floor(random() * FRAMES.length)];
  const [a, b, c] = problem.words;
  const text = frame(a, b, c, problem.code, everyday);
  return toStoredMention(
    { id: `g${n}`, sourceId: 'acme-desk', brandId: 'acme', kind: 'webhook', text, createdAt: at.toISOString() },
    at,
  );
}

function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

const cfg = { windowMinutes: 180, cooldownMinutes: 30, updateAt: [5, 20, 100], ignoreWords: ['Acme', 'acme'] };

export function runGroupingBench(opts: { runs: number; log?: (line: string) => void }): GroupingReport {
  const log = opts.log ?? (() => undefined);
  const random = seeded(7);
  const now = new Date();
  const known = problems(OPEN_INCIDENTS, random);
  // The open incidents: each problem's first two complaints grouped, as the pipeline would have.
  const index = new IncidentIndex();
  let n = 0;
  for (let round = 0; round < 2; round++) {
    for (const problem of known) {
      const result = assignIncident(complaint(problem, random, n++, now), index, cfg, now);
      index.put({ ...result.incident, version: result.incident.version + 1 });
    }
  }
  const open: Incident[] = index.all();
  const runs: GroupingRun[] = [];
  for (let run = 1; run <= opts.runs; run++) {
    const fresh = problems(MENTIONS_PER_RUN / 2, random);
    const mentions: StoredMention[] = [];
    for (let i = 0; i < MENTIONS_PER_RUN; i++) {
      const problem = i % 2 === 0 ? known[Math.floor(random() * known.length)] : fresh[i >> 1];
      mentions.push(complaint(problem, random, n++, now));
    }
    let indexedNs = 0;
    let indexedMaxNs = 0;
    let joined = 0;
    let candidates = 0;
    const cpu0 = process.cpuUsage();
    for (const mention of mentions) {
      const t0 = process.hrtime.bigint();
      const result = assignIncident(mention, index, cfg, now);
      const ns = Number(process.hrtime.bigint() - t0);
      indexedNs += ns;
      indexedMaxNs = Math.max(indexedMaxNs, ns);
      if (!result.isNew) joined++;
    }
    const indexedCpu = cpuMicros(cpu0);
    for (const mention of mentions) candidates += index.candidates(mentionSignature(mention, cfg.ignoreWords)).length;
    const cpu1 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (const mention of mentions) assignIncident(mention, open, cfg, now);
    const linearNs = Number(process.hrtime.bigint() - t0);
    const linearCpu = cpuMicros(cpu1);
    const row: GroupingRun = {
      indexedUs: indexedNs / 1000 / mentions.length,
      indexedCpuUs: indexedCpu / mentions.length,
      linearUs: linearNs / 1000 / mentions.length,
      linearCpuUs: linearCpu / mentions.length,
      indexedMaxUs: indexedMaxNs / 1000,
      candidates: candidates / mentions.length,
      joined: joined / mentions.length,
    };
    log(
      `grouping run ${run}/${opts.runs}: ${row.indexedUs.toFixed(0)} µs a mention over the index, ` +
        `${row.linearUs.toFixed(0)} µs over the list`,
    );
    runs.push(row);
  }
  return { openIncidents: index.size, mentionsPerRun: MENTIONS_PER_RUN, runs };
}

/**
 * Monthly cost model for Earshot on AWS: estimates from list prices, before free tiers. Pure arithmetic; the
 * assumptions (durations, memory, writes per item) are named inputs with stated defaults so they can be argued with.
 */

/** AWS list prices, us-east-1, on-demand, from the AWS pricing pages. Update the date when the figures change. */
export const PRICES = {
  asOf: '2026-01',
  region: 'us-east-1',
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  sqsPerMillionRequests: 0.4,
  snsPerMillionPublishes: 0.5,
  snsHttpsPerMillionDeliveries: 0.6,
  snsEmailPer100kDeliveries: 2.0,
  dynamoPerMillionWrites: 0.625,
  dynamoPerMillionReads: 0.125,
  dynamoStoragePerGbMonth: 0.25,
  dynamoPitrPerGbMonth: 0.2,
  schedulerPerMillionInvocations: 1.0,
  logsIngestionPerGb: 0.5,
  customMetricPerMonth: 0.3,
  alarmPerMonth: 0.1,
  kmsKeyPerMonth: 1.0,
  kmsPer10kRequests: 0.03,
  secretPerMonth: 0.4,
  secretsPer10kCalls: 0.05,
  comprehendPerUnit: 0.0001,
} as const;

const DAYS_PER_MONTH = 30;
const HOURS_PER_MONTH = DAYS_PER_MONTH * 24;
const KB_PER_GB = 1024 * 1024;
/** SQS receives and deletes handle up to 10 messages per request; sends go in batches of 10 too. */
const SQS_BATCH = 10;
/** Powertools logs plus EMF metric lines per invocation. */
const LOG_KB_PER_INVOCATION = 2;
/** Lambda's SQS event source long-polls with about 5 pollers, one 20-second ReceiveMessage each, when idle. */
const SQS_IDLE_RECEIVES_PER_MONTH = 5 * 3 * 60 * HOURS_PER_MONTH;
/** KMS calls per hour from each principal of the table's AWS managed key (DynamoDB caches it about 5 minutes). */
const KMS_CACHED_CALLS_PER_PRINCIPAL_HOUR = 12;
/** The functions that read or write the table: poll, analyze, alert, escalate, triage API. */
const TABLE_PRINCIPALS = 5;
/** Flagged mentions are kept at least this long (store/table.ts FLAGGED_MIN_RETENTION_DAYS: triage history). */
const FLAGGED_RETENTION_DAYS = 365;
const ESCALATION_RUNS_PER_MONTH = 12 * HOURS_PER_MONTH; // rate(5 minutes)
/**
 * Custom metrics always sent: MentionsStored, MentionsFlagged (analyze) and AlertsSent (alert, escalate). Per-source
 * figures are log fields queried by Logs Insights; only SourceConsecutiveFailures is a metric per source, and it is
 * sent only while the source fails (CloudWatch prorates a metric by the hours it receives data).
 */
const ALWAYS_ON_METRICS = 3;
/**
 * The stack's alarms besides one per polled source: depth of each dead-letter queue (analyze, alert stream,
 * escalate schedule, poll schedules), the analysis backlog, and errors of each function (poll, analyze, alert,
 * escalate, triage API, webhook). tests/cdk/stack.test.ts checks this against the synthesized template.
 */
export const FIXED_ALARMS = 4 + 1 + 6;

/**
 * What the code writes and reads, as item writes (each costs 1 WRU per KB of the item, rounded up) and read units,
 * measured through the AWS paths on dynalite by tests/integration/store/capacity.test.ts (which fails if the code
 * starts writing more). Both indexes project ALL, so a write to an item in an index rewrites its entry there too.
 */
export const CAPACITY = {
  /** An unflagged mention: one conditional put, in no index. */
  mentionWrites: 1,
  /** A flagged mention at ingest: the table, gsi1 (ungrouped, until grouped) and gsi2 (the triage queue). */
  flaggedMentionWrites: 3,
  /** Hourly counters per analyze batch: the source's row and the brand total (when any mention is negative). */
  counterWritesPerBatch: 2,
  /**
   * Grouping a flagged mention (alert function): the brand's grouping lease taken and given back (a lock item,
   * ~1 KB), the incident saved (~1 KB: the table, and gsi1 of open incidents, whose sort key is its last activity:
   * a delete and a put there), the mention noted with its incident (table, leaving gsi1, rewritten in gsi2).
   * Digests (alerts over the hourly cap) add a little that is not counted.
   */
  groupingLeaseWrites: 2,
  incidentWrites: 3,
  mentionNoteWrites: 3,
  /**
   * One alert: its two links (small), then the record put, leased, marked delivered, marked fully delivered (each
   * on the table, gsi2 (undelivered) and gsi1 (escalation, high and critical)) while it still carries its message,
   * the lease released (small by then), and the brand's hourly counters (2).
   */
  alertWrites: { small: 2 + 2 + 2, withMessage: 4 * 3 },
  /**
   * Reads per flagged mention: the mention (a consistent get), this hour's alerts and the spike check (queries). The
   * lease comes back with the update that takes it: no read.
   */
  flaggedReads: 2,
  /** Reads per alert: the record read again under its delivery lease. */
  alertReads: 1,
  /** One sweep run per brand with nothing due: the grouping lease of the incident updates, taken and given back. */
  sweepWrites: 2,
  /** Its reads: escalation, ungrouped, undelivered and spike queries, the last hours' digests. */
  sweepReads: 7.5,
} as const;

export interface CostInputs {
  /** Relevant mentions analyzed and stored per month. */
  mentions: number;
  /** Polled sources (each has its own schedule). */
  sources: number;
  /** Share of the month a source spends failing (its failure metric exists only then). */
  sourceFailingShare: number;
  pollsPerSourcePerDay: number;
  /** Share of mentions flagged (memorable complaints). */
  flaggedRate: number;
  /** Stored item size in KB (text + analysis). */
  avgMentionKB: number;
  /** A flagged mention's item in KB: more cues and evidence, and its triage state. */
  flaggedMentionKB: number;
  /** An alert record in KB while it carries its message (until every sink has it). */
  alertRecordKB: number;
  brands: number;
  /** Characters per mention, for the Comprehend comparison. */
  avgMentionChars: number;
  /** Alerts published per flagged mention (incidents group repeats into one alert plus updates). */
  alertsPerFlagged: number;
  emailSubscribers: number;
  httpsSubscribers: number;
  analyzeBatchSize: number;
  /** Days raw mentions are kept (DynamoDB TTL). */
  retentionDays: number;
  /** Secrets Manager secrets the sources name. */
  secrets: number;
  triageRequests: number;
  /** Assumed durations (ms) and memory (MB) per invocation, arm64. */
  lambda: Record<'poll' | 'analyze' | 'alert' | 'escalate' | 'triage', { ms: number; mb: number }>;
}

export const DEFAULT_COST_INPUTS: CostInputs = {
  mentions: 1_000_000,
  sources: 5,
  sourceFailingShare: 0.05,
  pollsPerSourcePerDay: 96, // every 15 minutes
  flaggedRate: 0.02,
  avgMentionKB: 1,
  flaggedMentionKB: 1.5,
  alertRecordKB: 4,
  brands: 1,
  avgMentionChars: 300,
  alertsPerFlagged: 0.5,
  emailSubscribers: 2,
  httpsSubscribers: 1,
  analyzeBatchSize: 25,
  retentionDays: 90,
  secrets: 2,
  triageRequests: 10_000,
  lambda: {
    poll: { ms: 2000, mb: 512 }, // mostly waiting on the network
    analyze: { ms: 400, mb: 1024 }, // per batch of analyzeBatchSize: scoring is sub-millisecond, writes dominate
    alert: { ms: 300, mb: 512 },
    escalate: { ms: 200, mb: 256 },
    triage: { ms: 100, mb: 256 },
  },
};

export interface CostLine {
  service: string;
  item: string;
  quantity: number;
  unit: string;
  usd: number;
}

export interface CostEstimate {
  inputs: CostInputs;
  lines: CostLine[];
  totalUsd: number;
  /** The same mentions scored by Amazon Comprehend DetectSentiment instead (sentiment only, no cues). */
  comprehend: { unitsPerMention: number; units: number; usd: number };
  prices: typeof PRICES;
}

export function estimateMonthlyCost(overrides: Partial<CostInputs> = {}): CostEstimate {
  const inputs: CostInputs = {
    ...DEFAULT_COST_INPUTS,
    ...overrides,
    lambda: { ...DEFAULT_COST_INPUTS.lambda, ...overrides.lambda },
  };
  const p = PRICES;
  const lines: CostLine[] = [];
  const add = (service: string, item: string, quantity: number, unit: string, usd: number) =>
    lines.push({ service, item, quantity, unit, usd });

  const { mentions } = inputs;
  const polls = inputs.sources * inputs.pollsPerSourcePerDay * DAYS_PER_MONTH;
  const flagged = mentions * inputs.flaggedRate;
  const alerts = flagged * inputs.alertsPerFlagged;
  const analyzeBatches = mentions / inputs.analyzeBatchSize;
  // Stream batches are small at these rates: about one alert invocation per flagged mention.
  const invocations = {
    poll: polls,
    analyze: analyzeBatches,
    alert: flagged,
    escalate: ESCALATION_RUNS_PER_MONTH,
    triage: inputs.triageRequests,
  };

  // Lambda
  const totalInvocations = Object.values(invocations).reduce((sum, n) => sum + n, 0);
  add('Lambda', 'requests', totalInvocations, 'requests', (totalInvocations / 1e6) * p.lambdaPerMillionRequests);
  for (const [name, count] of Object.entries(invocations) as [keyof CostInputs['lambda'], number][]) {
    const { ms, mb } = inputs.lambda[name];
    const gbSeconds = count * (ms / 1000) * (mb / 1024);
    add(
      'Lambda',
      `${name} duration (${ms} ms × ${mb} MB, arm64)`,
      gbSeconds,
      'GB-s',
      gbSeconds * p.lambdaArmPerGbSecond,
    );
  }

  // SQS: batched sends, receives and deletes, plus the event source's idle long polls.
  const sqsRequests = (3 * mentions) / SQS_BATCH;
  add(
    'SQS',
    'send + receive + delete (batches of 10)',
    sqsRequests,
    'requests',
    (sqsRequests / 1e6) * p.sqsPerMillionRequests,
  );
  add(
    'SQS',
    'event source long polls (idle)',
    SQS_IDLE_RECEIVES_PER_MONTH,
    'requests',
    (SQS_IDLE_RECEIVES_PER_MONTH / 1e6) * p.sqsPerMillionRequests,
  );

  // DynamoDB writes: 1 WRU per KB of the item, rounded up, in the table and again in each index it is in (CAPACITY).
  const wru = (kb: number) => Math.max(1, Math.ceil(kb));
  const unflagged = mentions - flagged;
  const mentionWrites =
    unflagged * CAPACITY.mentionWrites * wru(inputs.avgMentionKB) +
    flagged * CAPACITY.flaggedMentionWrites * wru(inputs.flaggedMentionKB);
  const counterWrites = 2 * polls + CAPACITY.counterWritesPerBatch * analyzeBatches; // poll's fetched/relevant too
  const sourceStateWrites = 2 * polls; // cursor, health
  const groupingWrites =
    flagged *
    (CAPACITY.groupingLeaseWrites +
      CAPACITY.incidentWrites +
      CAPACITY.mentionNoteWrites * wru(inputs.flaggedMentionKB));
  const alertWrites =
    alerts * (CAPACITY.alertWrites.small + CAPACITY.alertWrites.withMessage * wru(inputs.alertRecordKB));
  const sweepWrites = ESCALATION_RUNS_PER_MONTH * inputs.brands * CAPACITY.sweepWrites;
  add(
    'DynamoDB',
    'mention items (flagged: + 2 index entries)',
    mentionWrites,
    'WRU',
    (mentionWrites / 1e6) * p.dynamoPerMillionWrites,
  );
  add('DynamoDB', 'hourly counters', counterWrites, 'WRU', (counterWrites / 1e6) * p.dynamoPerMillionWrites);
  add(
    'DynamoDB',
    'cursors and source health',
    sourceStateWrites,
    'WRU',
    (sourceStateWrites / 1e6) * p.dynamoPerMillionWrites,
  );
  add(
    'DynamoDB',
    'grouping (lease, incident, mention note)',
    groupingWrites,
    'WRU',
    (groupingWrites / 1e6) * p.dynamoPerMillionWrites,
  );
  add('DynamoDB', 'alert records and delivery', alertWrites, 'WRU', (alertWrites / 1e6) * p.dynamoPerMillionWrites);
  add('DynamoDB', 'sweep leases', sweepWrites, 'WRU', (sweepWrites / 1e6) * p.dynamoPerMillionWrites);
  // Cursor and health gets per poll; a warm alert function keeps the open incidents in memory (a cold one, or a sweep
  // after the alert function changed them, reads them once more: ~1 RRU per 8 open incidents).
  const reads =
    2 * polls +
    flagged * CAPACITY.flaggedReads +
    alerts * CAPACITY.alertReads +
    ESCALATION_RUNS_PER_MONTH * inputs.brands * CAPACITY.sweepReads +
    inputs.triageRequests * 2;
  add(
    'DynamoDB',
    'reads (cursors, grouping, spikes, sweeps, triage)',
    reads,
    'RRU',
    (reads / 1e6) * p.dynamoPerMillionReads,
  );
  // Steady state: unflagged mentions for retentionDays, flagged ones for a year, also in gsi2 (the triage queue).
  const unflaggedGb = (unflagged * (inputs.retentionDays / DAYS_PER_MONTH) * inputs.avgMentionKB) / KB_PER_GB;
  const flaggedTableGb =
    (flagged * (Math.max(inputs.retentionDays, FLAGGED_RETENTION_DAYS) / DAYS_PER_MONTH) * inputs.flaggedMentionKB) /
    KB_PER_GB;
  const storedGb = unflaggedGb + 2 * flaggedTableGb;
  add(
    'DynamoDB',
    `storage (${inputs.retentionDays} days retained; flagged ${FLAGGED_RETENTION_DAYS})`,
    storedGb,
    'GB-month',
    storedGb * p.dynamoStoragePerGbMonth,
  );
  // Point-in-time recovery is billed on the table's own size; global secondary indexes are not backed up.
  const tableGb = unflaggedGb + flaggedTableGb;
  add('DynamoDB', 'point-in-time recovery (table only)', tableGb, 'GB-month', tableGb * p.dynamoPitrPerGbMonth);

  // SNS
  add('SNS', 'publishes', alerts, 'publishes', (alerts / 1e6) * p.snsPerMillionPublishes);
  const emailDeliveries = alerts * inputs.emailSubscribers;
  add('SNS', 'email deliveries', emailDeliveries, 'deliveries', (emailDeliveries / 1e5) * p.snsEmailPer100kDeliveries);
  const httpsDeliveries = alerts * inputs.httpsSubscribers;
  add(
    'SNS',
    'HTTPS deliveries',
    httpsDeliveries,
    'deliveries',
    (httpsDeliveries / 1e6) * p.snsHttpsPerMillionDeliveries,
  );

  // EventBridge Scheduler
  const scheduled = polls + ESCALATION_RUNS_PER_MONTH;
  add(
    'EventBridge Scheduler',
    'invocations',
    scheduled,
    'invocations',
    (scheduled / 1e6) * p.schedulerPerMillionInvocations,
  );

  // CloudWatch
  const logGb = (totalInvocations * LOG_KB_PER_INVOCATION) / KB_PER_GB;
  add(
    'CloudWatch',
    `logs ingested (${LOG_KB_PER_INVOCATION} KB per invocation)`,
    logGb,
    'GB',
    logGb * p.logsIngestionPerGb,
  );
  const metrics = ALWAYS_ON_METRICS + inputs.sources * inputs.sourceFailingShare;
  add(
    'CloudWatch',
    `custom metrics (${ALWAYS_ON_METRICS} always on; source failures while failing)`,
    metrics,
    'metric-months',
    metrics * p.customMetricPerMonth,
  );
  const alarms = FIXED_ALARMS + inputs.sources;
  add('CloudWatch', 'alarms', alarms, 'alarms', alarms * p.alarmPerMonth);

  // KMS: one key of our own (the ops topic's: CloudWatch alarms must be let in by its policy). The table and the
  // alert topics use AWS managed keys (no monthly fee, requests billed), the queues SQS-managed SSE (free).
  add('KMS', 'customer managed keys (ops topic)', 1, 'keys', 1 * p.kmsKeyPerMonth);
  // SNS asks KMS for a data key per publish and decrypts it per delivery; DynamoDB caches per calling principal.
  const kmsRequests = alerts * 2 + TABLE_PRINCIPALS * KMS_CACHED_CALLS_PER_PRINCIPAL_HOUR * HOURS_PER_MONTH;
  add('KMS', 'requests', kmsRequests, 'requests', (kmsRequests / 1e4) * p.kmsPer10kRequests);

  // Secrets Manager: one read per secret per poll at most (cached within a warm Lambda in practice).
  add('Secrets Manager', 'secrets', inputs.secrets, 'secrets', inputs.secrets * p.secretPerMonth);
  const secretCalls = inputs.secrets > 0 ? polls * (inputs.secrets / Math.max(1, inputs.sources)) : 0;
  add('Secrets Manager', 'API calls', secretCalls, 'calls', (secretCalls / 1e4) * p.secretsPer10kCalls);

  const totalUsd = lines.reduce((sum, line) => sum + line.usd, 0);
  const unitsPerMention = Math.max(3, Math.ceil(inputs.avgMentionChars / 100));
  const units = mentions * unitsPerMention;
  return {
    inputs,
    lines,
    totalUsd,
    comprehend: { unitsPerMention, units, usd: units * p.comprehendPerUnit },
    prices: PRICES,
  };
}

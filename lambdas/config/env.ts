import type { ConfigPart, EarshotConfig } from './schema';

/**
 * Environment variable names shared by the CDK stack (which sets them) and the Lambda handlers (which read them).
 * One constant per name so the two sides cannot drift.
 */
export const ENV = {
  TABLE_NAME: 'EARSHOT_TABLE_NAME',
  QUEUE_URL: 'EARSHOT_QUEUE_URL',
  ALERTS_TOPIC_ARN: 'EARSHOT_ALERTS_TOPIC_ARN',
  ESCALATION_TOPIC_ARN: 'EARSHOT_ESCALATION_TOPIC_ARN',
  /**
   * A config as JSON, read instead of the bundled DEPLOYED_CONFIG_FILE when set: for tests and local harnesses.
   * (The stack does not set it: Lambda environments hold 4 KB in all.)
   */
  CONFIG_JSON: 'EARSHOT_CONFIG_JSON',
  /** Base URL of the triage HTTP API, shown in alerts. */
  TRIAGE_API_URL: 'EARSHOT_TRIAGE_API_URL',
  /** Stack-level service name for Powertools logs and metrics. */
  SERVICE_NAME: 'POWERTOOLS_SERVICE_NAME',
  METRICS_NAMESPACE: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

/** The function's part of the config, bundled beside its code by the stack (lib/earshot-function.ts). */
export const DEPLOYED_CONFIG_FILE = 'earshot-config.json';

/** The Lambda handlers, one file each in lambdas/handlers. */
export type HandlerName = 'poll' | 'analyze' | 'alert' | 'escalate' | 'triage-api' | 'webhook';

/**
 * The parts of the config each function reads: the stack writes only these into its DEPLOYED_CONFIG_FILE, and the
 * handler validates only these at cold start (the other parts' schemas are never built).
 */
export const DEPLOYED_CONFIG_PARTS = {
  poll: ['brands', 'sources', 'retentionDays'],
  webhook: ['brands', 'sources', 'retentionDays'],
  analyze: ['brands', 'retentionDays'],
  alert: ['brands', 'sources', 'alerts', 'retentionDays'],
  escalate: ['brands', 'sources', 'alerts', 'retentionDays'],
  'triage-api': ['brands', 'sources', 'alerts', 'triage'],
} as const satisfies Record<HandlerName, readonly ConfigPart[]>;

export type DeployedPart<H extends HandlerName> = (typeof DEPLOYED_CONFIG_PARTS)[H][number];

/** The config one function gets (its DEPLOYED_CONFIG_FILE): only the parts it reads, never `deploy` or the local storage path. */
export function deployedConfig<H extends HandlerName>(
  config: EarshotConfig,
  handler: H,
): Pick<EarshotConfig, DeployedPart<H>> {
  return Object.fromEntries(DEPLOYED_CONFIG_PARTS[handler].map((part) => [part, config[part]])) as Pick<
    EarshotConfig,
    DeployedPart<H>
  >;
}

/** Read a required environment variable at module load, failing fast with the variable's name. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
}

/**
 * Custom CloudWatch metrics the handlers emit (namespace: the METRICS_NAMESPACE env var, `Earshot`): only those an
 * alarm or the dashboard reads, since each metric costs $0.30 a month. Powertools adds the `service` dimension;
 * the per-source one also carries `source` = the source id. Everything else a handler knows is a field of its
 * structured log line (LOG_MESSAGES), queried with Logs Insights. One constant per name so the sides cannot drift.
 */
export const METRICS = {
  SOURCE_DIMENSION: 'source',
  /** Count, no source dimension (an analyze batch mixes sources): new mentions stored (duplicates excluded). */
  MENTIONS_STORED: 'MentionsStored',
  /** Count, no source dimension: stored mentions flagged for alerting. */
  MENTIONS_FLAGGED: 'MentionsFlagged',
  /** Count: alerts published (no source dimension). */
  ALERTS_SENT: 'AlertsSent',
  /**
   * Count, per source, for the source's alarm: consecutive failures so far. Sent only while the source fails and
   * once when it recovers (0), so a healthy source's metric is not billed.
   */
  SOURCE_CONSECUTIVE_FAILURES: 'SourceConsecutiveFailures',
} as const;

/**
 * The `message` of the structured log lines the dashboard's Logs Insights widgets and the README's queries read.
 * `poll finished` carries `source`, `kind`, `fetched`, `relevant`, `errors` (count), `consecutiveFailures` and
 * `lagSeconds` (age of the newest item, when the poll succeeded).
 */
export const LOG_MESSAGES = {
  POLL_FINISHED: 'poll finished',
} as const;

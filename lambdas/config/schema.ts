import { closest, distance } from 'fastest-levenshtein';
import * as z from 'zod';
import { SOURCE_KINDS, type SourceKind } from '../core/mention';
import { DEFAULT_SLA, parseSlaMinutes } from '../core/sla';
import { guardRails } from './guard-rails';
import { scheduleProblem } from './schedule';

/**
 * The one configuration schema for the local run (`earshot run`) and `cdk deploy`.
 * Secrets are never values here: `…Env` names an environment variable (local run), `…Secret` names a
 * Secrets Manager secret or an SSM SecureString parameter (`ssm:/path`) read at run time on AWS.
 * Every object is strict: an unknown key (a typo) is an error naming the key, with the nearest known one.
 */

/** One line per unknown key, in the issue's key order: load.ts puts each under its own path. */
function unknownKeysMessage(keys: readonly string[], known: readonly string[]): string {
  return keys
    .map((key) => {
      const near = suggestKey(key, known);
      return near ? `unknown option (did you mean "${near}"?)` : `unknown option (known: ${known.join(', ')})`;
    })
    .join('\n');
}

/** The known key a typo most likely meant: a shortened or lengthened form ("lang"), else a few letters off. */
function suggestKey(key: string, known: readonly string[]): string | undefined {
  const typed = key.toLowerCase();
  const prefixed = known.filter((k) => {
    const candidate = k.toLowerCase();
    return (
      Math.min(typed.length, candidate.length) >= 3 && (candidate.startsWith(typed) || typed.startsWith(candidate))
    );
  });
  const pool = prefixed.length > 0 ? prefixed : [...known];
  if (pool.length === 0) return undefined;
  const near = closest(
    typed,
    pool.map((k) => k.toLowerCase()),
  );
  const match = pool.find((k) => k.toLowerCase() === near);
  return prefixed.length > 0 || distance(typed, near) <= Math.max(2, key.length / 3) ? match : undefined;
}

/** `z.object` that refuses unknown keys, suggesting the nearest known key. */
function options<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? unknownKeysMessage(issue.keys, Object.keys(shape)) : undefined,
  });
}

const slug = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{1,62}$/,
    'must be 2–63 lowercase letters, digits or dashes, starting with a letter or digit',
  );
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name like MY_TOKEN');
const secretName = z
  .string()
  .min(1)
  .regex(/^(ssm:\/[\w./-]+|[\w/+=.@-]+)$/, 'must be a Secrets Manager name or ssm:/parameter/path');
/** Platform ids are digit strings (numbers would lose precision past 2^53). */
const numericId = z
  .union([z.string().regex(/^\d{1,30}$/, 'must be a numeric id'), z.number().int().positive()])
  .transform(String);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const schedule = z.string().superRefine((expression, ctx) => {
  const problem = scheduleProblem(expression);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Browser-like (Tiki's and VnExpress's pages are the endpoints' real callers) and still saying who is calling. */
const TIKI_USER_AGENT = 'Mozilla/5.0 (compatible; earshot/0.1; +https://github.com/earshot; social listening)';

/** `/triage/alerts/…` addresses alerts and `/triage/incidents/…` incidents, so no source may have those ids. */
const RESERVED_SOURCE_IDS = ['alerts', 'incidents'];

export const brandSchema = options({
  id: slug,
  name: z.string().min(1),
  /** Words or phrases; a mention is relevant when its text contains one (case-insensitive, word boundaries). */
  keywords: z.array(z.string().min(2, 'keywords need at least 2 characters')).min(1, 'give at least one keyword'),
  /** Phrases that make a mention irrelevant even when a keyword matches (e.g. "acme museum"). */
  exclude: z.array(z.string().min(2)).default([]),
  /** Optional language filter (ISO 639-1), passed to sources that support it. */
  languages: z.array(z.string().regex(/^[a-z]{2}$/, 'must be a 2-letter ISO 639-1 code')).optional(),
  countries: z.array(z.string().regex(/^[a-z]{2}$/i, 'must be a 2-letter country code')).optional(),
});

/** Options every polling source shares. */
const common = {
  id: slug,
  brand: slug,
  schedule: schedule.default('rate(15 minutes)'),
  enabled: z.boolean().default(true),
  /** Point the adapter at another host (tests, replays, a proxy). */
  baseUrl: httpUrl.optional(),
  /** How far back the first poll looks, in hours. */
  lookbackHours: z
    .number()
    .positive()
    .max(24 * 30)
    .default(24),
  /** Pages fetched per poll at most (politeness and Lambda time). */
  maxPages: z.number().int().min(1).max(50).default(5),
  /** HTTP requests per poll at most. */
  requestBudget: z.number().int().min(1).max(1000).default(30),
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
  /** Largest response body accepted, after decompression (default per kind, a few MB). */
  maxResponseBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .optional(),
  /** Wall-clock time one poll may take, all requests, retries and waits included. */
  pollBudgetMs: z.number().int().min(1000).max(600_000).default(60_000),
  /** New items taken from one poll at most; the rest wait for the next poll. */
  maxItemsPerPoll: z.number().int().min(1).max(10_000).default(1000),
  /** Follow redirects to another origin (off: the poll fails with a clear error). */
  allowCrossOriginRedirects: z.boolean().default(false),
  /** Override the search query built from the brand's keywords. */
  query: z.string().min(1).optional(),
};

/**
 * Each source kind's options, built on first use (`sourceOptions`): a function's deployed config names one or two
 * kinds, and building all nineteen objects at every cold start cost more than parsing the config.
 */
const SOURCE_OPTIONS = {
  hackernews: () =>
    options({ ...common, kind: z.literal('hackernews'), tags: z.enum(['story', 'comment', 'all']).default('all') }),
  reddit: () =>
    options({
      ...common,
      kind: z.literal('reddit'),
      authUrl: httpUrl.optional(),
      subreddits: z.array(z.string().regex(/^[A-Za-z0-9_]{2,21}$/, 'must be a subreddit name without r/')).optional(),
      includeComments: z.boolean().default(false),
      clientIdEnv: envName.optional(),
      clientSecretEnv: envName.optional(),
      clientIdSecret: secretName.optional(),
      clientSecretSecret: secretName.optional(),
      userAgent: z.string().optional(),
    }),
  mastodon: () =>
    options({
      ...common,
      kind: z.literal('mastodon'),
      instance: httpUrl.optional(),
      hashtags: z.array(z.string().regex(/^\w+$/, 'must be a hashtag without #')).optional(),
      tokenEnv: envName.optional(),
      tokenSecret: secretName.optional(),
    }),
  bluesky: () =>
    options({
      ...common,
      kind: z.literal('bluesky'),
      authUrl: httpUrl.optional(),
      identifierEnv: envName.optional(),
      appPasswordEnv: envName.optional(),
      identifierSecret: secretName.optional(),
      appPasswordSecret: secretName.optional(),
    }),
  appstore: () =>
    options({
      ...common,
      kind: z.literal('appstore'),
      appId: z.string().regex(/^\d+$/, 'must be the numeric App Store id'),
      countries: z
        .array(z.string().regex(/^[a-z]{2}$/i, 'must be a 2-letter country code'))
        .min(1)
        .default(['us']),
    }),
  googleplay: () =>
    options({
      ...common,
      kind: z.literal('googleplay'),
      appId: z.string().regex(/^[\w.]+$/, 'must be a package name like com.example.app'),
      /** The store's interface language (Google Play's `hl`). */
      language: z.string().default('en'),
      country: z.string().default('us'),
      /** Google Play has no official API for other developers' apps: scraping is fragile and opt-in. */
      acknowledgeFragile: z.literal(true, {
        error: 'googleplay is an unofficial, fragile scraper: set acknowledgeFragile: true to opt in',
      }),
    }),
  youtube: () =>
    options({
      ...common,
      kind: z.literal('youtube'),
      apiKeyEnv: envName.optional(),
      apiKeySecret: secretName.optional(),
      channelId: z.string().optional(),
      maxVideos: z.number().int().min(1).max(50).default(10),
    }),
  trustpilot: () =>
    options({
      ...common,
      kind: z.literal('trustpilot'),
      domain: z.string().min(3).optional(),
      businessUnitId: z.string().optional(),
      apiKeyEnv: envName.optional(),
      apiKeySecret: secretName.optional(),
    }),
  rss: () =>
    options({ ...common, kind: z.literal('rss'), url: httpUrl, relevantByConstruction: z.boolean().default(false) }),
  webhook: () =>
    options({
      ...common,
      kind: z.literal('webhook'),
      secretEnv: envName.optional(),
      secretSecret: secretName.optional(),
    }),
  // Vietnamese channels (SOURCES-VN): the brand's own accounts through official APIs, plus opt-in fragile readers.
  facebook: () =>
    options({
      ...common,
      kind: z.literal('facebook'),
      pageId: numericId,
      /** Graph API version; apps move forward every few months. */
      apiVersion: z
        .string()
        .regex(/^v\d{2}\.0$/, 'must be a Graph API version like v27.0')
        .default('v27.0'),
      /** `feed` adds visitor and tagged posts to the Page's own (`published_posts`). */
      edge: z.enum(['feed', 'published_posts']).default('feed'),
      /** Comments on posts of the last N days are re-read every poll (new comments land on old posts). */
      recentPostDays: z.number().int().min(1).max(90).default(14),
      maxPosts: z.number().int().min(1).max(100).default(25),
      accessTokenEnv: envName.optional(),
      accessTokenSecret: secretName.optional(),
      /** App secret: signs appsecret_proof and checks webhook X-Hub-Signature-256. */
      appSecretEnv: envName.optional(),
      appSecretSecret: secretName.optional(),
      /** The token typed into the app dashboard for the webhook GET handshake. */
      verifyTokenEnv: envName.optional(),
      verifyTokenSecret: secretName.optional(),
    }),
  zalo: () =>
    options({
      ...common,
      kind: z.literal('zalo'),
      oaId: numericId,
      appId: numericId,
      /** OA secret key: X-ZEvent-Signature on webhook deliveries. */
      oaSecretKeyEnv: envName.optional(),
      oaSecretKeySecret: secretName.optional(),
      /** Most SDKs send a plain SHA-256 over app_id + body + timestamp + secret; one uses HMAC-SHA256 keyed by it. */
      signature: z.enum(['sha256', 'hmac-sha256']).default('sha256'),
      /** Fallback: poll listrecentchat with an OA access token (the webhook is the primary path). */
      pollRecentChats: z.boolean().default(false),
      accessTokenEnv: envName.optional(),
      accessTokenSecret: secretName.optional(),
    }),
  tiki: () =>
    options({
      ...common,
      kind: z.literal('tiki'),
      /** Tiki product ids (the number after `-p` in a product URL). */
      productIds: z.array(numericId).min(1, 'give at least one product id'),
      /** Tiki's reviews endpoint is unofficial: opt-in, like googleplay. */
      acknowledgeFragile: z.literal(true, {
        error: 'tiki reads an unofficial, fragile endpoint: set acknowledgeFragile: true to opt in',
      }),
      /** Pause between requests (Tiki documents no limits; crawlers wait about half a second). */
      delayMs: z.number().int().min(0).max(10_000).default(500),
      /** Tiki answers browser-like agents; the default still names Earshot. */
      userAgent: z.string().min(1).default(TIKI_USER_AGENT),
      /** Only if Tiki starts asking for one: the `x-guest-token` of a tiki.vn session. */
      guestTokenEnv: envName.optional(),
      guestTokenSecret: secretName.optional(),
    }),
  shopee: () =>
    options({
      ...common,
      kind: z.literal('shopee'),
      /** The Open Platform app (partner) and the brand's own shop that authorised it. */
      partnerId: numericId,
      shopId: numericId,
      /** Only these items' comments (default: the whole shop). */
      itemIds: z.array(numericId).optional(),
      pageSize: z.number().int().min(1).max(100).default(100),
      partnerKeyEnv: envName.optional(),
      partnerKeySecret: secretName.optional(),
      accessTokenEnv: envName.optional(),
      accessTokenSecret: secretName.optional(),
    }),
  xenforo: () =>
    options({
      ...common,
      kind: z.literal('xenforo'),
      /** The forum's RSS: a whole site (`/forums/-/index.rss`) or one forum (`/forums/<slug>.<id>/index.rss`). */
      url: httpUrl,
      /** Posts per thread page (XenForo's default, and voz's and tinhte's, is 20). */
      postsPerPage: z.number().int().min(5).max(100).default(20),
      /** Threads whose pages are read per poll at most; the rest wait for the next poll. */
      maxThreads: z.number().int().min(1).max(100).default(10),
    }),
  tiktok: () =>
    options({
      ...common,
      kind: z.literal('tiktok'),
      /** The brand's own TikTok Business account (`business_id`, the account's open id). */
      businessId: z.string().min(1),
      /** The Business API app id (`client_id` when refreshing). */
      appId: z.string().min(1),
      /** The account's @username: its own comments are kept as replies, never mentions. */
      username: z.string().min(1).optional(),
      /** Comments on videos of the last N days are re-read every poll. */
      recentVideoDays: z.number().int().min(1).max(90).default(14),
      maxVideos: z.number().int().min(1).max(50).default(10),
      accessTokenEnv: envName.optional(),
      accessTokenSecret: secretName.optional(),
      refreshTokenEnv: envName.optional(),
      refreshTokenSecret: secretName.optional(),
      appSecretEnv: envName.optional(),
      appSecretSecret: secretName.optional(),
    }),
  lazada: () =>
    options({
      ...common,
      kind: z.literal('lazada'),
      /** The Open Platform app that the brand's seller account authorised. */
      appKey: numericId,
      /** Lazada lists reviews per item only: the items to watch. */
      itemIds: z.array(numericId).min(1, 'give at least one item id'),
      /** How far back a poll reads at most, whatever the watermark (7-day windows each). */
      maxLookbackDays: z.number().int().min(1).max(90).default(30),
      appSecretEnv: envName.optional(),
      appSecretSecret: secretName.optional(),
      accessTokenEnv: envName.optional(),
      accessTokenSecret: secretName.optional(),
    }),
  googlereviews: () =>
    options({
      ...common,
      kind: z.literal('googlereviews'),
      /** The Business Profile account (`accounts/{accountId}`) that owns the brand's locations. */
      accountId: numericId.optional(),
      /** The brand's own locations in that account (`locations/{id}`): every review, read by `updateTime`. */
      locationIds: z.array(numericId).default([]),
      pageSize: z.number().int().min(1).max(50).default(50),
      /** Google's OAuth token endpoint (tests, a proxy). */
      authUrl: httpUrl.optional(),
      /** An OAuth client and the owner's refresh token (scope business.manage): access tokens last an hour. */
      clientIdEnv: envName.optional(),
      clientIdSecret: secretName.optional(),
      clientSecretEnv: envName.optional(),
      clientSecretSecret: secretName.optional(),
      refreshTokenEnv: envName.optional(),
      refreshTokenSecret: secretName.optional(),
      /** Optional sampler for any place (Places API): at most 5 reviews each, by relevance, never a complete feed. */
      placeIds: z.array(z.string().regex(/^[\w-]{10,300}$/, 'must be a Google place id like ChIJ…')).default([]),
      placesUrl: httpUrl.optional(),
      apiKeyEnv: envName.optional(),
      apiKeySecret: secretName.optional(),
      /** The language the Places API answers in (review texts are kept in their original language). */
      languageCode: z
        .string()
        .regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'must be a language code like vi or en-US')
        .default('vi'),
    }),
  vnexpress: () =>
    options({
      ...common,
      kind: z.literal('vnexpress'),
      /** VnExpress's comment endpoints are unofficial: opt-in, like googleplay and tiki. */
      acknowledgeFragile: z.literal(true, {
        error: 'vnexpress reads unofficial, fragile endpoints: set acknowledgeFragile: true to opt in',
      }),
      /** Articles watched by choice (the number before `.html`): every comment under them is the brand's. */
      articleIds: z.array(numericId).default([]),
      /** VnExpress RSS feeds (https://vnexpress.net/rss/<section>.rss): articles whose title or summary names the brand. */
      feeds: z.array(httpUrl).default([]),
      /** Feed articles published in the last N days are re-read for new comments. */
      recentArticleDays: z.number().int().min(1).max(30).default(7),
      /** Articles read per poll at most; the least recently read go first. */
      maxArticles: z.number().int().min(1).max(100).default(10),
      /** Pause between requests (no documented limits; crawlers wait about half a second). */
      delayMs: z.number().int().min(0).max(10_000).default(500),
      userAgent: z.string().min(1).default(TIKI_USER_AGENT),
      /** The comment and article APIs' hosts (default usi-saas.vnexpress.net, gw.vnexpress.net; else `baseUrl`). */
      commentsUrl: httpUrl.optional(),
      articlesUrl: httpUrl.optional(),
    }),
} satisfies Record<SourceKind, () => z.ZodType>;

type SourceOptions = ReturnType<(typeof SOURCE_OPTIONS)[SourceKind]>;
const builtSourceOptions = new Map<SourceKind, SourceOptions>();

function sourceOptions(kind: SourceKind): SourceOptions {
  let built = builtSourceOptions.get(kind);
  if (!built) builtSourceOptions.set(kind, (built = SOURCE_OPTIONS[kind]()));
  return built;
}

/** The sources' union on `kind`, over these kinds (every kind by default); each kind's object is built once. */
export function sourceSchemaOf(kinds: readonly SourceKind[] = SOURCE_KINDS) {
  return z.discriminatedUnion('kind', kinds.map(sourceOptions) as [SourceOptions, ...SourceOptions[]]);
}

/**
 * A Slack/HTTPS webhook URL is a credential (the path is a bearer token): name it with `webhookEnv` (local) or
 * `webhookSecret` (AWS: Secrets Manager name or `ssm:/path`), read when the first alert is sent. `webhook: url`
 * puts the URL itself in the config, so in the CloudFormation template and every Lambda's environment.
 */
const sinkSchema = z.union(
  [
    z.literal('console'),
    options({ console: options({ color: z.boolean().default(true) }).partial() }),
    options({ jsonl: z.string().min(1) }),
    options({ webhook: httpUrl }),
    options({ webhookEnv: envName }),
    options({ webhookSecret: secretName }),
    options({ sns: z.string().regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/, 'must be an SNS topic ARN') }),
  ],
  {
    error:
      'must be console, { console: { color } }, { jsonl: FILE }, { webhookEnv: ENV_NAME }, ' +
      '{ webhookSecret: NAME or ssm:/path }, { webhook: URL } or { sns: TOPIC_ARN }',
  },
);

const severity = z.enum(['low', 'medium', 'high', 'critical']);

export const alertsSchema = options({
  sinks: z.array(sinkSchema).default(['console']),
  /** Mentions below this severity are stored and triaged but never alerted. */
  minSeverity: severity.default('medium'),
  incidents: options({
    windowMinutes: z.number().int().min(1).default(180),
    cooldownMinutes: z.number().int().min(0).default(30),
    /** Incident sizes that trigger an update alert. */
    updateAt: z.array(z.number().int().min(2)).default([5, 20, 100]),
    /** How alike (0–1) a mention must be to an open incident to join it; the default suits most brands. */
    minSimilarity: z.number().min(0).max(1).optional(),
  }).prefault({}),
  /** Per-brand alerts per hour; the rest go into a digest. */
  hourlyCap: z.number().int().min(1).default(10),
  spikes: options({
    enabled: z.boolean().default(true),
    minCount: z.number().int().min(1).default(8),
    factor: z.number().min(1).default(3),
    warmupHours: z.number().int().min(1).default(24),
    baselineHours: z
      .number()
      .int()
      .min(6)
      .default(7 * 24),
  }).prefault({}),
  escalation: options({
    afterMinutes: z.number().int().min(1).default(30),
    severities: z.array(z.enum(['high', 'critical'])).default(['high', 'critical']),
  }).prefault({}),
}).prefault({});

export const storageSchema = z.union([
  z.literal('memory'),
  options({
    path: z.string().min(1),
    /** A store outside the working directory and the config file's folder is refused unless this says so. */
    allowOutsideProject: z.boolean().optional(),
  }),
]);

const deploySchema = options({
  subscriptions: options({
    email: z
      .array(
        options({
          address: z.email(),
          severities: z.array(severity).optional(),
          brands: z.array(slug).optional(),
        }),
      )
      .default([]),
    https: z.array(options({ url: z.url({ protocol: /^https$/, error: 'must be an https URL' }) })).default([]),
    sqs: z
      .array(options({ queueArn: z.string().regex(/^arn:aws[\w-]*:sqs:/, 'must be an SQS queue ARN') }))
      .default([]),
  }).prefault({}),
  slack: options({ workspaceId: z.string().min(1), channelId: z.string().min(1) }).optional(),
  opsEmail: z.email().optional(),
  analyzeBatchSize: z.number().int().min(1).max(100).default(25),
  analyzeBatchWindowSeconds: z.number().int().min(0).max(300).default(10),
  analyzeReservedConcurrency: z.number().int().min(1).max(100).default(5),
  logRetentionDays: z.number().int().min(1).default(30),
  retainData: z.boolean().default(true),
  /** X-Ray active tracing on every function (a trace per invocation: init, handler, downstream calls' time). */
  tracing: z.boolean().default(false),
  /** The web inbox on AWS (lib/inbox.ts: S3 + CloudFront, Cognito sign-in); absent = not deployed. */
  inbox: options({
    /** The Cognito sign-in domain is https://<domainPrefix>.auth.<region>.amazoncognito.com: unique per region. */
    domainPrefix: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be lowercase letters, digits and hyphens (1–63)')
      .refine((value) => !/aws|amazon|cognito/.test(value), 'must not contain "aws", "amazon" or "cognito"'),
  }).optional(),
}).prefault({});

/** A first-response time: "15m", "1h", "1d", or a number of minutes. */
const slaDuration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const minutes = parseSlaMinutes(value);
  if (minutes === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration like 15m, 1h or 1d, or a number of minutes' });
    return z.NEVER;
  }
  return minutes;
});

/** The support inbox: how long a flagged mention may wait for a first response, per severity. */
export const triageSchema = options({
  sla: options({
    critical: slaDuration.default(DEFAULT_SLA.critical),
    high: slaDuration.default(DEFAULT_SLA.high),
    medium: slaDuration.default(DEFAULT_SLA.medium),
    low: slaDuration.default(DEFAULT_SLA.low),
  }).prefault({}),
}).prefault({});

function buildConfigSchema(kinds: readonly SourceKind[]) {
  return options({
    brands: z.array(brandSchema).min(1, 'configure at least one brand'),
    sources: z.array(sourceSchemaOf(kinds)).default([]),
    alerts: alertsSchema,
    storage: storageSchema.default({ path: '.earshot/db' }),
    /** Raw mentions expire after this many days (DynamoDB TTL). */
    retentionDays: z.number().int().min(1).max(3650).default(90),
    deploy: deploySchema,
    triage: triageSchema,
  })
    .superRefine(crossCheck, { when: () => true })
    .superRefine(guardRails, { when: () => true });
}

type ConfigSchema = ReturnType<typeof buildConfigSchema>;
const configSchemas = new Map<string, ConfigSchema>();

/**
 * The config schema whose sources may be of these kinds (every kind by default), built once per set of kinds. A
 * config whose sources are all of known kinds parses with only theirs (parse.ts): the same checks and messages as
 * the full union, without building the other kinds' objects.
 */
export function configSchemaFor(kinds: readonly SourceKind[] = SOURCE_KINDS): ConfigSchema {
  const key = kinds.join(',');
  let schema = configSchemas.get(key);
  if (!schema) configSchemas.set(key, (schema = buildConfigSchema(kinds)));
  return schema;
}

/** What a partly invalid config still has in a list: objects, by index, with whatever fields parsed. */
function entries(value: unknown): Array<[number, Record<string, unknown>]> {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item, i) =>
    item && typeof item === 'object' ? [[i, item as Record<string, unknown>] as [number, Record<string, unknown>]] : [],
  );
}

/**
 * Checks across fields: duplicate ids, references to brands, reserved ids, webhook secrets. They run even when
 * other fields are invalid (`when`), so one round reports every mistake.
 */
function crossCheck(config: { brands?: unknown; sources?: unknown }, ctx: z.core.$RefinementCtx): void {
  const brandIds = new Set<string>();
  for (const [i, brand] of entries(config.brands)) {
    if (typeof brand.id !== 'string') continue;
    if (brandIds.has(brand.id))
      ctx.addIssue({ code: 'custom', path: ['brands', i, 'id'], message: `duplicate brand id "${brand.id}"` });
    brandIds.add(brand.id);
  }
  const sourceIds = new Set<string>();
  for (const [i, source] of entries(config.sources)) {
    if (typeof source.id === 'string') {
      if (sourceIds.has(source.id))
        ctx.addIssue({ code: 'custom', path: ['sources', i, 'id'], message: `duplicate source id "${source.id}"` });
      sourceIds.add(source.id);
      if (RESERVED_SOURCE_IDS.includes(source.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sources', i, 'id'],
          message: `"${source.id}" is reserved (the triage API's /triage/${source.id}/… routes)`,
        });
      }
    }
    if (typeof source.brand === 'string' && brandIds.size > 0 && !brandIds.has(source.brand)) {
      ctx.addIssue({
        code: 'custom',
        path: ['sources', i, 'brand'],
        message: `unknown brand "${source.brand}" (known: ${[...brandIds].join(', ')})`,
      });
    }
    if (source.kind === 'googlereviews') googleReviewsCheck(source, i, ctx);
    const listed = (key: string) => Array.isArray(source[key]) && (source[key] as unknown[]).length > 0;
    if (source.kind === 'vnexpress' && !listed('articleIds') && !listed('feeds')) {
      ctx.addIssue({
        code: 'custom',
        path: ['sources', i],
        message:
          'a vnexpress source needs articleIds (articles to watch) or feeds (VnExpress RSS filtered by the keywords)',
      });
    }
    if (source.kind === 'webhook' && source.secretEnv === undefined && source.secretSecret === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['sources', i],
        message:
          'a webhook source needs secretEnv (local run) or secretSecret (AWS) to check signatures: without one every push is refused',
      });
    }
  }
}

/** A googlereviews source reads the owner's locations, the Places sampler, or both: each needs what it names. */
function googleReviewsCheck(source: Record<string, unknown>, i: number, ctx: z.core.$RefinementCtx): void {
  const count = (key: string) => (Array.isArray(source[key]) ? (source[key] as unknown[]).length : 0);
  const has = (name: string) => source[`${name}Env`] !== undefined || source[`${name}Secret`] !== undefined;
  const issue = (message: string) => ctx.addIssue({ code: 'custom', path: ['sources', i], message });
  if (count('locationIds') === 0 && count('placeIds') === 0) {
    issue(
      "a googlereviews source needs locationIds (the brand's own Business Profile locations) or placeIds (the Places sampler)",
    );
  }
  if (count('locationIds') > 0) {
    if (source.accountId === undefined) issue('locationIds need the Business Profile accountId that owns them');
    const missing = ['clientId', 'clientSecret', 'refreshToken'].filter((name) => !has(name));
    if (missing.length > 0) {
      issue(`locationIds need the owner's OAuth credentials: ${missing.map((m) => `${m}Env/${m}Secret`).join(', ')}`);
    }
  }
  if (count('placeIds') > 0 && !has('apiKey')) issue('placeIds need a Places API key (apiKeyEnv/apiKeySecret)');
}

export type EarshotConfig = z.infer<ConfigSchema>;
export type BrandConfig = z.infer<typeof brandSchema>;
export type SourceConfig = z.infer<SourceOptions>;
export type AlertsConfig = z.infer<typeof alertsSchema>;
export type SinkConfig = z.infer<typeof sinkSchema>;
export type SourceConfigOf<K extends SourceConfig['kind']> = Extract<SourceConfig, { kind: K }>;

export { SOURCE_KINDS, type SourceKind };

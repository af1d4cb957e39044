import { closest, distance } from 'fastest-levenshtein';
import * as z from 'zod/mini';
import { SOURCE_KINDS, type SourceKind } from '../core/mention';
import { DEFAULT_SLA, parseSlaMinutes } from '../core/sla';
import '../core/zod-locale';
import { guardRails } from './guard-rails';
import { scheduleProblem } from './schedule';

/**
 * The one configuration schema for the local run (`earshot run`) and `cdk deploy`.
 * Secrets are never values here: `…Env` names an environment variable (local run), `…Secret` names a
 * Secrets Manager secret or an SSM SecureString parameter (`ssm:/path`) read at run time on AWS.
 * Every object is strict: an unknown key (a typo) is an error naming the key, with the nearest known one.
 */

/** A schema built on its first use, then kept (most of the config's are never needed by a given Lambda). */
function once<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

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
  .check(
    z.regex(
      /^[a-z0-9][a-z0-9-]{1,62}$/,
      'must be 2–63 lowercase letters, digits or dashes, starting with a letter or digit',
    ),
  );
const envName = z
  .string()
  .check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name like MY_TOKEN'));
const secretName = z
  .string()
  .check(
    z.minLength(1),
    z.regex(/^(ssm:\/[\w./-]+|[\w/+=.@-]+)$/, 'must be a Secrets Manager name or ssm:/parameter/path'),
  );
/** Platform ids are digit strings (numbers would lose precision past 2^53). */
const numericId = z.pipe(
  z.union([z.string().check(z.regex(/^\d{1,30}$/, 'must be a numeric id')), z.number().check(z.int(), z.positive())]),
  z.transform(String),
);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const schedule = z.string().check(
  z.superRefine((expression, ctx) => {
    const problem = scheduleProblem(expression);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
);

/** Browser-like (Tiki's and VnExpress's pages are the endpoints' real callers) and still saying who is calling. */
const TIKI_USER_AGENT = 'Mozilla/5.0 (compatible; earshot/0.1; +https://github.com/earshot; social listening)';

/** `/triage/alerts/…` addresses alerts and `/triage/incidents/…` incidents, so no source may have those ids. */
const RESERVED_SOURCE_IDS = ['alerts', 'incidents'];

export const brandSchema = options({
  id: slug,
  name: z.string().check(z.minLength(1)),
  /** Words or phrases; a mention is relevant when its text contains one (case-insensitive, word boundaries). */
  keywords: z
    .array(z.string().check(z.minLength(2, 'keywords need at least 2 characters')))
    .check(z.minLength(1, 'give at least one keyword')),
  /** Phrases that make a mention irrelevant even when a keyword matches (e.g. "acme museum"). */
  exclude: z._default(z.array(z.string().check(z.minLength(2))), []),
  /** Optional language filter (ISO 639-1), passed to sources that support it. */
  languages: z.optional(z.array(z.string().check(z.regex(/^[a-z]{2}$/, 'must be a 2-letter ISO 639-1 code')))),
  countries: z.optional(z.array(z.string().check(z.regex(/^[a-z]{2}$/i, 'must be a 2-letter country code')))),
});

/** Options every polling source shares. */
const common = once(() => ({
  id: slug,
  brand: slug,
  schedule: z._default(schedule, 'rate(15 minutes)'),
  enabled: z._default(z.boolean(), true),
  /** Point the adapter at another host (tests, replays, a proxy). */
  baseUrl: z.optional(httpUrl),
  /** How far back the first poll looks, in hours. */
  lookbackHours: z._default(z.number().check(z.positive(), z.lte(24 * 30)), 24),
  /** Pages fetched per poll at most (politeness and Lambda time). */
  maxPages: z._default(z.number().check(z.int(), z.gte(1), z.lte(50)), 5),
  /** HTTP requests per poll at most. */
  requestBudget: z._default(z.number().check(z.int(), z.gte(1), z.lte(1000)), 30),
  timeoutMs: z._default(z.number().check(z.int(), z.gte(100), z.lte(60_000)), 10_000),
  /** Largest response body accepted, after decompression (default per kind, a few MB). */
  maxResponseBytes: z.optional(z.number().check(z.int(), z.gte(1024), z.lte(64 * 1024 * 1024))),
  /** Wall-clock time one poll may take, all requests, retries and waits included. */
  pollBudgetMs: z._default(z.number().check(z.int(), z.gte(1000), z.lte(600_000)), 60_000),
  /** New items taken from one poll at most; the rest wait for the next poll. */
  maxItemsPerPoll: z._default(z.number().check(z.int(), z.gte(1), z.lte(10_000)), 1000),
  /** Follow redirects to another origin (off: the poll fails with a clear error). */
  allowCrossOriginRedirects: z._default(z.boolean(), false),
  /** Override the search query built from the brand's keywords. */
  query: z.optional(z.string().check(z.minLength(1))),
}));

/**
 * Each source kind's options, built on first use (`sourceOptions`): a function's deployed config names one or two
 * kinds, and building all nineteen objects at every cold start cost more than parsing the config.
 */
const SOURCE_OPTIONS = {
  hackernews: () =>
    options({
      ...common(),
      kind: z.literal('hackernews'),
      tags: z._default(z.enum(['story', 'comment', 'all']), 'all'),
    }),
  reddit: () =>
    options({
      ...common(),
      kind: z.literal('reddit'),
      authUrl: z.optional(httpUrl),
      subreddits: z.optional(
        z.array(z.string().check(z.regex(/^[A-Za-z0-9_]{2,21}$/, 'must be a subreddit name without r/'))),
      ),
      includeComments: z._default(z.boolean(), false),
      clientIdEnv: z.optional(envName),
      clientSecretEnv: z.optional(envName),
      clientIdSecret: z.optional(secretName),
      clientSecretSecret: z.optional(secretName),
      userAgent: z.optional(z.string()),
    }),
  mastodon: () =>
    options({
      ...common(),
      kind: z.literal('mastodon'),
      instance: z.optional(httpUrl),
      hashtags: z.optional(z.array(z.string().check(z.regex(/^\w+$/, 'must be a hashtag without #')))),
      tokenEnv: z.optional(envName),
      tokenSecret: z.optional(secretName),
    }),
  bluesky: () =>
    options({
      ...common(),
      kind: z.literal('bluesky'),
      authUrl: z.optional(httpUrl),
      identifierEnv: z.optional(envName),
      appPasswordEnv: z.optional(envName),
      identifierSecret: z.optional(secretName),
      appPasswordSecret: z.optional(secretName),
    }),
  appstore: () =>
    options({
      ...common(),
      kind: z.literal('appstore'),
      appId: z.string().check(z.regex(/^\d+$/, 'must be the numeric App Store id')),
      countries: z._default(
        z.array(z.string().check(z.regex(/^[a-z]{2}$/i, 'must be a 2-letter country code'))).check(z.minLength(1)),
        ['us'],
      ),
    }),
  googleplay: () =>
    options({
      ...common(),
      kind: z.literal('googleplay'),
      appId: z.string().check(z.regex(/^[\w.]+$/, 'must be a package name like com.example.app')),
      /** The store's interface language (Google Play's `hl`). */
      language: z._default(z.string(), 'en'),
      country: z._default(z.string(), 'us'),
      /** Google Play has no official API for other developers' apps: scraping is fragile and opt-in. */
      acknowledgeFragile: z.literal(true, {
        error: 'googleplay is an unofficial, fragile scraper: set acknowledgeFragile: true to opt in',
      }),
    }),
  youtube: () =>
    options({
      ...common(),
      kind: z.literal('youtube'),
      apiKeyEnv: z.optional(envName),
      apiKeySecret: z.optional(secretName),
      channelId: z.optional(z.string()),
      maxVideos: z._default(z.number().check(z.int(), z.gte(1), z.lte(50)), 10),
    }),
  trustpilot: () =>
    options({
      ...common(),
      kind: z.literal('trustpilot'),
      domain: z.optional(z.string().check(z.minLength(3))),
      businessUnitId: z.optional(z.string()),
      apiKeyEnv: z.optional(envName),
      apiKeySecret: z.optional(secretName),
    }),
  rss: () =>
    options({
      ...common(),
      kind: z.literal('rss'),
      url: httpUrl,
      relevantByConstruction: z._default(z.boolean(), false),
    }),
  webhook: () =>
    options({
      ...common(),
      kind: z.literal('webhook'),
      secretEnv: z.optional(envName),
      secretSecret: z.optional(secretName),
    }),
  // Vietnamese channels (SOURCES-VN): the brand's own accounts through official APIs, plus opt-in fragile readers.
  facebook: () =>
    options({
      ...common(),
      kind: z.literal('facebook'),
      pageId: numericId,
      /** Graph API version; apps move forward every few months. */
      apiVersion: z._default(
        z.string().check(z.regex(/^v\d{2}\.0$/, 'must be a Graph API version like v27.0')),
        'v27.0',
      ),
      /** `feed` adds visitor and tagged posts to the Page's own (`published_posts`). */
      edge: z._default(z.enum(['feed', 'published_posts']), 'feed'),
      /** Comments on posts of the last N days are re-read every poll (new comments land on old posts). */
      recentPostDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(90)), 14),
      maxPosts: z._default(z.number().check(z.int(), z.gte(1), z.lte(100)), 25),
      accessTokenEnv: z.optional(envName),
      accessTokenSecret: z.optional(secretName),
      /** App secret: signs appsecret_proof and checks webhook X-Hub-Signature-256. */
      appSecretEnv: z.optional(envName),
      appSecretSecret: z.optional(secretName),
      /** The token typed into the app dashboard for the webhook GET handshake. */
      verifyTokenEnv: z.optional(envName),
      verifyTokenSecret: z.optional(secretName),
    }),
  zalo: () =>
    options({
      ...common(),
      kind: z.literal('zalo'),
      oaId: numericId,
      appId: numericId,
      /** OA secret key: X-ZEvent-Signature on webhook deliveries. */
      oaSecretKeyEnv: z.optional(envName),
      oaSecretKeySecret: z.optional(secretName),
      /** Most SDKs send a plain SHA-256 over app_id + body + timestamp + secret; one uses HMAC-SHA256 keyed by it. */
      signature: z._default(z.enum(['sha256', 'hmac-sha256']), 'sha256'),
      /** Fallback: poll listrecentchat with an OA access token (the webhook is the primary path). */
      pollRecentChats: z._default(z.boolean(), false),
      accessTokenEnv: z.optional(envName),
      accessTokenSecret: z.optional(secretName),
    }),
  tiki: () =>
    options({
      ...common(),
      kind: z.literal('tiki'),
      /** Tiki product ids (the number after `-p` in a product URL). */
      productIds: z.array(numericId).check(z.minLength(1, 'give at least one product id')),
      /** Tiki's reviews endpoint is unofficial: opt-in, like googleplay. */
      acknowledgeFragile: z.literal(true, {
        error: 'tiki reads an unofficial, fragile endpoint: set acknowledgeFragile: true to opt in',
      }),
      /** Pause between requests (Tiki documents no limits; crawlers wait about half a second). */
      delayMs: z._default(z.number().check(z.int(), z.gte(0), z.lte(10_000)), 500),
      /** Tiki answers browser-like agents; the default still names Earshot. */
      userAgent: z._default(z.string().check(z.minLength(1)), TIKI_USER_AGENT),
      /** Only if Tiki starts asking for one: the `x-guest-token` of a tiki.vn session. */
      guestTokenEnv: z.optional(envName),
      guestTokenSecret: z.optional(secretName),
    }),
  shopee: () =>
    options({
      ...common(),
      kind: z.literal('shopee'),
      /** The Open Platform app (partner) and the brand's own shop that authorised it. */
      partnerId: numericId,
      shopId: numericId,
      /** Only these items' comments (default: the whole shop). */
      itemIds: z.optional(z.array(numericId)),
      pageSize: z._default(z.number().check(z.int(), z.gte(1), z.lte(100)), 100),
      partnerKeyEnv: z.optional(envName),
      partnerKeySecret: z.optional(secretName),
      accessTokenEnv: z.optional(envName),
      accessTokenSecret: z.optional(secretName),
    }),
  xenforo: () =>
    options({
      ...common(),
      kind: z.literal('xenforo'),
      /** The forum's RSS: a whole site (`/forums/-/index.rss`) or one forum (`/forums/<slug>.<id>/index.rss`). */
      url: httpUrl,
      /** Posts per thread page (XenForo's default, and voz's and tinhte's, is 20). */
      postsPerPage: z._default(z.number().check(z.int(), z.gte(5), z.lte(100)), 20),
      /** Threads whose pages are read per poll at most; the rest wait for the next poll. */
      maxThreads: z._default(z.number().check(z.int(), z.gte(1), z.lte(100)), 10),
    }),
  tiktok: () =>
    options({
      ...common(),
      kind: z.literal('tiktok'),
      /** The brand's own TikTok Business account (`business_id`, the account's open id). */
      businessId: z.string().check(z.minLength(1)),
      /** The Business API app id (`client_id` when refreshing). */
      appId: z.string().check(z.minLength(1)),
      /** The account's @username: its own comments are kept as replies, never mentions. */
      username: z.optional(z.string().check(z.minLength(1))),
      /** Comments on videos of the last N days are re-read every poll. */
      recentVideoDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(90)), 14),
      maxVideos: z._default(z.number().check(z.int(), z.gte(1), z.lte(50)), 10),
      accessTokenEnv: z.optional(envName),
      accessTokenSecret: z.optional(secretName),
      refreshTokenEnv: z.optional(envName),
      refreshTokenSecret: z.optional(secretName),
      appSecretEnv: z.optional(envName),
      appSecretSecret: z.optional(secretName),
    }),
  lazada: () =>
    options({
      ...common(),
      kind: z.literal('lazada'),
      /** The Open Platform app that the brand's seller account authorised. */
      appKey: numericId,
      /** Lazada lists reviews per item only: the items to watch. */
      itemIds: z.array(numericId).check(z.minLength(1, 'give at least one item id')),
      /** How far back a poll reads at most, whatever the watermark (7-day windows each). */
      maxLookbackDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(90)), 30),
      appSecretEnv: z.optional(envName),
      appSecretSecret: z.optional(secretName),
      accessTokenEnv: z.optional(envName),
      accessTokenSecret: z.optional(secretName),
    }),
  googlereviews: () =>
    options({
      ...common(),
      kind: z.literal('googlereviews'),
      /** The Business Profile account (`accounts/{accountId}`) that owns the brand's locations. */
      accountId: z.optional(numericId),
      /** The brand's own locations in that account (`locations/{id}`): every review, read by `updateTime`. */
      locationIds: z._default(z.array(numericId), []),
      pageSize: z._default(z.number().check(z.int(), z.gte(1), z.lte(50)), 50),
      /** Google's OAuth token endpoint (tests, a proxy). */
      authUrl: z.optional(httpUrl),
      /** An OAuth client and the owner's refresh token (scope business.manage): access tokens last an hour. */
      clientIdEnv: z.optional(envName),
      clientIdSecret: z.optional(secretName),
      clientSecretEnv: z.optional(envName),
      clientSecretSecret: z.optional(secretName),
      refreshTokenEnv: z.optional(envName),
      refreshTokenSecret: z.optional(secretName),
      /** Optional sampler for any place (Places API): at most 5 reviews each, by relevance, never a complete feed. */
      placeIds: z._default(
        z.array(z.string().check(z.regex(/^[\w-]{10,300}$/, 'must be a Google place id like ChIJ…'))),
        [],
      ),
      placesUrl: z.optional(httpUrl),
      apiKeyEnv: z.optional(envName),
      apiKeySecret: z.optional(secretName),
      /** The language the Places API answers in (review texts are kept in their original language). */
      languageCode: z._default(
        z.string().check(z.regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'must be a language code like vi or en-US')),
        'vi',
      ),
    }),
  vnexpress: () =>
    options({
      ...common(),
      kind: z.literal('vnexpress'),
      /** VnExpress's comment endpoints are unofficial: opt-in, like googleplay and tiki. */
      acknowledgeFragile: z.literal(true, {
        error: 'vnexpress reads unofficial, fragile endpoints: set acknowledgeFragile: true to opt in',
      }),
      /** Articles watched by choice (the number before `.html`): every comment under them is the brand's. */
      articleIds: z._default(z.array(numericId), []),
      /** VnExpress RSS feeds (https://vnexpress.net/rss/<section>.rss): articles whose title or summary names the brand. */
      feeds: z._default(z.array(httpUrl), []),
      /** Feed articles published in the last N days are re-read for new comments. */
      recentArticleDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(30)), 7),
      /** Articles read per poll at most; the least recently read go first. */
      maxArticles: z._default(z.number().check(z.int(), z.gte(1), z.lte(100)), 10),
      /** Pause between requests (no documented limits; crawlers wait about half a second). */
      delayMs: z._default(z.number().check(z.int(), z.gte(0), z.lte(10_000)), 500),
      userAgent: z._default(z.string().check(z.minLength(1)), TIKI_USER_AGENT),
      /** The comment and article APIs' hosts (default usi-saas.vnexpress.net, gw.vnexpress.net; else `baseUrl`). */
      commentsUrl: z.optional(httpUrl),
      articlesUrl: z.optional(httpUrl),
    }),
} satisfies Record<SourceKind, () => z.ZodMiniType>;

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
const sinkSchema = once(() =>
  z.union(
    [
      z.literal('console'),
      options({ console: z.partial(options({ color: z._default(z.boolean(), true) })) }),
      options({ jsonl: z.string().check(z.minLength(1)) }),
      options({ webhook: httpUrl }),
      options({ webhookEnv: envName }),
      options({ webhookSecret: secretName }),
      options({
        sns: z.string().check(z.regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/, 'must be an SNS topic ARN')),
      }),
    ],
    {
      error:
        'must be console, { console: { color } }, { jsonl: FILE }, { webhookEnv: ENV_NAME }, ' +
        '{ webhookSecret: NAME or ssm:/path }, { webhook: URL } or { sns: TOPIC_ARN }',
    },
  ),
);

const severity = once(() => z.enum(['low', 'medium', 'high', 'critical']));

export const alertsSchema = once(() =>
  z.prefault(
    options({
      sinks: z._default(z.array(sinkSchema()), ['console']),
      /** Mentions below this severity are stored and triaged but never alerted. */
      minSeverity: z._default(severity(), 'medium'),
      incidents: z.prefault(
        options({
          windowMinutes: z._default(z.number().check(z.int(), z.gte(1)), 180),
          cooldownMinutes: z._default(z.number().check(z.int(), z.gte(0)), 30),
          /** Incident sizes that trigger an update alert. */
          updateAt: z._default(z.array(z.number().check(z.int(), z.gte(2))), [5, 20, 100]),
          /** How alike (0–1) a mention must be to an open incident to join it; the default suits most brands. */
          minSimilarity: z.optional(z.number().check(z.gte(0), z.lte(1))),
        }),
        {},
      ),
      /** Per-brand alerts per hour; the rest go into a digest. */
      hourlyCap: z._default(z.number().check(z.int(), z.gte(1)), 10),
      spikes: z.prefault(
        options({
          enabled: z._default(z.boolean(), true),
          minCount: z._default(z.number().check(z.int(), z.gte(1)), 8),
          factor: z._default(z.number().check(z.gte(1)), 3),
          warmupHours: z._default(z.number().check(z.int(), z.gte(1)), 24),
          baselineHours: z._default(z.number().check(z.int(), z.gte(6)), 7 * 24),
        }),
        {},
      ),
      escalation: z.prefault(
        options({
          afterMinutes: z._default(z.number().check(z.int(), z.gte(1)), 30),
          severities: z._default(z.array(z.enum(['high', 'critical'])), ['high', 'critical']),
        }),
        {},
      ),
    }),
    {},
  ),
);

const storageSchema = once(() =>
  z.union([
    z.literal('memory'),
    options({
      path: z.string().check(z.minLength(1)),
      /** A store outside the working directory and the config file's folder is refused unless this says so. */
      allowOutsideProject: z.optional(z.boolean()),
    }),
  ]),
);

const deploySchema = once(() =>
  z.prefault(
    options({
      subscriptions: z.prefault(
        options({
          email: z._default(
            z.array(
              options({
                address: z.email(),
                severities: z.optional(z.array(severity())),
                brands: z.optional(z.array(slug)),
              }),
            ),
            [],
          ),
          https: z._default(
            z.array(options({ url: z.url({ protocol: /^https$/, error: 'must be an https URL' }) })),
            [],
          ),
          sqs: z._default(
            z.array(
              options({ queueArn: z.string().check(z.regex(/^arn:aws[\w-]*:sqs:/, 'must be an SQS queue ARN')) }),
            ),
            [],
          ),
        }),
        {},
      ),
      slack: z.optional(
        options({ workspaceId: z.string().check(z.minLength(1)), channelId: z.string().check(z.minLength(1)) }),
      ),
      opsEmail: z.optional(z.email()),
      analyzeBatchSize: z._default(z.number().check(z.int(), z.gte(1), z.lte(100)), 25),
      analyzeBatchWindowSeconds: z._default(z.number().check(z.int(), z.gte(0), z.lte(300)), 10),
      analyzeReservedConcurrency: z._default(z.number().check(z.int(), z.gte(1), z.lte(100)), 5),
      logRetentionDays: z._default(z.number().check(z.int(), z.gte(1)), 30),
      retainData: z._default(z.boolean(), true),
      /** X-Ray active tracing on every function (a trace per invocation: init, handler, downstream calls' time). */
      tracing: z._default(z.boolean(), false),
      /** The web inbox on AWS (lib/inbox.ts: S3 + CloudFront, Cognito sign-in); absent = not deployed. */
      inbox: z.optional(
        options({
          /** The Cognito sign-in domain is https://<domainPrefix>.auth.<region>.amazoncognito.com: unique per region. */
          domainPrefix: z.string().check(
            z.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be lowercase letters, digits and hyphens (1–63)'),
            z.refine((value) => !/aws|amazon|cognito/.test(value), 'must not contain "aws", "amazon" or "cognito"'),
          ),
        }),
      ),
    }),
    {},
  ),
);

/** A first-response time: "15m", "1h", "1d", or a number of minutes. */
const slaDuration = once(() =>
  z.pipe(
    z
      .union([z.number(), z.string()])
      .check(
        z.refine(
          (value) => parseSlaMinutes(value) !== undefined,
          'must be a duration like 15m, 1h or 1d, or a number of minutes',
        ),
      ),
    z.transform((value) => parseSlaMinutes(value)!),
  ),
);

/** The support inbox: how long a flagged mention may wait for a first response, per severity. */
const triageSchema = once(() =>
  z.prefault(
    options({
      sla: z.prefault(
        options({
          critical: z._default(slaDuration(), DEFAULT_SLA.critical),
          high: z._default(slaDuration(), DEFAULT_SLA.high),
          medium: z._default(slaDuration(), DEFAULT_SLA.medium),
          low: z._default(slaDuration(), DEFAULT_SLA.low),
        }),
        {},
      ),
    }),
    {},
  ),
);

/** The config's top-level parts, in the order their errors are reported. */
export const CONFIG_PARTS = ['brands', 'sources', 'alerts', 'storage', 'retentionDays', 'deploy', 'triage'] as const;
export type ConfigPart = (typeof CONFIG_PARTS)[number];

/** Each part's schema, built on first use: a Lambda's deployed config has only the parts its function reads. */
function partSchemas(kinds: readonly SourceKind[]) {
  return {
    brands: () => z.array(brandSchema).check(z.minLength(1, 'configure at least one brand')),
    sources: () => z._default(z.array(sourceSchemaOf(kinds)), []),
    alerts: alertsSchema,
    storage: () => z._default(storageSchema(), { path: '.earshot/db' }),
    /** Raw mentions expire after this many days (DynamoDB TTL). */
    retentionDays: () => z._default(z.number().check(z.int(), z.gte(1), z.lte(3650)), 90),
    deploy: deploySchema,
    triage: triageSchema,
  };
}

type ConfigShape = { [P in ConfigPart]: ReturnType<ReturnType<typeof partSchemas>[P]> };

function buildConfigSchema(kinds: readonly SourceKind[], parts: readonly ConfigPart[]) {
  const schemas = partSchemas(kinds);
  // Typed as the whole config; a schema of fewer parts is only used through configSchemaFor's narrower type.
  const shape = Object.fromEntries(parts.map((part) => [part, schemas[part]()])) as ConfigShape;
  return options(shape).check(
    z.superRefine(crossCheck, { when: () => true }),
    z.superRefine(guardRails, { when: () => true }),
  );
}

type ConfigSchema = ReturnType<typeof buildConfigSchema>;
const configSchemas = new Map<string, ConfigSchema>();

/**
 * The config schema whose sources may be of these kinds (every kind by default) and that has these parts (all by
 * default), built once per combination. A config whose sources are all of known kinds parses with only theirs
 * (parse.ts): the same checks and messages as the full union, without building the other kinds' objects.
 */
export function configSchemaFor(
  kinds: readonly SourceKind[] = SOURCE_KINDS,
  parts: readonly ConfigPart[] = CONFIG_PARTS,
): ConfigSchema {
  const ordered = CONFIG_PARTS.filter((part) => parts.includes(part));
  const key = `${kinds.join(',')}|${ordered.join(',')}`;
  let schema = configSchemas.get(key);
  if (!schema) configSchemas.set(key, (schema = buildConfigSchema(kinds, ordered)));
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
export type AlertsConfig = z.infer<ReturnType<typeof alertsSchema>>;
export type SinkConfig = z.infer<ReturnType<typeof sinkSchema>>;
export type SourceConfigOf<K extends SourceConfig['kind']> = Extract<SourceConfig, { kind: K }>;

export { SOURCE_KINDS, type SourceKind };

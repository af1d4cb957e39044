import type { SourceKind } from '../core/mention';
import { nextHealth, type SourceHealth } from '../core/source-state';
import { appstoreAdapter } from './adapters/appstore';
import { blueskyAdapter } from './adapters/bluesky';
import { facebookAdapter } from './adapters/facebook';
import { googleplayAdapter } from './adapters/googleplay';
import { hackernewsAdapter } from './adapters/hackernews';
import { googleReviewsAdapter } from './adapters/googlereviews';
import { lazadaAdapter } from './adapters/lazada';
import { mastodonAdapter } from './adapters/mastodon';
import { redditAdapter } from './adapters/reddit';
import { rssAdapter } from './adapters/rss';
import { shopeeAdapter } from './adapters/shopee';
import { tikiAdapter } from './adapters/tiki';
import { trustpilotAdapter } from './adapters/trustpilot';
import { vnexpressAdapter } from './adapters/vnexpress';
import { youtubeAdapter } from './adapters/youtube';
import { tiktokAdapter } from './adapters/tiktok';
import { xenforoAdapter } from './adapters/xenforo';
import { zaloAdapter } from './adapters/zalo';
import { SourceConfigError } from './adapters/common';
import { CursorWindow } from './cursor';
import { DEFAULT_MAX_RESPONSE_BYTES, redactSecrets } from './http';
import type { PollContext, PollOutcome, SourceAdapter } from './types';

/**
 * The source adapters by kind.
 *
 * X / Twitter is deliberately absent: since Feb 2026 its API is pay-per-use ($0.005 per post read, $0.010 per user
 * read; the free tier is closed to new sign-ups), so polling a brand would bill every mention including noise.
 * To add it: a `twitter` kind in SOURCE_KINDS and the config schema (bearerTokenEnv/…Secret), and an adapter that
 * calls `GET /2/tweets/search/recent` with `since_id` kept in `cursor.extra` (paging `next_token`, reading
 * `x-rate-limit-reset` epoch seconds, which the shared HTTP client already honours), registered below.
 */

/** Push-only: mentions arrive through the webhook handler (`parseWebhookDelivery`), nothing to poll. */
const webhookAdapter: SourceAdapter = {
  kind: 'webhook',
  needs: 'a shared secret (secretEnv/secretSecret) to verify X-Earshot-Signature (HMAC-SHA256) on pushed deliveries',
  async poll(ctx) {
    const window = new CursorWindow(ctx.cursor, ctx.source.id, ctx.now, ctx.source.lookbackHours);
    return { mentions: [], nextCursor: window.unchanged(), fetched: 0, relevant: 0, noise: 0, skipped: 0, errors: [] };
  },
};

const ADAPTERS: Record<SourceKind, SourceAdapter> = {
  hackernews: hackernewsAdapter,
  reddit: redditAdapter,
  mastodon: mastodonAdapter,
  bluesky: blueskyAdapter,
  appstore: appstoreAdapter,
  googleplay: googleplayAdapter,
  youtube: youtubeAdapter,
  trustpilot: trustpilotAdapter,
  rss: rssAdapter,
  webhook: webhookAdapter,
  facebook: facebookAdapter,
  zalo: zaloAdapter,
  tiki: tikiAdapter,
  shopee: shopeeAdapter,
  xenforo: xenforoAdapter,
  tiktok: tiktokAdapter,
  lazada: lazadaAdapter,
  googlereviews: googleReviewsAdapter,
  vnexpress: vnexpressAdapter,
};

export function getAdapter(kind: SourceKind): SourceAdapter {
  const adapter = ADAPTERS[kind];
  if (!adapter) throw new Error(`unknown source kind "${kind}" (known: ${Object.keys(ADAPTERS).join(', ')})`);
  return adapter;
}

export interface SourceKindInfo {
  kind: SourceKind;
  auth: string;
  needs: string;
  /** Unofficial or liable to break without notice. */
  fragile: boolean;
  /** Pushed to Earshot rather than polled. */
  push: boolean;
  notes: string;
}

export const SOURCE_KINDS_INFO: SourceKindInfo[] = [
  {
    kind: 'hackernews',
    auth: 'none',
    needs: hackernewsAdapter.needs,
    fragile: false,
    push: false,
    notes: 'Algolia search_by_date; stories and comments',
  },
  {
    kind: 'reddit',
    auth: 'OAuth client credentials',
    needs: redditAdapter.needs,
    fragile: false,
    push: false,
    notes: 'search + subreddit new (+ comments); unauthenticated .json is shutting down',
  },
  {
    kind: 'mastodon',
    auth: 'none / user token',
    needs: mastodonAdapter.needs,
    fragile: false,
    push: false,
    notes: 'one instance; hashtag timelines with min_id; search only with a token',
  },
  {
    kind: 'bluesky',
    auth: 'app password',
    needs: blueskyAdapter.needs,
    fragile: false,
    push: false,
    notes: 'searchPosts sort=latest; session cached and refreshed',
  },
  {
    kind: 'appstore',
    auth: 'none',
    needs: appstoreAdapter.needs,
    fragile: false,
    push: false,
    notes: 'per-country RSS; feed is sometimes empty; relevant by construction',
  },
  {
    kind: 'googleplay',
    auth: 'none (scraped)',
    needs: googleplayAdapter.needs,
    fragile: true,
    push: false,
    notes: 'undocumented batchexecute RPC; opt-in; relevant by construction',
  },
  {
    kind: 'youtube',
    auth: 'API key',
    needs: youtubeAdapter.needs,
    fragile: false,
    push: false,
    notes: 'one search.list per poll; comments on tracked brand videos',
  },
  {
    kind: 'trustpilot',
    auth: 'API key (paid)',
    needs: trustpilotAdapter.needs,
    fragile: false,
    push: false,
    notes: 'business unit reviews newest first; relevant by construction',
  },
  {
    kind: 'rss',
    auth: 'none',
    needs: rssAdapter.needs,
    fragile: false,
    push: false,
    notes: 'ETag / Last-Modified; Google Alerts links unwrapped',
  },
  {
    kind: 'webhook',
    auth: 'HMAC-SHA256 signature',
    needs: webhookAdapter.needs,
    fragile: false,
    push: true,
    notes: 'push: POST one mention or an array; 5-minute replay window',
  },
  {
    kind: 'facebook',
    auth: 'Page access token',
    needs: facebookAdapter.needs,
    fragile: false,
    push: true,
    notes: 'own Page: posts + visitor posts, comments and replies; Page webhooks (GET handshake, X-Hub-Signature-256)',
  },
  {
    kind: 'zalo',
    auth: 'OA secret key / OA token',
    needs: zaloAdapter.needs,
    fragile: false,
    push: true,
    notes: 'own Official Account: direct messages (private) by webhook; listrecentchat fallback',
  },
  {
    kind: 'tiki',
    auth: 'none (unofficial)',
    needs: tikiAdapter.needs,
    fragile: true,
    push: false,
    notes: 'product reviews sort=id|desc; created_at Unix seconds, timeline strings UTC+7; opt-in',
  },
  {
    kind: 'shopee',
    auth: 'partner key + shop access token (signed)',
    needs: shopeeAdapter.needs,
    fragile: false,
    push: false,
    notes: 'own shop: product/get_comment by cursor; rating_star → rating, seller reply kept; HMAC-SHA256 signed',
  },
  {
    kind: 'xenforo',
    auth: 'none',
    needs: xenforoAdapter.needs,
    fragile: false,
    push: false,
    notes: 'forum RSS (voz.vn, tinhte.vn): a thread that moves again is re-read, only its new posts handed on',
  },
  {
    kind: 'tiktok',
    auth: 'Business API access token (+ refresh)',
    needs: tiktokAdapter.needs,
    fragile: false,
    push: false,
    notes: 'own Business account: recent videos, then their comments and replies; token refreshed in memory',
  },
  {
    kind: 'lazada',
    auth: 'app key/secret + seller access token (signed)',
    needs: lazadaAdapter.needs,
    fragile: false,
    push: false,
    notes:
      'own shop: review history per item in 7-day windows, then review details; product_rating → rating, seller reply kept',
  },
  {
    kind: 'googlereviews',
    auth: 'OAuth refresh token (owner); Places API key (sampler)',
    needs: googleReviewsAdapter.needs,
    fragile: false,
    push: false,
    notes:
      'own Business Profile locations by updateTime (edits re-read), starRating → rating, reply kept; Places sampler: 5 reviews, a sample',
  },
  {
    kind: 'vnexpress',
    auth: 'none (unofficial)',
    needs: vnexpressAdapter.needs,
    fragile: true,
    push: false,
    notes:
      'article comments and replies; articles listed or from RSS filtered by the keywords; new by comment id; opt-in',
  },
];

/** A plain-text table of the source kinds for `earshot sources`. */
export function describeSources(): string {
  const rows = SOURCE_KINDS_INFO.map((info) => [
    info.kind + (info.fragile ? ' (fragile)' : '') + (info.push ? ' (push)' : ''),
    info.auth,
    info.needs,
  ]);
  const header = ['KIND', 'AUTH', 'NEEDS'];
  const widths = [0, 1].map((i) => Math.max(header[i].length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`;
  return [line(header), ...rows.map(line)].join('\n') + '\nX/Twitter: not included (pay-per-read API since Feb 2026).';
}

/** Response-size caps by kind where the default does not fit: feeds and scraped pages carry markup. */
const MAX_RESPONSE_BYTES: Partial<Record<SourceKind, number>> = {
  rss: 8 * 1024 * 1024,
  googleplay: 8 * 1024 * 1024,
  xenforo: 8 * 1024 * 1024,
  vnexpress: 8 * 1024 * 1024,
};

/**
 * Poll one source and never throw: an adapter failure comes back in `errors` with the cursor unchanged, so the
 * caller saves nothing new and the next poll retries the same window. The HTTP client gets the source's
 * timeout and request budget for this poll. Error messages are scrubbed of credentials.
 */
export async function pollSource(ctx: PollContext, previousHealth?: SourceHealth): Promise<PollOutcome> {
  const { source, now } = ctx;
  const http = ctx.http.forPoll({
    timeoutMs: source.timeoutMs,
    requestBudget: source.requestBudget,
    maxResponseBytes: source.maxResponseBytes ?? MAX_RESPONSE_BYTES[source.kind] ?? DEFAULT_MAX_RESPONSE_BYTES,
    pollBudgetMs: source.pollBudgetMs,
    allowCrossOriginRedirects: source.allowCrossOriginRedirects,
  });
  try {
    const result = await getAdapter(source.kind).poll({ ...ctx, http });
    const health = nextHealth(previousHealth, source, now, { ok: true, newestAt: result.nextCursor.watermark });
    if (result.note) health.note = result.note;
    else delete health.note;
    return { ...result, health };
  } catch (error) {
    const configError = error instanceof SourceConfigError;
    const detail = http.redact(redactSecrets(error instanceof Error ? error.message : String(error)));
    // A config error (revoked token, missing permission) says so: retrying will not fix it, a person must.
    const message = configError ? `config error: ${detail}` : detail;
    const cursor = new CursorWindow(ctx.cursor, source.id, now, source.lookbackHours).unchanged();
    return {
      mentions: [],
      nextCursor: cursor,
      fetched: 0,
      relevant: 0,
      noise: 0,
      skipped: 0,
      errors: [`${source.id} (${source.kind}): ${message}`],
      health: nextHealth(previousHealth, source, now, { ok: false, error: message }),
    };
  }
}

import type { SourceConfig } from '../config/schema';
import type { SourceKind } from '../core/mention';
import { nextHealth, type SourceHealth } from '../core/source-state';
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

/** Sources with nothing to poll: Earshot webhooks, and Zalo OAs without the listrecentchat fallback. */
export function isPushOnly(source: SourceConfig): boolean {
  return source.kind === 'webhook' || (source.kind === 'zalo' && !source.pollRecentChats);
}

/** Sources the scheduler polls: enabled, and not push-only (a Zalo OA polls only with its fallback on). */
export function polledSources(config: { sources: SourceConfig[] }): SourceConfig[] {
  return config.sources.filter((source) => source.enabled && !isPushOnly(source));
}

/** Push-only: mentions arrive through the webhook handler (`parseWebhookDelivery`), nothing to poll. */
const webhookAdapter: SourceAdapter = {
  kind: 'webhook',
  needs: 'a shared secret (secretEnv/secretSecret) to verify X-Earshot-Signature (HMAC-SHA256) on pushed deliveries',
  async poll(ctx) {
    const window = new CursorWindow(ctx.cursor, ctx.source.id, ctx.now, ctx.source.lookbackHours);
    return { mentions: [], nextCursor: window.unchanged(), fetched: 0, relevant: 0, noise: 0, skipped: 0, errors: [] };
  },
};

/**
 * Each kind's adapter, loaded on first use (its module, its response schemas, its parsers): a poll function loads
 * only the adapters of the sources it polls (handlers/poll.ts, at init).
 */
const ADAPTERS: Record<SourceKind, () => SourceAdapter> = {
  hackernews: () => (require('./adapters/hackernews') as typeof import('./adapters/hackernews')).hackernewsAdapter,
  reddit: () => (require('./adapters/reddit') as typeof import('./adapters/reddit')).redditAdapter,
  mastodon: () => (require('./adapters/mastodon') as typeof import('./adapters/mastodon')).mastodonAdapter,
  bluesky: () => (require('./adapters/bluesky') as typeof import('./adapters/bluesky')).blueskyAdapter,
  appstore: () => (require('./adapters/appstore') as typeof import('./adapters/appstore')).appstoreAdapter,
  googleplay: () => (require('./adapters/googleplay') as typeof import('./adapters/googleplay')).googleplayAdapter,
  youtube: () => (require('./adapters/youtube') as typeof import('./adapters/youtube')).youtubeAdapter,
  trustpilot: () => (require('./adapters/trustpilot') as typeof import('./adapters/trustpilot')).trustpilotAdapter,
  rss: () => (require('./adapters/rss') as typeof import('./adapters/rss')).rssAdapter,
  webhook: () => webhookAdapter,
  facebook: () => (require('./adapters/facebook') as typeof import('./adapters/facebook')).facebookAdapter,
  zalo: () => (require('./adapters/zalo') as typeof import('./adapters/zalo')).zaloAdapter,
  tiki: () => (require('./adapters/tiki') as typeof import('./adapters/tiki')).tikiAdapter,
  shopee: () => (require('./adapters/shopee') as typeof import('./adapters/shopee')).shopeeAdapter,
  xenforo: () => (require('./adapters/xenforo') as typeof import('./adapters/xenforo')).xenforoAdapter,
  tiktok: () => (require('./adapters/tiktok') as typeof import('./adapters/tiktok')).tiktokAdapter,
  lazada: () => (require('./adapters/lazada') as typeof import('./adapters/lazada')).lazadaAdapter,
  googlereviews: () =>
    (require('./adapters/googlereviews') as typeof import('./adapters/googlereviews')).googleReviewsAdapter,
  vnexpress: () => (require('./adapters/vnexpress') as typeof import('./adapters/vnexpress')).vnexpressAdapter,
};

const loaded = new Map<SourceKind, SourceAdapter>();

export function getAdapter(kind: SourceKind): SourceAdapter {
  let adapter = loaded.get(kind);
  if (adapter) return adapter;
  if (!Object.hasOwn(ADAPTERS, kind)) {
    throw new Error(`unknown source kind "${kind}" (known: ${Object.keys(ADAPTERS).join(', ')})`);
  }
  adapter = ADAPTERS[kind]();
  loaded.set(kind, adapter);
  return adapter;
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
    // A push-only source's poll reads nothing: its watermark is the look-back start, not the age of an item.
    const newestAt = isPushOnly(source) ? undefined : result.nextCursor.watermark;
    const health = nextHealth(previousHealth, source, now, { ok: true, newestAt });
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

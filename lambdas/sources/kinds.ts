import type { SourceKind } from '../core/mention';
import { getAdapter } from './registry';

/**
 * What `earshot sources` tells about each kind. It reads every adapter's `needs`, so it loads them all: the poll
 * Lambda imports the registry alone and loads only its sources' adapters.
 */
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
    needs: getAdapter('hackernews').needs,
    fragile: false,
    push: false,
    notes: 'Algolia search_by_date; stories and comments',
  },
  {
    kind: 'reddit',
    auth: 'OAuth client credentials',
    needs: getAdapter('reddit').needs,
    fragile: false,
    push: false,
    notes: 'search + subreddit new (+ comments); unauthenticated .json is shutting down',
  },
  {
    kind: 'mastodon',
    auth: 'none / user token',
    needs: getAdapter('mastodon').needs,
    fragile: false,
    push: false,
    notes: 'one instance; hashtag timelines with min_id; search only with a token',
  },
  {
    kind: 'bluesky',
    auth: 'app password',
    needs: getAdapter('bluesky').needs,
    fragile: false,
    push: false,
    notes: 'searchPosts sort=latest; session cached and refreshed',
  },
  {
    kind: 'appstore',
    auth: 'none',
    needs: getAdapter('appstore').needs,
    fragile: false,
    push: false,
    notes: 'per-country RSS; feed is sometimes empty; relevant by construction',
  },
  {
    kind: 'googleplay',
    auth: 'none (scraped)',
    needs: getAdapter('googleplay').needs,
    fragile: true,
    push: false,
    notes: 'undocumented batchexecute RPC; opt-in; relevant by construction',
  },
  {
    kind: 'youtube',
    auth: 'API key',
    needs: getAdapter('youtube').needs,
    fragile: false,
    push: false,
    notes: 'one search.list per poll; comments on tracked brand videos',
  },
  {
    kind: 'trustpilot',
    auth: 'API key (paid)',
    needs: getAdapter('trustpilot').needs,
    fragile: false,
    push: false,
    notes: 'business unit reviews newest first; relevant by construction',
  },
  {
    kind: 'rss',
    auth: 'none',
    needs: getAdapter('rss').needs,
    fragile: false,
    push: false,
    notes: 'ETag / Last-Modified; Google Alerts links unwrapped',
  },
  {
    kind: 'webhook',
    auth: 'HMAC-SHA256 signature',
    needs: getAdapter('webhook').needs,
    fragile: false,
    push: true,
    notes: 'push: POST one mention or an array; 5-minute replay window',
  },
  {
    kind: 'facebook',
    auth: 'Page access token',
    needs: getAdapter('facebook').needs,
    fragile: false,
    push: true,
    notes: 'own Page: posts + visitor posts, comments and replies; Page webhooks (GET handshake, X-Hub-Signature-256)',
  },
  {
    kind: 'zalo',
    auth: 'OA secret key / OA token',
    needs: getAdapter('zalo').needs,
    fragile: false,
    push: true,
    notes: 'own Official Account: direct messages (private) by webhook; listrecentchat fallback',
  },
  {
    kind: 'tiki',
    auth: 'none (unofficial)',
    needs: getAdapter('tiki').needs,
    fragile: true,
    push: false,
    notes: 'product reviews sort=id|desc; created_at Unix seconds, timeline strings UTC+7; opt-in',
  },
  {
    kind: 'shopee',
    auth: 'partner key + shop access token (signed)',
    needs: getAdapter('shopee').needs,
    fragile: false,
    push: false,
    notes: 'own shop: product/get_comment by cursor; rating_star → rating, seller reply kept; HMAC-SHA256 signed',
  },
  {
    kind: 'xenforo',
    auth: 'none',
    needs: getAdapter('xenforo').needs,
    fragile: false,
    push: false,
    notes: 'forum RSS (voz.vn, tinhte.vn): a thread that moves again is re-read, only its new posts handed on',
  },
  {
    kind: 'tiktok',
    auth: 'Business API access token (+ refresh)',
    needs: getAdapter('tiktok').needs,
    fragile: false,
    push: false,
    notes: 'own Business account: recent videos, then their comments and replies; token refreshed in memory',
  },
  {
    kind: 'lazada',
    auth: 'app key/secret + seller access token (signed)',
    needs: getAdapter('lazada').needs,
    fragile: false,
    push: false,
    notes:
      'own shop: review history per item in 7-day windows, then review details; product_rating → rating, seller reply kept',
  },
  {
    kind: 'googlereviews',
    auth: 'OAuth refresh token (owner); Places API key (sampler)',
    needs: getAdapter('googlereviews').needs,
    fragile: false,
    push: false,
    notes:
      'own Business Profile locations by updateTime (edits re-read), starRating → rating, reply kept; Places sampler: 5 reviews, a sample',
  },
  {
    kind: 'vnexpress',
    auth: 'none (unofficial)',
    needs: getAdapter('vnexpress').needs,
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

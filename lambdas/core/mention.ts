import type { Analysis } from './analysis/types';
import type { TriageState } from './triage';

/** Source kinds Earshot can poll or receive (`earshot sources` lists them; README "Sources"). */
export const SOURCE_KINDS = [
  'hackernews',
  'reddit',
  'mastodon',
  'bluesky',
  'appstore',
  'googleplay',
  'youtube',
  'trustpilot',
  'rss',
  'webhook',
  'facebook',
  'zalo',
  'tiki',
  'shopee',
  'xenforo',
  'tiktok',
  'lazada',
  'googlereviews',
  'vnexpress',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Engagement a source reports with a mention, when it has it. */
export interface Engagement {
  likes?: number;
  shares?: number;
  replies?: number;
}

/**
 * Who can read a mention where it was written. `private` = a direct message to the brand (Zalo OA): stored and
 * triaged like any other, but its text stays out of alerts that leave the team's own sinks unless a sink opts in.
 */
export type Visibility = 'public' | 'private';

/** The brand's own answer to a mention (a seller reply under a review), so triage can show it was answered. */
export interface BrandReply {
  text: string;
  /** ISO 8601 timestamp of the reply, when the source reports it. */
  createdAt?: string;
}

/** One normalized mention, whatever source it came from. Ids are always strings. */
export interface Mention {
  /** Id unique within the source instance (e.g. `t3_abc`, `us:123`, an `at://` uri). */
  id: string;
  /** The configured source instance id (e.g. `acme-hn`). */
  sourceId: string;
  kind: SourceKind;
  brandId: string;
  url?: string;
  author?: string;
  title?: string;
  /** Plain text: HTML stripped and entities decoded. */
  text: string;
  /** ISO 8601 timestamp. */
  createdAt: string;
  /** BCP-47-ish language code from the source, when it reports one (e.g. `en`, `vi`). */
  language?: string;
  /** Star rating 1–5 for review sources. */
  rating?: number;
  engagement?: Engagement;
  /** The author's own audience (followers, reviews written): what the reach cue weighs. */
  authorReach?: number;
  /** Members of the community the mention was posted in (a subreddit's subscribers): not the author's reach. */
  communitySize?: number;
  /** Storefront country or similar. */
  country?: string;
  /** Set by every adapter; absent only on mentions stored before it existed, which were all public. */
  visibility?: Visibility;
  /** The brand's reply, when the source shows one. */
  reply?: BrandReply;
}

/** Whether a mention's text must be kept out of alerts that leave the team's own sinks. */
export function isPrivate(mention: Pick<Mention, 'visibility'>): boolean {
  return mention.visibility === 'private';
}

/** A mention with its analysis, as stored. `flagged` = complaint that reached the alert threshold (memorable). */
export interface StoredMention extends Mention {
  analysis: Analysis;
  storedAt: string;
  flagged: boolean;
  /** Present on flagged mentions only: they enter the triage queue. */
  triage?: TriageState;
  incidentKey?: string;
}

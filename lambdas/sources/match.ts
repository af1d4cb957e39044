import type { BrandConfig } from '../config/schema';
import type { SourceConfig } from '../config/schema';

/**
 * Brand relevance. Sources over-match (search engines stem, ignore word boundaries, match usernames), so every item
 * is re-checked here. Matching is case- and diacritics-insensitive with Unicode word boundaries. As the config
 * schema documents, an exclusion phrase anywhere in the text makes the item irrelevant ("Acme museum",
 * "Wile E. Coyote"): exclusions are for known over-matches, and a false negative there is cheaper than noise.
 */

export interface MatchResult {
  relevant: boolean;
  /** The keyword that matched (as configured). */
  keyword?: string;
  /** Set when an exclusion phrase made the item irrelevant. */
  excluded?: boolean;
}

export interface BrandMatcher {
  match(text: string): MatchResult;
}

/**
 * Lower-case and strip diacritics, the same on keywords and on text, so Vietnamese written with or without its
 * marks matches either way ("Điện Máy Xanh" = "dien may xanh"). NFD splits a precomposed letter (ở = o + horn +
 * grave) and the combining marks go, whether the text arrived composed (NFC) or decomposed (macOS, some keyboards).
 * Đ is a letter of its own, not d + a mark, so it is mapped by hand, with its look-alikes typed in its place
 * (Icelandic Ð/ð, African Ɖ/ɖ). A zero-width space separates words; soft hyphens and zero-width joiners sit inside
 * them (copied from Facebook and forum posts), so they go.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đðɖ]/g, 'd')
    .replace(/[ĐÐƉ]/g, 'D')
    .replace(/\u200b/g, ' ')
    .replace(/\u00ad|\u200c|\u200d|\u2060|\ufeff/g, '')
    .toLowerCase();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A phrase as a regex source: words separated by any run of spaces, dashes or underscores, Unicode word edges. */
function phrasePattern(phrase: string): string {
  const words = foldText(phrase)
    .trim()
    .split(/[\s\-_]+/)
    .filter(Boolean)
    .map(escapeRegExp);
  return `(?<![\\p{L}\\p{N}])${words.join('[\\s\\-_]+')}(?![\\p{L}\\p{N}])`;
}

function compile(brand: BrandConfig): BrandMatcher {
  const keywordPatterns = brand.keywords.map((keyword) => {
    const variants = [phrasePattern(keyword)];
    // Multi-word brands also appear glued together in hashtags and handles: #AcmeAir, @acmeair.
    const glued = foldText(keyword).replace(/[\s\-_]+/g, '');
    if (glued !== foldText(keyword).trim()) variants.push(phrasePattern(glued));
    return { keyword, regex: new RegExp(variants.join('|'), 'u') };
  });
  const exclusions = brand.exclude.length
    ? new RegExp(brand.exclude.map((phrase) => phrasePattern(phrase)).join('|'), 'u')
    : undefined;
  return {
    match(text: string): MatchResult {
      const folded = foldText(text);
      if (exclusions?.test(folded)) return { relevant: false, excluded: true };
      for (const { keyword, regex } of keywordPatterns) {
        if (regex.test(folded)) return { relevant: true, keyword };
      }
      return { relevant: false };
    },
  };
}

const matchers = new WeakMap<BrandConfig, BrandMatcher>();

/** The brand's matcher, compiled once per brand config object. */
export function brandMatcher(brand: BrandConfig): BrandMatcher {
  let matcher = matchers.get(brand);
  if (!matcher) {
    matcher = compile(brand);
    matchers.set(brand, matcher);
  }
  return matcher;
}

/**
 * Sources scoped to the brand's own listing, Page, shop or account: their items rarely name the brand, so no
 * keyword re-check drops them. Forums and news (xenforo, vnexpress) are re-checked like any search.
 */
export function isRelevantByConstruction(source: SourceConfig): boolean {
  switch (source.kind) {
    case 'appstore':
    case 'googleplay':
    case 'trustpilot':
    case 'webhook':
    case 'facebook':
    case 'zalo':
    case 'tiki':
    case 'shopee':
    case 'tiktok':
    case 'lazada':
    case 'googlereviews':
      return true;
    case 'rss':
      return source.relevantByConstruction;
    default:
      return false;
  }
}

/** Whether an item from this source is about the brand. */
export function isRelevant(source: SourceConfig, brand: BrandConfig, text: string): boolean {
  return isRelevantByConstruction(source) || brandMatcher(brand).match(text).relevant;
}

/**
 * Named, explainable cues of a memorable negative experience (DESIGN.md "The idea behind the scoring").
 * Text is split once into word tokens; phrases are found by Map lookups on the first token, so a call costs one
 * pass over the text whatever the size of the lexicons. Everything is compiled at module load.
 */
import type { Aspect, Cue, CueName, Sentiment } from './types';
import {
  EN_AMPLIFICATION,
  EN_ASPECTS,
  EN_CAPS_ALLOWED,
  EN_CHURN,
  EN_EFFORT,
  EN_EMOTION,
  EN_EXPECTATION_GAP,
  EN_PROBLEM,
  EN_PROFANITY,
  EN_SATISFACTION,
  EN_UNANSWERED,
  EN_VERDICT,
  EN_HEDGE,
  EN_NOT_NEGATIVE,
  type PhraseWeights,
} from './cue-lexicon-en';
import {
  VI_AMPLIFICATION,
  VI_ASPECTS,
  VI_CHURN,
  VI_EFFORT,
  VI_EMOTION,
  VI_EXPECTATION_GAP,
  VI_PROBLEM,
  VI_PROFANITY,
  VI_SATISFACTION,
  VI_UNANSWERED,
} from './cue-lexicon-vi';

/** Only this much text is scanned for cues: enough for any review, and it bounds the work on huge inputs. */
export const MAX_CUE_TEXT_CHARS = 20_000;
/** At most this many evidence excerpts per cue. */
const MAX_EVIDENCE = 5;

/** Phrase families: the text cues plus the signals classification needs (problem, emotion, satisfaction, aspects). */
export const FAMILIES = [
  'problem',
  'profanity',
  'expectationGap',
  'effort',
  'unanswered',
  'churn',
  'amplification',
  'emotion',
  'satisfaction',
  'verdict',
  'hedge',
  /** Hides the words of negative-looking phrases that are not negative ("can't wait"). */
  'notNegative',
  'aspect:function',
  'aspect:time',
  'aspect:appeal',
  'aspect:environment',
  'aspect:service',
  'aspect:price',
] as const;
export type Family = (typeof FAMILIES)[number];

/** What the lexicons found for one family: combined strength in [0, 1] and the words that triggered it. */
export interface FamilyHits {
  strength: number;
  evidence: string[];
}
export type TextSignals = Record<Family, FamilyHits>;

export interface CueContext {
  sentiment: Sentiment;
  /** ISO 639-1 code; Vietnamese phrases are looked for unless the text is English. */
  language: string;
  rating?: number;
  authorReach?: number;
  engagement?: { likes?: number; shares?: number; replies?: number };
}

export interface CueDetection {
  /** Cues with strength > 0, in CUE_NAMES order. */
  cues: Cue[];
  signals: TextSignals;
  /** Whether the text asks something ('?'). */
  hasQuestion: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Lexicon index

interface PhraseEntry {
  tokens: string[];
  family: Family;
  weight: number;
}
type PhraseIndex = Map<string, PhraseEntry[]>;

const APOSTROPHES = /['’‘`]/g;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NON_ASCII = /[^\x00-\x7f]/;

/** Lower-case, NFC, no apostrophes: the form phrases and tokens are compared in. */
function normalizeWord(word: string): string {
  return word.toLowerCase().replace(APOSTROPHES, '');
}

/** Strip Vietnamese diacritics ("thất vọng" → "that vong"). */
function foldDiacritics(word: string): string {
  if (!NON_ASCII.test(word)) return word;
  return word.normalize('NFD').replace(COMBINING_MARKS, '').replace(/đ/g, 'd').replace(/Đ/g, 'd');
}

function addPhrases(index: PhraseIndex, phrases: PhraseWeights, family: Family, fold: boolean): void {
  for (const [raw, weight] of Object.entries(phrases)) {
    const exactOnly = raw.startsWith('=');
    if (exactOnly && fold) continue;
    const text = (exactOnly ? raw.slice(1) : raw).normalize('NFC');
    const tokens = text.split(/\s+/).map(normalizeWord).map(fold ? foldDiacritics : (w: string) => w);
    const entries = index.get(tokens[0]) ?? [];
    entries.push({ tokens, family, weight });
    index.set(tokens[0], entries);
  }
}

function buildIndex(lists: [PhraseWeights, Family][], fold: boolean): PhraseIndex {
  const index: PhraseIndex = new Map();
  for (const [phrases, family] of lists) addPhrases(index, phrases, family, fold);
  // Longest phrases first, so the first match of a family at a position is its most specific one.
  for (const entries of index.values()) entries.sort((a, b) => b.tokens.length - a.tokens.length);
  return index;
}

function aspectLists(aspects: Record<Aspect, PhraseWeights>): [PhraseWeights, Family][] {
  return (Object.keys(aspects) as Aspect[]).map((aspect) => [aspects[aspect], `aspect:${aspect}` as Family]);
}

const EN_INDEX = buildIndex(
  [
    [EN_PROBLEM, 'problem'],
    [EN_PROFANITY, 'profanity'],
    [EN_EXPECTATION_GAP, 'expectationGap'],
    [EN_EFFORT, 'effort'],
    [EN_UNANSWERED, 'unanswered'],
    [EN_CHURN, 'churn'],
    [EN_AMPLIFICATION, 'amplification'],
    [EN_EMOTION, 'emotion'],
    [EN_SATISFACTION, 'satisfaction'],
    [EN_VERDICT, 'verdict'],
    [EN_HEDGE, 'hedge'],
    [EN_NOT_NEGATIVE, 'notNegative'],
    ...aspectLists(EN_ASPECTS),
  ],
  false,
);

const VI_LISTS: [PhraseWeights, Family][] = [
  [VI_PROBLEM, 'problem'],
  [VI_PROFANITY, 'profanity'],
  [VI_EXPECTATION_GAP, 'expectationGap'],
  [VI_EFFORT, 'effort'],
  [VI_UNANSWERED, 'unanswered'],
  [VI_CHURN, 'churn'],
  [VI_AMPLIFICATION, 'amplification'],
  [VI_EMOTION, 'emotion'],
  [VI_SATISFACTION, 'satisfaction'],
  ...aspectLists(VI_ASPECTS),
];
/** Vietnamese phrases as written (with diacritics) ... */
const VI_INDEX = buildIndex(VI_LISTS, false);
/** ... and without diacritics, matched against folded tokens (except the `=` exact-only words). */
const VI_FOLDED_INDEX = buildIndex(VI_LISTS, true);

const CAPS_ALLOWED = new Set(EN_CAPS_ALLOWED);

// ---------------------------------------------------------------------------------------------------------------
// Number + unit rule for effort ("waited 3 hours", "called 5 times", "3rd time", "2 tuần")

/** Effort weight of "<number> <unit>" by unit. Years are weak: "used it for 3 years" is often loyalty, not cost. */
const TIME_UNITS = new Map<string, number>([
  ['minutes', 0.4],
  ['mins', 0.4],
  ['hours', 0.8],
  ['hrs', 0.8],
  ['hour', 0.6],
  ['days', 0.8],
  ['day', 0.4],
  ['weeks', 0.9],
  ['week', 0.6],
  ['months', 1],
  ['month', 0.7],
  ['years', 0.3],
  ['times', 0.8],
  ['calls', 0.9],
  ['emails', 0.9],
  ['attempts', 0.9],
  ['tries', 0.8],
  ['phone calls', 0.9],
  // Vietnamese (folded): giờ, tiếng (hours), ngày, tuần, tháng, lần (times)
  ['gio', 0.8],
  ['tieng', 0.8],
  ['ngay', 0.7],
  ['tuan', 0.9],
  ['thang', 1],
  ['lan', 0.8],
]);
const NUMBER_WORDS = new Set([
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'twelve',
  'several',
  'multiple',
  'numerous',
  'countless',
  'many',
  'few',
  'hai',
  'ba',
  'bon',
  'nam',
  'may',
  'nhieu',
]);
const DIGITS = /^\d+$/;
const HAS_DIGIT = /\d/;
/** A word right after these characters is a handle, hashtag or part of a link, not prose. */
const NOT_PROSE_BEFORE = new Set(['@', '#', '/', '.', '_', '=']);
const ORDINAL = /^(\d+)(st|nd|rd|th)$/;

// ---------------------------------------------------------------------------------------------------------------
// Scanning

/** Word tokens (letters, digits, apostrophes inside words). */
const TOKEN_RE = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
/** Non-word intensity and amplification signals: "!!", angry emoji, #hashtags, @mentions. */
const SIGNAL_RE = /!{2,}|[😡🤬👎💩😤😠🖕]|#[\p{L}\p{N}_]+|@[\p{L}\p{N}_]{2,}/gu;
const AMPLIFYING_HASHTAG = /fail|boycott|never ?again|scam|avoid|worst|ripoff|disappoint/i;

interface Accumulator {
  /** Product of (1 - weight) over hits: strength is 1 - remaining. */
  remaining: number;
  evidence: string[];
}

function emptyAccumulators(): Record<Family, Accumulator> {
  const acc = {} as Record<Family, Accumulator>;
  for (const family of FAMILIES) acc[family] = { remaining: 1, evidence: [] };
  return acc;
}

function addHit(acc: Accumulator, weight: number, evidence: string): void {
  acc.remaining *= 1 - Math.min(1, Math.max(0, weight));
  if (acc.evidence.length < MAX_EVIDENCE && !includesIgnoringCase(acc.evidence, evidence)) acc.evidence.push(evidence);
}

function includesIgnoringCase(list: string[], item: string): boolean {
  const lower = item.toLowerCase();
  for (const existing of list) if (existing.toLowerCase() === lower) return true;
  return false;
}

/**
 * Finds, at each token position, the longest phrase of each family starting there. A family's phrases do not
 * overlap each other ("is broken" is not also counted as "broken"), but different families may share words.
 */
function matchPhrases(
  index: PhraseIndex,
  keys: string[],
  originals: string[],
  acc: Record<Family, Accumulator>,
  coveredUntil: Map<Family, number>,
): void {
  for (let i = 0; i < keys.length; i++) {
    const entries = index.get(keys[i]);
    if (entries === undefined) continue;
    let seenFamilies = 0;
    for (const entry of entries) {
      const n = entry.tokens.length;
      if (i + n > keys.length) continue;
      if ((coveredUntil.get(entry.family) ?? 0) > i) continue;
      let matches = true;
      for (let k = 1; k < n; k++) {
        if (keys[i + k] !== entry.tokens[k]) {
          matches = false;
          break;
        }
      }
      if (!matches) continue;
      if (entry.family === 'notNegative') {
        for (const family of FAMILIES) coveredUntil.set(family, Math.max(coveredUntil.get(family) ?? 0, i + n));
        break;
      }
      coveredUntil.set(entry.family, i + n);
      addHit(acc[entry.family], entry.weight, originals.slice(i, i + n).join(' '));
      seenFamilies++;
      if (seenFamilies > 4) break;
    }
  }
}

function matchNumberUnits(keys: string[], originals: string[], acc: Accumulator): void {
  for (let i = 0; i + 1 < keys.length; i++) {
    const key = keys[i];
    const next = keys[i + 1];
    const ordinal = ORDINAL.exec(key);
    if (ordinal !== null) {
      if (next === 'time' && Number(ordinal[1]) >= 2) addHit(acc, 0.9, `${originals[i]} ${originals[i + 1]}`);
      continue;
    }
    const isNumber = DIGITS.test(key) ? Number(key) >= 2 : NUMBER_WORDS.has(key);
    if (!isNumber) continue;
    const weight = TIME_UNITS.get(next);
    if (weight !== undefined) addHit(acc, weight, `${originals[i]} ${originals[i + 1]}`);
  }
}

/** Lexical scan of a text: phrase families, shouting, exclamations, emoji, tags and hashtags. */
export function scanText(rawText: string, language: string): { signals: TextSignals; intensity: FamilyHits; tags: FamilyHits; hasQuestion: boolean } {
  const text = rawText.length > MAX_CUE_TEXT_CHARS ? rawText.slice(0, MAX_CUE_TEXT_CHARS) : rawText;
  const acc = emptyAccumulators();
  const originals: string[] = [];
  const keys: string[] = [];
  const intensity: Accumulator = { remaining: 1, evidence: [] };
  let capsWords = 0;
  for (const match of text.matchAll(TOKEN_RE)) {
    const word = match[0];
    originals.push(word);
    keys.push(normalizeWord(word));
    // Shouting: an all-capitals word of 3+ letters that is not a usual acronym, a handle, a hashtag or in a link.
    if (
      word.length >= 3 &&
      word === word.toUpperCase() &&
      word !== word.toLowerCase() &&
      !CAPS_ALLOWED.has(word) &&
      !HAS_DIGIT.test(word) &&
      !NOT_PROSE_BEFORE.has(text[(match.index ?? 0) - 1])
    ) {
      capsWords++;
      if (intensity.evidence.length < MAX_EVIDENCE) intensity.evidence.push(word);
    }
  }
  // Many shouted words weigh more than one, but one all-caps word is weak evidence.
  if (capsWords > 0) intensity.remaining *= 1 - Math.min(0.8, 0.2 * capsWords);

  const coveredUntil = new Map<Family, number>();
  matchPhrases(EN_INDEX, keys, originals, acc, coveredUntil);
  const scanVietnamese = language !== 'en';
  let folded: string[] = keys;
  if (scanVietnamese) {
    folded = keys.map(foldDiacritics);
    const viCovered = new Map<Family, number>();
    matchPhrases(VI_INDEX, keys, originals, acc, viCovered);
    matchPhrases(VI_FOLDED_INDEX, folded, originals, acc, viCovered);
  }
  matchNumberUnits(folded, originals, acc.effort);

  const tags: Accumulator = { remaining: 1, evidence: [] };
  for (const match of text.matchAll(SIGNAL_RE)) {
    const signal = match[0];
    const first = signal[0];
    if (first === '!') addHit(intensity, 0.35, signal);
    else if (first === '#') {
      if (AMPLIFYING_HASHTAG.test(signal)) addHit(acc.amplification, 0.9, signal);
    } else if (first === '@') addHit(tags, 0.25, signal);
    else addHit(intensity, 0.6, signal);
  }

  // Profanity is shouting in words: it feeds intensity.
  const profanity = acc.profanity;
  if (profanity.remaining < 1) {
    intensity.remaining *= profanity.remaining;
    for (const word of profanity.evidence) if (intensity.evidence.length < MAX_EVIDENCE) intensity.evidence.push(word);
  }

  const signals = {} as TextSignals;
  for (const family of FAMILIES) signals[family] = toHits(acc[family]);
  return { signals, intensity: toHits(intensity), tags: toHits(tags), hasQuestion: text.includes('?') };
}

function toHits(acc: Accumulator): FamilyHits {
  return { strength: round3(1 - acc.remaining), evidence: acc.evidence };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

// ---------------------------------------------------------------------------------------------------------------
// Cues

/** Compound at or below which the text counts as negative (VADER's usual cut-off). */
export const NEGATIVE_COMPOUND = -0.05;
/** Followers at which reach saturates (10^6), and engagement (likes + 2·shares + replies) at 10^4. */
const REACH_SATURATION_LOG10 = 6;
const ENGAGEMENT_SATURATION_LOG10 = 4;
/**
 * Negativity blends how negative the words are overall (VADER compound) with damning verdicts ("worst",
 * "garbage", "waste of money") and concrete problems ("stopped working"): long reviews often mix enough positive
 * words to pull the compound up even when the verdict is plain, and VADER does not know most problem phrases.
 */
export const NEGATIVITY_SHARES = { compound: 0.3, verdict: 0.45, problem: 0.25 } as const;

function negativityCue(sentiment: Sentiment, verdict: FamilyHits, problem: FamilyHits): Cue {
  const fromCompound = sentiment.compound <= NEGATIVE_COMPOUND ? -sentiment.compound : 0;
  const strength = round3(
    clamp01(
      NEGATIVITY_SHARES.compound * fromCompound +
        NEGATIVITY_SHARES.verdict * verdict.strength +
        NEGATIVITY_SHARES.problem * problem.strength,
    ),
  );
  const evidence = [...verdict.evidence];
  for (const word of problem.evidence) if (!includesIgnoringCase(evidence, word)) evidence.push(word);
  evidence.length = Math.min(evidence.length, MAX_EVIDENCE);
  if (fromCompound > 0) evidence.push(`compound ${sentiment.compound.toFixed(2)}`);
  return { name: 'negativity', strength, evidence };
}

function reachCue(context: CueContext): Cue {
  const evidence: string[] = [];
  let strength = 0;
  const reach = context.authorReach;
  if (reach !== undefined && Number.isFinite(reach) && reach > 0) {
    strength = Math.max(strength, Math.log10(1 + reach) / REACH_SATURATION_LOG10);
    evidence.push(`${Math.round(reach).toLocaleString('en-US')} followers`);
  }
  const e = context.engagement;
  if (e !== undefined) {
    const likes = finiteOrZero(e.likes);
    const shares = finiteOrZero(e.shares);
    const replies = finiteOrZero(e.replies);
    const total = likes + 2 * shares + replies;
    if (total > 0) {
      strength = Math.max(strength, Math.log10(1 + total) / ENGAGEMENT_SATURATION_LOG10);
      if (likes > 0) evidence.push(`${likes} likes`);
      if (shares > 0) evidence.push(`${shares} shares`);
      if (replies > 0) evidence.push(`${replies} replies`);
    }
  }
  return { name: 'reach', strength: round3(clamp01(strength)), evidence };
}

function finiteOrZero(x: number | undefined): number {
  return x !== undefined && Number.isFinite(x) && x > 0 ? x : 0;
}

/** 1★ is the strongest signal, 2★ a strong one; 3★ and up are not low. */
function lowRatingCue(rating: number | undefined): Cue {
  if (rating === undefined || !Number.isFinite(rating) || rating > 2.5) return { name: 'lowRating', strength: 0, evidence: [] };
  const strength = rating <= 1.5 ? 1 : 0.7;
  return { name: 'lowRating', strength, evidence: [`${rating}★`] };
}

function lexicalCue(name: CueName, hits: FamilyHits): Cue {
  return { name, strength: hits.strength, evidence: hits.evidence };
}

/** Detects every cue on a text (title included by the caller) given its sentiment and the mention's signals. */
export function detectCues(text: string, context: CueContext): CueDetection {
  const { signals, intensity, tags, hasQuestion } = scanText(text, context.language);
  // Tagging someone with @ is a weak form of amplification: it puts the complaint in front of the brand.
  const amplification = combine(signals.amplification, tags);
  const all: Cue[] = [
    negativityCue(context.sentiment, signals.verdict, signals.problem),
    lexicalCue('intensity', intensity),
    lexicalCue('expectationGap', signals.expectationGap),
    lexicalCue('effort', signals.effort),
    lexicalCue('unanswered', signals.unanswered),
    lexicalCue('churn', signals.churn),
    lexicalCue('amplification', amplification),
    reachCue(context),
    lowRatingCue(context.rating),
  ];
  return { cues: all.filter((cue) => cue.strength > 0), signals, hasQuestion };
}

function combine(a: FamilyHits, b: FamilyHits): FamilyHits {
  if (b.strength === 0) return a;
  if (a.strength === 0) return b;
  const evidence = [...a.evidence, ...b.evidence].slice(0, MAX_EVIDENCE);
  return { strength: round3(1 - (1 - a.strength) * (1 - b.strength)), evidence };
}

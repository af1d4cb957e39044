/**
 * A faithful TypeScript port of Python vaderSentiment 3.3.x `SentimentIntensityAnalyzer.polarity_scores`
 * (Hutto & Gilbert, ICWSM 2014): same tokenization, rules, quirks and rounding, so scores match the Python
 * reference exactly. It reproduces behaviour, not intent: e.g. the "but" rule rescales the first sentiment equal in
 * value (as Python's list.index does), emoji are replaced one code point at a time, and the sentiment-laden idioms
 * table is never consulted (the reference never calls that check).
 */
import type { Sentiment } from './types';
import { MIN_EMOJI_CODE_POINT, VADER_EMOJI_DESCRIPTIONS, VADER_LEXICON } from './vader-lexicon';
import { finishHash, HASH_SEED, hashStep } from './token-table';
import { PooledTokenTable } from './pooled-token-table';
import { hashWord, WordFilter } from './word-filter';

// Module-local copies: reading an imported binding goes through a getter on every access in CommonJS output.
const LEXICON = VADER_LEXICON;
const EMOJI_DESCRIPTIONS = VADER_EMOJI_DESCRIPTIONS;
const MIN_EMOJI = MIN_EMOJI_CODE_POINT;
const LEAST_IN_LEXICON = LEXICON.has('least');
/** Most words are in no lexicon: these skip their Map lookups cheaply. */
const LEXICON_FILTER = new WordFilter(LEXICON.keys(), 17);

const B_INCR = 0.293;
const B_DECR = -0.293;
const C_INCR = 0.733;
const N_SCALAR = -0.74;

// prettier-ignore
const NEGATE = new Set([
  'aint', 'arent', 'cannot', 'cant', 'couldnt', 'darent', 'didnt', 'doesnt',
  "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
  'dont', 'hadnt', 'hasnt', 'havent', 'isnt', 'mightnt', 'mustnt', 'neither',
  "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
  'neednt', "needn't", 'never', 'none', 'nope', 'nor', 'not', 'nothing', 'nowhere',
  'oughtnt', 'shant', 'shouldnt', 'uhuh', 'wasnt', 'werent',
  "oughtn't", "shan't", "shouldn't", 'uh-uh', "wasn't", "weren't",
  'without', 'wont', 'wouldnt', "won't", "wouldn't", 'rarely', 'seldom', 'despite',
]);

/** Booster (intensifier) and dampener words and their scalar. */
// prettier-ignore
const BOOSTER_DICT = new Map<string, number>([
  ...[
    'absolutely', 'amazingly', 'awfully', 'completely', 'considerable', 'considerably', 'decidedly', 'deeply',
    'effing', 'enormous', 'enormously', 'entirely', 'especially', 'exceptional', 'exceptionally', 'extreme',
    'extremely', 'fabulously', 'flipping', 'flippin', 'frackin', 'fracking', 'fricking', 'frickin', 'frigging',
    'friggin', 'fully', 'fuckin', 'fucking', 'fuggin', 'fugging', 'greatly', 'hella', 'highly', 'hugely',
    'incredible', 'incredibly', 'intensely', 'major', 'majorly', 'more', 'most', 'particularly', 'purely', 'quite',
    'really', 'remarkably', 'so', 'substantially', 'thoroughly', 'total', 'totally', 'tremendous', 'tremendously',
    'uber', 'unbelievably', 'unusually', 'utter', 'utterly', 'very',
  ].map((word): [string, number] => [word, B_INCR]),
  ...[
    'almost', 'barely', 'hardly', 'just enough', 'kind of', 'kinda', 'kindof', 'kind-of', 'less', 'little',
    'marginal', 'marginally', 'occasional', 'occasionally', 'partly', 'scarce', 'scarcely', 'slight', 'slightly',
    'somewhat', 'sort of', 'sorta', 'sortof', 'sort-of',
  ].map((word): [string, number] => [word, B_DECR]),
]);

const BOOSTER_FILTER = new WordFilter(BOOSTER_DICT.keys(), 12);

/** Special-case idioms and phrases containing lexicon words. */
const SPECIAL_CASES = new Map<string, number>([
  ['the shit', 3],
  ['the bomb', 3],
  ['bad ass', 1.5],
  ['badass', 1.5],
  ['bus stop', 0.0],
  ['yeah right', -2],
  ['kiss of death', -1.5],
  ['to die for', 3],
  ['beating heart', 3.1],
  ['broken heart', -2.9],
]);

/**
 * The n-grams (2 or 3 words) the idiom check looks up, found by numbers instead of joined strings: every word of a
 * multi-word SPECIAL_CASES or BOOSTER_DICT key has an id from 1 (TokenInfo.phraseWord; 0 for any other word, which
 * no n-gram key holds), and an n-gram's key is its ids as digits in base PHRASE_KEY_BASE. Ids start at 1, so a
 * 2-gram's key (< BASE²) never equals a 3-gram's (>= BASE²); words hold no spaces, so an n-gram matches a key
 * exactly when its joined string would.
 */
const MULTI_WORD_KEYS = [...SPECIAL_CASES.keys(), ...BOOSTER_DICT.keys()].filter((key) => key.includes(' '));
const PHRASE_WORD_IDS = new Map(
  [...new Set(MULTI_WORD_KEYS.flatMap((key) => key.split(' ')))].map((w, k) => [w, k + 1]),
);
const PHRASE_KEY_BASE = 32;
if (PHRASE_WORD_IDS.size >= PHRASE_KEY_BASE) throw new Error('vader: too many phrase words for PHRASE_KEY_BASE');

/** The key of a phrase written with spaces, as phraseKey computes it for the same words as tokens. */
function keyOfPhrase(phrase: string): number {
  return phrase.split(' ').reduce((key, word) => key * PHRASE_KEY_BASE + (PHRASE_WORD_IDS.get(word) as number), 0);
}

/** The multi-word entries of a phrase table, by key. */
function byPhraseKey(table: ReadonlyMap<string, number>): Map<number, number> {
  const keyed = new Map<number, number>();
  for (const [phrase, value] of table) if (phrase.includes(' ')) keyed.set(keyOfPhrase(phrase), value);
  return keyed;
}

const SPECIAL_CASE_KEYS = byPhraseKey(SPECIAL_CASES);
const BOOSTER_PHRASE_KEYS = byPhraseKey(BOOSTER_DICT);

/**
 * The words the rules look for next to a sentiment word, as small ids (TokenInfo.rule; 0: none of these), so the
 * rules compare numbers instead of strings.
 */
const NO = 1;
const NEVER = 2;
const SO = 3;
const THIS = 4;
const WITHOUT = 5;
const DOUBT = 6;
const LEAST = 7;
const AT = 8;
const VERY = 9;
const OR = 10;
const NOR = 11;
const KIND = 12;
const OF = 13;
const BUT = 14;
// prettier-ignore
const RULE_WORDS = new Map<string, number>([
  ['no', NO], ['never', NEVER], ['so', SO], ['this', THIS], ['without', WITHOUT], ['doubt', DOUBT],
  ['least', LEAST], ['at', AT], ['very', VERY], ['or', OR], ['nor', NOR], ['kind', KIND], ['of', OF], ['but', BUT],
]);

/**
 * Python's `str.split()` separators (Unicode whitespace per Py_UNICODE_ISSPACE), in two halves: the tokenizer
 * tests the ASCII one on most characters and the other only on the rare character at or above 0x80.
 */
function isAsciiSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
}

function isNonAsciiSpace(code: number): boolean {
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** ASCII punctuation, Python's `string.punctuation`. */
function isAsciiPunctuation(code: number): boolean {
  return (
    (code >= 0x21 && code <= 0x2f) ||
    (code >= 0x3a && code <= 0x40) ||
    (code >= 0x5b && code <= 0x60) ||
    (code >= 0x7b && code <= 0x7e)
  );
}

/** Python's `str.isupper()`: at least one cased character and no lower-case or title-case one. */
function isUpper(word: string): boolean {
  let cased = false;
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code < 0x80) {
      if (code >= 0x61 && code <= 0x7a) return false;
      if (code >= 0x41 && code <= 0x5a) cased = true;
      continue;
    }
    const ch = word[i];
    if (ch.toUpperCase() !== ch) return false; // lower or title case
    if (ch.toLowerCase() !== ch) cased = true;
  }
  return cased;
}

/** Number of code points (Python's `len`) of a string. */
function codePointLength(s: string): number {
  let length = s.length;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 0xdc00 && code <= 0xdfff && i > 0) {
      const prev = s.charCodeAt(i - 1);
      if (prev >= 0xd800 && prev <= 0xdbff) length--;
    }
  }
  return length;
}

/** SentiText._strip_punc_if_word: strip ASCII punctuation at both ends unless that leaves 2 characters or fewer. */
function stripPunctuationIfWord(token: string): string {
  let start = 0;
  let end = token.length;
  while (start < end && isAsciiPunctuation(token.charCodeAt(start))) start++;
  while (end > start && isAsciiPunctuation(token.charCodeAt(end - 1))) end--;
  if (start === 0 && end === token.length) return token;
  const stripped = token.slice(start, end);
  return codePointLength(stripped) <= 2 ? token : stripped;
}

/**
 * Replaces each emoji code point by its description, exactly as the reference's polarity_scores preamble does.
 * `first` is where the first emoji with a description is (the text before it is copied as it is).
 */
function replaceEmoji(text: string, first: number): string {
  let out = text.slice(0, first);
  // Text between emoji is copied in one slice; runStart is where the pending run begins.
  let runStart = first;
  let prevSpace = first === 0 || text.charCodeAt(first - 1) === 0x20;
  let i = first;
  while (i < text.length) {
    const codePoint = text.codePointAt(i) as number;
    const width = codePoint > 0xffff ? 2 : 1;
    const description = codePoint >= MIN_EMOJI ? EMOJI_DESCRIPTIONS.get(codePoint) : undefined;
    if (description !== undefined) {
      if (runStart < i) {
        out += text.slice(runStart, i);
        prevSpace = text.charCodeAt(i - 1) === 0x20;
      }
      if (!prevSpace) out += ' ';
      out += description;
      prevSpace = false;
      runStart = i + width;
    }
    i += width;
  }
  return runStart < text.length ? out + text.slice(runStart) : out;
}

/**
 * What scoring needs to know about one whitespace-separated token, worked out once per distinct token. A class,
 * not an object literal: a literal's allocation site is tracked by V8, and when the garbage collector decides
 * its objects live long (these are cached) it recompiles every optimized function that inlines the allocation,
 * the tokenizer included.
 */
class TokenInfo {
  /** What another scanner derived from the same token (see whitespaceTokensOf), kept with it. */
  derived: unknown = undefined;

  constructor(
    /** The token after `_strip_punc_if_word`, lower-cased. */
    readonly lower: string,
    /** Lexicon valence of `lower`, or undefined. */
    readonly valence: number | undefined,
    /** The scalar of `lower` as a booster (B_INCR) or dampener (B_DECR); 0 when it is neither. */
    readonly boost: number,
    /** Python's isupper() of the stripped token. */
    readonly upper: boolean,
    /** Whether `lower` is a negation (`negated` in the reference). */
    readonly negation: boolean,
    /** The id of `lower` among the words of multi-word special cases and boosters (PHRASE_WORD_IDS), else 0. */
    readonly phraseWord: number,
    /** The id of `lower` among RULE_WORDS, 0 when it is none of them. */
    readonly rule: number,
  ) {}
}

/**
 * The last text tokenized as it is (no emoji to replace), with its tokens and their offsets: the cue scanner, which
 * reads the same text next, takes its words from these tokens instead of scanning the text again.
 */
let lastText: string | null = null;
/**
 * Scratch arrays of the last tokenize call, reused from call to call (scoring is synchronous): only the first
 * `tokenCount` entries are this text's. Writing by index into kept arrays allocates nothing per text.
 */
const lastTokens: TokenInfo[] = [];
const lastStarts: number[] = [];
const lastEnds: number[] = [];
let tokenCount = 0;

/**
 * What the last scan found besides its tokens (module scratch: scoring is synchronous, calls never interleave).
 * When a scan stops at an emoji, the counts are those before the token holding it, where the scan of the
 * replaced text resumes.
 */
const scan = {
  exclamations: 0,
  questions: 0,
  /** Tokens in all caps (isupper), for the caps-differential rule. */
  upperCount: 0,
  /** Index of the first "but" token, -1 when there is none. */
  firstBut: -1,
  /** Whether the text is all ASCII (no code unit above 0x7f). */
  ascii: false,
  /** Where the scan stopped: the first emoji with a description, and the start of the token holding it. */
  emojiAt: -1,
  resumeAt: 0,
};

/**
 * A text's whitespace-separated tokens, with their offsets, as the last VADER scoring of that text read them. The
 * arrays are shared scratch: only the first `count` entries belong to the text, until the next scoring.
 */
export interface WhitespaceTokens {
  count: number;
  tokens: readonly { derived: unknown }[];
  starts: readonly number[];
  ends: readonly number[];
  /** Whether the text is all ASCII, and how many '?' it holds (read in the same pass). */
  ascii: boolean;
  questions: number;
}

/**
 * The tokens of `text` if the last polarityScores call read exactly this text (else null). Each token's `derived`
 * slot is free for the caller to fill with what it works out from the token's characters: it is shared by every
 * occurrence of the same token, so it must depend on those characters only.
 */
export function whitespaceTokensOf(text: string): WhitespaceTokens | null {
  if (lastText === null || lastText !== text) return null;
  return {
    count: tokenCount,
    tokens: lastTokens,
    starts: lastStarts,
    ends: lastEnds,
    ascii: scan.ascii,
    questions: scan.questions,
  };
}

/** Tokens seen so far (as written, punctuation included) and what scoring needs of them. */
const TOKENS = new PooledTokenTable<TokenInfo>(17, 50_000, 1 << 20);

function tokenInfo(token: string): TokenInfo {
  const word = stripPunctuationIfWord(token);
  const lower = word.toLowerCase();
  // One hash serves both filters.
  const hash = hashWord(lower);
  return new TokenInfo(
    lower,
    LEXICON_FILTER.mightContainHash(hash) ? LEXICON.get(lower) : undefined,
    (BOOSTER_FILTER.mightContainHash(hash) && BOOSTER_DICT.get(lower)) || 0,
    isUpper(word),
    isNegation(lower),
    PHRASE_WORD_IDS.get(lower) ?? 0,
    RULE_WORDS.get(lower) ?? 0,
  );
}

/** How many times `code` occurs in text[from, to). */
function occurrences(text: string, code: number, from: number, to: number): number {
  let found = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === code) found++;
  return found;
}

/**
 * Python's `str.split()` followed by `_strip_punc_if_word` on each token, from offset `from` (a token start) with
 * `count` tokens and the counts in `scan` already read, counting '!', '?' and all-caps tokens on the way (the same
 * pass, so the text is read once); each token is hashed as it is read and found in TOKENS. With `stopAtEmoji`,
 * returns -1 at the first emoji with a description (its text must be replaced first), leaving in `scan` where it
 * is and where its token starts. Fills the scratch arrays (lastTokens, lastStarts, lastEnds) and returns the
 * number of tokens.
 */
function scanTokens(text: string, from: number, count: number, stopAtEmoji: boolean): number {
  const tokens = lastTokens;
  const starts = lastStarts;
  const ends = lastEnds;
  const length = text.length;
  let { exclamations, questions, upperCount, firstBut } = scan;
  let ascii = true;
  let i = from;
  while (i < length) {
    let code = text.charCodeAt(i);
    if (code < 0x80 ? isAsciiSpace(code) : isNonAsciiSpace(code)) {
      if (code >= 0x80) ascii = false;
      i++;
      continue;
    }
    // A token: read to the next space (most of its characters take the first branch and one comparison in it).
    const start = i;
    let hash = HASH_SEED;
    for (;;) {
      if (code < 0x80) {
        if (code <= 0x20) {
          if (isAsciiSpace(code)) break;
        } else if (code === 0x21) exclamations++;
        else if (code === 0x3f) questions++;
      } else {
        ascii = false;
        if (isNonAsciiSpace(code)) break;
        if (stopAtEmoji && code >= MIN_EMOJI && EMOJI_DESCRIPTIONS.has(text.codePointAt(i) as number)) {
          scan.exclamations = exclamations - occurrences(text, 0x21, start, i);
          scan.questions = questions - occurrences(text, 0x3f, start, i);
          scan.upperCount = upperCount;
          scan.firstBut = firstBut;
          scan.emojiAt = i;
          scan.resumeAt = start;
          tokenCount = count;
          return -1;
        }
      }
      hash = hashStep(hash, code);
      if (++i === length) break;
      code = text.charCodeAt(i);
    }
    hash = finishHash(hash);
    let info = TOKENS.get(text, start, i, hash);
    if (info === undefined) {
      info = tokenInfo(text.slice(start, i));
      TOKENS.set(text, start, i, hash, info);
    }
    tokens[count] = info;
    starts[count] = start;
    ends[count] = i;
    if (info.upper) upperCount++;
    if (firstBut < 0 && info.rule === BUT) firstBut = count;
    count++;
  }
  scan.exclamations = exclamations;
  scan.questions = questions;
  scan.upperCount = upperCount;
  scan.firstBut = firstBut;
  scan.ascii = ascii;
  tokenCount = count;
  return count;
}

/**
 * Tokenizes `text` as the reference does after replacing its emoji by their descriptions: emoji-free text (most
 * of it) is read as it is, in one pass, and kept for whitespaceTokensOf. Returns the number of tokens.
 */
function tokenize(text: string): number {
  lastText = null;
  scan.exclamations = 0;
  scan.questions = 0;
  scan.upperCount = 0;
  scan.firstBut = -1;
  TOKENS.reserve(text.length);
  const count = scanTokens(text, 0, 0, true);
  if (count >= 0) {
    lastText = text;
    return count;
  }
  // The replaced text reads the same up to the emoji's token: only the rest is scanned (its offsets are those of
  // another string, so it is not kept for whitespaceTokensOf).
  const replaced = replaceEmoji(text, scan.emojiAt);
  TOKENS.reserve(replaced.length - scan.resumeAt);
  return scanTokens(replaced, scan.resumeAt, tokenCount, false);
}

function isNegation(wordLower: string): boolean {
  return NEGATE.has(wordLower) || wordLower.includes("n't");
}

function scalarIncDec(word: TokenInfo, valence: number, isCapDiff: boolean): number {
  let scalar = valence < 0 ? -word.boost : word.boost;
  if (isCapDiff && word.upper) scalar += valence > 0 ? C_INCR : -C_INCR;
  return scalar;
}

function negationCheck(valence: number, infos: TokenInfo[], startI: number, i: number): number {
  if (startI === 0) {
    if (infos[i - 1].negation) return valence * N_SCALAR;
  } else if (startI === 1) {
    const before = infos[i - 1].rule;
    if (infos[i - 2].rule === NEVER && (before === SO || before === THIS)) return valence * 1.25;
    if (infos[i - 2].rule === WITHOUT && before === DOUBT) return valence;
    if (infos[i - 2].negation) return valence * N_SCALAR;
  } else {
    const before = infos[i - 1].rule;
    const twoBefore = infos[i - 2].rule;
    const threeBefore = infos[i - 3].rule;
    if ((threeBefore === NEVER && (twoBefore === SO || twoBefore === THIS)) || before === SO || before === THIS) {
      return valence * 1.25;
    }
    if (threeBefore === WITHOUT && (twoBefore === DOUBT || before === DOUBT)) return valence;
    if (infos[i - 3].negation) return valence * N_SCALAR;
  }
  return valence;
}

/** The key (see PHRASE_KEY_BASE) of the n-gram of the tokens from..to, or 0 when one is in no multi-word key. */
function phraseKey(infos: TokenInfo[], from: number, to: number): number {
  let key = 0;
  for (let k = from; k <= to; k++) {
    const id = infos[k].phraseWord;
    if (id === 0) return 0;
    key = key * PHRASE_KEY_BASE + id;
  }
  return key;
}

/** The SPECIAL_CASES valence of an n-gram key, or undefined. */
function specialCase(key: number): number | undefined {
  return key === 0 ? undefined : SPECIAL_CASE_KEYS.get(key);
}

/** The BOOSTER_DICT scalar of an n-gram key, 0 when it is none (adding 0 leaves a valence as it is). */
function boosterPhrase(key: number): number {
  return key === 0 ? 0 : (BOOSTER_PHRASE_KEYS.get(key) ?? 0);
}

/** `_special_idioms_check` (only reached with i > 2); `n` is the number of tokens. */
function specialIdiomsCheck(valence: number, infos: TokenInfo[], n: number, i: number): number {
  // Every n-gram below holds token i, i - 1 or i - 2: with none of them a phrase word, none can match.
  if (infos[i].phraseWord === 0 && infos[i - 1].phraseWord === 0 && infos[i - 2].phraseWord === 0) return valence;
  const twoOne = phraseKey(infos, i - 2, i - 1);
  const threeTwoOne = phraseKey(infos, i - 3, i - 1);
  const threeTwo = phraseKey(infos, i - 3, i - 2);
  // The first of these n-grams that is a special case sets the valence.
  const special =
    specialCase(phraseKey(infos, i - 1, i)) ??
    specialCase(phraseKey(infos, i - 2, i)) ??
    specialCase(twoOne) ??
    specialCase(threeTwoOne) ??
    specialCase(threeTwo);
  if (special !== undefined) valence = special;
  if (n - 1 > i) {
    const zeroOne = specialCase(phraseKey(infos, i, i + 1));
    if (zeroOne !== undefined) valence = zeroOne;
  }
  if (n - 1 > i + 1) {
    const zeroOneTwo = specialCase(phraseKey(infos, i, i + 2));
    if (zeroOneTwo !== undefined) valence = zeroOneTwo;
  }
  valence += boosterPhrase(threeTwoOne);
  valence += boosterPhrase(threeTwo);
  valence += boosterPhrase(twoOne);
  return valence;
}

function leastCheck(valence: number, infos: TokenInfo[], i: number): number {
  if (i > 0 && infos[i - 1].rule === LEAST && !LEAST_IN_LEXICON) {
    if (i > 1) {
      const before = infos[i - 2].rule;
      if (before !== AT && before !== VERY) return valence * N_SCALAR;
    } else {
      return valence * N_SCALAR;
    }
  }
  return valence;
}

/** `sentiment_valence` of token i, a lexicon word, among the n tokens of the text. */
function sentimentValence(infos: TokenInfo[], n: number, i: number, isCapDiff: boolean): number {
  const word = infos[i];
  const lexiconValence = word.valence as number;
  let valence = lexiconValence;
  // "no" right before another lexicon word negates it instead of counting itself.
  if (word.rule === NO && i !== n - 1 && infos[i + 1].valence !== undefined) valence = 0;
  if (
    (i > 0 && infos[i - 1].rule === NO) ||
    (i > 1 && infos[i - 2].rule === NO) ||
    (i > 2 && infos[i - 3].rule === NO && (infos[i - 1].rule === OR || infos[i - 1].rule === NOR))
  ) {
    valence = lexiconValence * N_SCALAR;
  }
  if (isCapDiff && word.upper) valence += valence > 0 ? C_INCR : -C_INCR;

  for (let startI = 0; startI < 3; startI++) {
    const j = i - (startI + 1);
    if (i > startI && infos[j].valence === undefined) {
      // Only a booster or dampener scales (most words are neither).
      let s = infos[j].boost !== 0 ? scalarIncDec(infos[j], valence, isCapDiff) : 0;
      if (startI === 1 && s !== 0) s *= 0.95;
      if (startI === 2 && s !== 0) s *= 0.9;
      valence += s;
      valence = negationCheck(valence, infos, startI, i);
      if (startI === 2) valence = specialIdiomsCheck(valence, infos, n, i);
    }
  }
  return leastCheck(valence, infos, i);
}

/**
 * The text's non-zero sentiments, in token order, and the index of each one's token: the reference's list of
 * sentiments holds a 0 for every other token, and zeros change none of its sums nor any rescaling (a zero rescaled
 * is still zero, and a non-zero sentiment is never equal to one), so only the count of those is kept. Scratch,
 * reused from text to text and grown as needed.
 */
let sentimentValues = new Float64Array(64);
let sentimentTokens = new Int32Array(64);

/**
 * `_but_check` on the non-zero sentiments, including its quirk: each step rescales the FIRST sentiment equal to
 * the current one (Python's list.index), before "but" by half, after it by one and a half.
 */
function butCheck(firstBut: number, count: number): void {
  const values = sentimentValues;
  for (let k = 0; k < count; k++) {
    const sentiment = values[k];
    let first = 0;
    while (values[first] !== sentiment) first++;
    const at = sentimentTokens[first];
    if (at < firstBut) values[first] = sentiment * 0.5;
    else if (at > firstBut) values[first] = sentiment * 1.5;
  }
}

/** Python's round(x, digits): round half to even on the exact binary value. */
function pythonRound(x: number, digits: number): number {
  const scale = digits === 3 ? 1000 : 10000;
  const scaled = x * scale;
  const floor = Math.floor(scaled);
  const fraction = scaled - floor;
  // Far from a half, the product's rounding error can't change the answer.
  if (Math.abs(fraction - 0.5) > 1e-6) return (fraction < 0.5 ? floor : floor + 1) / scale;
  // Near a half: an exact tie only when x * 2^(digits+1) is an odd integer; otherwise let toFixed decide exactly.
  const doubled = x * 2 ** (digits + 1);
  if (Number.isInteger(doubled) && Math.abs(doubled) % 2 === 1) {
    return (floor % 2 === 0 ? floor : floor + 1) / scale;
  }
  return Number(x.toFixed(digits));
}

/** `_punctuation_emphasis`, from the counts of '!' and '?' in the text. */
function punctuationEmphasis(exclamationCount: number, questions: number): number {
  const exclamations = Math.min(exclamationCount, 4);
  const questionAmplifier = questions > 1 ? (questions <= 3 ? questions * 0.18 : 0.96) : 0;
  return exclamations * 0.292 + questionAmplifier;
}

/** `score_valence` of `count` non-zero sentiments (sentimentValues) and `neutral` zeros. */
function scoreValence(count: number, neutral: number, exclamations: number, questions: number): Sentiment {
  if (count + neutral === 0) return { neg: 0, neu: 0, pos: 0, compound: 0 };
  const values = sentimentValues;
  let sum = 0;
  let posSum = 0;
  let negSum = 0;
  for (let k = 0; k < count; k++) {
    const s = values[k];
    sum += s;
    if (s > 0) posSum += s + 1;
    else negSum += s - 1;
  }
  const amplifier = punctuationEmphasis(exclamations, questions);
  if (sum > 0) sum += amplifier;
  else if (sum < 0) sum -= amplifier;
  const compound = Math.max(-1, Math.min(1, sum / Math.sqrt(sum * sum + 15)));

  if (posSum > Math.abs(negSum)) posSum += amplifier;
  else if (posSum < Math.abs(negSum)) negSum -= amplifier;
  const total = posSum + Math.abs(negSum) + neutral;
  return {
    neg: pythonRound(Math.abs(negSum / total), 3),
    neu: pythonRound(Math.abs(neutral / total), 3),
    pos: pythonRound(Math.abs(posSum / total), 3),
    compound: pythonRound(compound, 4),
  };
}

/** VADER polarity scores, identical to Python vaderSentiment 3.3.x `polarity_scores(text)`. */
export function polarityScores(text: string): Sentiment {
  // Python strips the text and replaces emoji first; the split ignores outer whitespace anyway.
  const n = tokenize(text);
  if (sentimentValues.length < n) {
    sentimentValues = new Float64Array(2 * n);
    sentimentTokens = new Int32Array(2 * n);
  }
  const infos = lastTokens;
  // ALL-CAPS emphasis only counts when some, but not all, tokens are all caps.
  const isCapDiff = scan.upperCount > 0 && scan.upperCount < n;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const word = infos[i];
    // Words in no lexicon, boosters and the "kind" of "kind of" have sentiment 0.
    if (word.valence === undefined || word.boost !== 0) continue;
    if (word.rule === KIND && i < n - 1 && infos[i + 1].rule === OF) continue;
    const sentiment = sentimentValence(infos, n, i, isCapDiff);
    if (sentiment !== 0) {
      sentimentValues[count] = sentiment;
      sentimentTokens[count] = i;
      count++;
    }
  }
  if (scan.firstBut >= 0) butCheck(scan.firstBut, count);
  return scoreValence(count, n - count, scan.exclamations, scan.questions);
}

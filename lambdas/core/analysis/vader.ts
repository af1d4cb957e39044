/**
 * A faithful TypeScript port of Python vaderSentiment 3.3.x `SentimentIntensityAnalyzer.polarity_scores`
 * (Hutto & Gilbert, ICWSM 2014): same tokenization, rules, quirks and rounding, so scores match the Python
 * reference exactly. It reproduces behaviour, not intent: e.g. the "but" rule rescales the first sentiment equal in
 * value (as Python's list.index does), emoji are replaced one code point at a time, and the sentiment-laden idioms
 * table is never consulted (the reference never calls that check).
 */
import type { Sentiment } from './types';
import { MIN_EMOJI_CODE_POINT, VADER_EMOJI_DESCRIPTIONS, VADER_LEXICON } from './vader-lexicon';
import { finishHash, HASH_SEED, hashStep, TokenTable } from './token-table';
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

/** Every word of a multi-word SPECIAL_CASES or BOOSTER_DICT key: n-grams of other words can't match, skip them. */
const PHRASE_WORDS = new Set(
  [...SPECIAL_CASES.keys(), ...BOOSTER_DICT.keys()].filter((key) => key.includes(' ')).flatMap((key) => key.split(' ')),
);

/** Python's `str.split()` separators (Unicode whitespace per Py_UNICODE_ISSPACE). */
function isPythonSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
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

/** Replaces each emoji code point by its description, exactly as the reference's polarity_scores preamble does. */
function replaceEmoji(text: string): string {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) < MIN_EMOJI) i++;
  if (i === text.length) return text;
  let out = '';
  // Text between emoji is copied in one slice; runStart is where the pending run begins.
  let runStart = 0;
  let prevSpace = i === 0 || text.charCodeAt(i - 1) === 0x20;
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
  if (runStart === 0) return text;
  return runStart < text.length ? out + text.slice(runStart) : out;
}

/** '!' and '?' seen by the last tokenize call (module scratch: scoring is synchronous, calls never interleave). */
const punctuation = { exclamations: 0, questions: 0 };

/** What scoring needs to know about one whitespace-separated token, worked out once per distinct token. */
interface TokenInfo {
  /** The token after `_strip_punc_if_word`, lower-cased. */
  lower: string;
  /** Lexicon valence of `lower`, or undefined. */
  valence: number | undefined;
  /** Whether `lower` is a booster or dampener. */
  booster: boolean;
  /** Python's isupper() of the stripped token. */
  upper: boolean;
  /** Whether `lower` is a negation (`negated` in the reference). */
  negation: boolean;
  /** Whether `lower` is a word of a multi-word special case or booster (else no n-gram with it can match). */
  phraseWord: boolean;
  /** What another scanner derived from the same token (see whitespaceTokensOf), kept with it. */
  derived: unknown;
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
/** Whether the last text read as it is was all ASCII (no code unit above 0x7f). */
let lastAscii = false;

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
    ascii: lastAscii,
    questions: punctuation.questions,
  };
}

/** Tokens seen so far (as written, punctuation included) and what scoring needs of them. */
const TOKENS = new TokenTable<TokenInfo>(17, 50_000);

function tokenInfo(token: string): TokenInfo {
  const word = stripPunctuationIfWord(token);
  const lower = word.toLowerCase();
  // One hash serves both filters.
  const hash = hashWord(lower);
  return {
    lower,
    valence: LEXICON_FILTER.mightContainHash(hash) ? LEXICON.get(lower) : undefined,
    booster: BOOSTER_FILTER.mightContainHash(hash) && BOOSTER_DICT.has(lower),
    upper: isUpper(word),
    negation: isNegation(lower),
    phraseWord: PHRASE_WORDS.has(lower),
    derived: undefined,
  };
}

/**
 * Python's `str.split()` followed by `_strip_punc_if_word` on each token, counting '!' and '?' on the way (the
 * same pass, so the text is read once); each token is hashed as it is read and found in TOKENS. With
 * `stopAtEmoji`, returns null at the first code unit that may start an emoji: such text must have its emoji
 * replaced first. Fills the scratch arrays (lastTokens, lastStarts, lastEnds) and returns the number of tokens, or
 * -1 when it stopped at an emoji.
 */
function tokenize(text: string, stopAtEmoji: boolean): number {
  const tokens = lastTokens;
  const starts = lastStarts;
  const ends = lastEnds;
  let count = 0;
  lastText = null;
  let exclamations = 0;
  let questions = 0;
  let start = -1;
  let hash = HASH_SEED;
  // OR of every code unit: below 0x80 when the text is all ASCII.
  let bits = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i === text.length ? 0x20 : text.charCodeAt(i);
    bits |= code;
    if (code === 0x21) exclamations++;
    else if (code === 0x3f) questions++;
    else if (code >= MIN_EMOJI && stopAtEmoji) return -1;
    if (isPythonSpace(code)) {
      if (start >= 0) {
        hash = finishHash(hash);
        let info = TOKENS.get(text, start, i, hash);
        if (info === undefined) {
          const token = text.slice(start, i);
          info = tokenInfo(token);
          TOKENS.set(token, hash, info);
        }
        tokens[count] = info;
        starts[count] = start;
        ends[count] = i;
        count++;
        start = -1;
      }
    } else {
      if (start < 0) {
        start = i;
        hash = HASH_SEED;
      }
      hash = hashStep(hash, code);
    }
  }
  punctuation.exclamations = exclamations;
  punctuation.questions = questions;
  tokenCount = count;
  // Only text read as it is: after emoji replacement the offsets are those of another string.
  if (stopAtEmoji) lastText = text;
  lastAscii = bits < 0x80;
  return count;
}

function isNegation(wordLower: string): boolean {
  return NEGATE.has(wordLower) || wordLower.includes("n't");
}

function scalarIncDec(wordLower: string, wordIsUpper: boolean, valence: number, isCapDiff: boolean): number {
  const booster = BOOSTER_DICT.get(wordLower);
  if (booster === undefined) return 0;
  let scalar = valence < 0 ? -booster : booster;
  if (isCapDiff && wordIsUpper) scalar += valence > 0 ? C_INCR : -C_INCR;
  return scalar;
}

function negationCheck(valence: number, tokens: Tokens, startI: number, i: number): number {
  const { lower, infos } = tokens;
  if (startI === 0) {
    if (infos[i - 1].negation) return valence * N_SCALAR;
  } else if (startI === 1) {
    if (lower[i - 2] === 'never' && (lower[i - 1] === 'so' || lower[i - 1] === 'this')) return valence * 1.25;
    if (lower[i - 2] === 'without' && lower[i - 1] === 'doubt') return valence;
    if (infos[i - 2].negation) return valence * N_SCALAR;
  } else {
    if (
      (lower[i - 3] === 'never' && (lower[i - 2] === 'so' || lower[i - 2] === 'this')) ||
      lower[i - 1] === 'so' ||
      lower[i - 1] === 'this'
    ) {
      return valence * 1.25;
    }
    if (lower[i - 3] === 'without' && (lower[i - 2] === 'doubt' || lower[i - 1] === 'doubt')) return valence;
    if (infos[i - 3].negation) return valence * N_SCALAR;
  }
  return valence;
}

/** The space-joined n-gram of the tokens from..to, or null when a word can't be part of any known phrase. */
function phrase({ lower, infos }: Tokens, from: number, to: number): string | null {
  for (let k = from; k <= to; k++) if (!infos[k].phraseWord) return null;
  return lower.slice(from, to + 1).join(' ');
}

/** `_special_idioms_check` (only reached with i > 2). */
function specialIdiomsCheck(valence: number, tokens: Tokens, i: number): number {
  const { lower, infos } = tokens;
  // Every n-gram below holds token i, i - 1 or i - 2: with none of them a phrase word, none can match.
  if (!infos[i].phraseWord && !infos[i - 1].phraseWord && !infos[i - 2].phraseWord) return valence;
  const twoOne = phrase(tokens, i - 2, i - 1);
  const threeTwoOne = phrase(tokens, i - 3, i - 1);
  const threeTwo = phrase(tokens, i - 3, i - 2);
  const sequences = [phrase(tokens, i - 1, i), phrase(tokens, i - 2, i), twoOne, threeTwoOne, threeTwo];
  for (const seq of sequences) {
    const special = seq === null ? undefined : SPECIAL_CASES.get(seq);
    if (special !== undefined) {
      valence = special;
      break;
    }
  }
  if (lower.length - 1 > i) {
    const zeroOne = phrase(tokens, i, i + 1);
    const special = zeroOne === null ? undefined : SPECIAL_CASES.get(zeroOne);
    if (special !== undefined) valence = special;
  }
  if (lower.length - 1 > i + 1) {
    const zeroOneTwo = phrase(tokens, i, i + 2);
    const special = zeroOneTwo === null ? undefined : SPECIAL_CASES.get(zeroOneTwo);
    if (special !== undefined) valence = special;
  }
  for (const nGram of [threeTwoOne, threeTwo, twoOne]) {
    const booster = nGram === null ? undefined : BOOSTER_DICT.get(nGram);
    if (booster !== undefined) valence += booster;
  }
  return valence;
}

function leastCheck(valence: number, lower: string[], i: number): number {
  if (i > 0 && lower[i - 1] === 'least' && !LEAST_IN_LEXICON) {
    if (i > 1) {
      if (lower[i - 2] !== 'at' && lower[i - 2] !== 'very') return valence * N_SCALAR;
    } else {
      return valence * N_SCALAR;
    }
  }
  return valence;
}

/** Per-text token data: the tokens' lower-case forms, and what the token table knows of each token. */
interface Tokens {
  lower: string[];
  infos: TokenInfo[];
  isCapDiff: boolean;
}

function sentimentValence(tokens: Tokens, i: number): number {
  const { lower, infos, isCapDiff } = tokens;
  const lexiconValence = infos[i].valence;
  if (lexiconValence === undefined) return 0;
  let valence = lexiconValence;
  const n = lower.length;
  // "no" right before another lexicon word negates it instead of counting itself.
  if (lower[i] === 'no' && i !== n - 1 && infos[i + 1].valence !== undefined) valence = 0;
  if (
    (i > 0 && lower[i - 1] === 'no') ||
    (i > 1 && lower[i - 2] === 'no') ||
    (i > 2 && lower[i - 3] === 'no' && (lower[i - 1] === 'or' || lower[i - 1] === 'nor'))
  ) {
    valence = lexiconValence * N_SCALAR;
  }
  if (isCapDiff && infos[i].upper) valence += valence > 0 ? C_INCR : -C_INCR;

  for (let startI = 0; startI < 3; startI++) {
    const j = i - (startI + 1);
    if (i > startI && infos[j].valence === undefined) {
      // Only a booster or dampener scales (most words are neither: no dictionary lookup for them).
      let s = infos[j].booster ? scalarIncDec(lower[j], infos[j].upper, valence, isCapDiff) : 0;
      if (startI === 1 && s !== 0) s *= 0.95;
      if (startI === 2 && s !== 0) s *= 0.9;
      valence += s;
      valence = negationCheck(valence, tokens, startI, i);
      if (startI === 2) valence = specialIdiomsCheck(valence, tokens, i);
    }
  }
  return leastCheck(valence, lower, i);
}

/** `_but_check`, including its quirk: each step rescales the FIRST sentiment equal to the current one. */
function butCheck(lower: string[], sentiments: number[]): void {
  const bi = lower.indexOf('but');
  if (bi < 0) return;
  for (let k = 0; k < sentiments.length; k++) {
    const sentiment = sentiments[k];
    const si = sentiments.indexOf(sentiment);
    if (si < bi) sentiments[si] = sentiment * 0.5;
    else if (si > bi) sentiments[si] = sentiment * 1.5;
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

function scoreValence(sentiments: number[], exclamations: number, questions: number): Sentiment {
  if (sentiments.length === 0) return { neg: 0, neu: 0, pos: 0, compound: 0 };
  let sum = 0;
  let posSum = 0;
  let negSum = 0;
  let neuCount = 0;
  for (const s of sentiments) {
    sum += s;
    if (s > 0) posSum += s + 1;
    else if (s < 0) negSum += s - 1;
    else neuCount++;
  }
  const amplifier = punctuationEmphasis(exclamations, questions);
  if (sum > 0) sum += amplifier;
  else if (sum < 0) sum -= amplifier;
  const compound = Math.max(-1, Math.min(1, sum / Math.sqrt(sum * sum + 15)));

  if (posSum > Math.abs(negSum)) posSum += amplifier;
  else if (posSum < Math.abs(negSum)) negSum -= amplifier;
  const total = posSum + Math.abs(negSum) + neuCount;
  return {
    neg: pythonRound(Math.abs(negSum / total), 3),
    neu: pythonRound(Math.abs(neuCount / total), 3),
    pos: pythonRound(Math.abs(posSum / total), 3),
    compound: pythonRound(compound, 4),
  };
}

/** VADER polarity scores, identical to Python vaderSentiment 3.3.x `polarity_scores(text)`. */
export function polarityScores(text: string): Sentiment {
  // Python strips the text and replaces emoji first; the split ignores outer whitespace anyway, and emoji-free
  // text (most of it) is tokenized as it is, in one pass.
  let n = tokenize(text, true);
  if (n < 0) n = tokenize(replaceEmoji(text), false);
  const words = lastTokens;
  const lower = new Array<string>(n);
  let allCaps = 0;
  for (let i = 0; i < n; i++) {
    const info = words[i];
    lower[i] = info.lower;
    if (info.upper) allCaps++;
  }
  // ALL-CAPS emphasis only counts when some, but not all, tokens are all caps.
  const tokens: Tokens = { lower, infos: words, isCapDiff: allCaps > 0 && allCaps < n };

  const sentiments = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const item = lower[i];
    if (words[i].booster || (item === 'kind' && i < n - 1 && lower[i + 1] === 'of')) {
      sentiments[i] = 0;
    } else {
      sentiments[i] = sentimentValence(tokens, i);
    }
  }
  butCheck(lower, sentiments);
  return scoreValence(sentiments, punctuation.exclamations, punctuation.questions);
}

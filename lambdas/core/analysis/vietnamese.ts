/**
 * Vietnamese sentiment: a lexicon-and-rules scorer shaped like VADER (same valence scale, booster units,
 * negation scalar, "but" weighting, punctuation emphasis and normalisation), for product reviews and social posts.
 *
 * Text is tokenized once into syllables. Each syllable gets two keys: a tone-canonical key (diacritics kept,
 * the tone moved to the end, so "hoà" and "hòa" agree) and a bare key (no diacritics, đ → d). A syllable written
 * with diacritics only matches lexicon syllables with the same diacritics; one written without matches by its
 * bare key, except for words whose bare form is too ambiguous (ACCENT_ONLY). Phrases are indexed by their first
 * syllable and tried longest first.
 */
import type { Sentiment } from './types';
import {
  ACCENT_ONLY,
  CONTRASTS,
  EMOJI,
  NEGATED_VALENCE,
  NEGATIONS,
  NEUTRAL,
  POST_BOOSTERS,
  PRE_BOOSTERS,
  TEENCODE,
  VALENCE,
} from './vietnamese-lexicon';
import {
  CONDITIONALS,
  FREQUENCY_OR_QUALITY,
  GENERAL_ACCENT_ONLY,
  GENERAL_NEGATED_VALENCE,
  GENERAL_VALENCE,
  IMPROVEMENTS,
  REQUESTS,
  QUESTIONS,
  RESERVATIONS,
  SPEED,
  SUMMARIES,
  TIME_QUANTITIES,
  TIME_SPENT_UNITS,
  WAITS,
} from './vietnamese-lexicon-general';
import { finishHash, HASH_SEED, hashOf, hashStep, TokenTable } from './token-table';

// VADER's constants.
const NEGATION_SCALAR = -0.74;
const ELONGATION_INCREMENT = 0.293;
const NORMALIZE_ALPHA = 15;
/** A negated negative word ("không tệ") reads as mildly positive, not as the mirror image of the word. */
const NEGATED_NEGATIVE_SCALAR = -0.35;
/** A negation with no sentiment word after it ("không có hộp", "xay không được") usually reports a failure. */
const DANGLING_NEGATION = -0.6;
/** How many syllables after a negation (or booster) the next sentiment word may start. */
const NEGATION_WINDOW = 2;
const BOOSTER_WINDOW = 2;
/**
 * Weights of the clauses before and after "nhưng". Milder than VADER's 0.5 / 1.5 "but": in Vietnamese feedback
 * "nhưng" mostly adds a caveat to a verdict already given ("máy tốt nhưng pin hơi yếu"); measured on both
 * Vietnamese development sets, the full English shift misreads those reviews as negative.
 */
const CONTRAST_BEFORE = 0.9;
const CONTRAST_AFTER = 1.1;
/** A hedge of booster value b (< 0) multiplies the word by 1 + HEDGE_FACTOR·b, at least MIN_HEDGED. */
const HEDGE_FACTOR = 2;
const MIN_HEDGED = 0.25;
/** How many syllables after a request ("mong", "nên") its improvement ("cải thiện") may start. */
const REQUEST_WINDOW = 6;
/** A request for an improvement ("mong shop cải thiện") is mild criticism. */
const REQUEST_CRITICISM = -1.1;
/** Sentiment inside a condition ("nếu pin tệ thì...") is hypothetical: this much of it counts. */
const CONDITIONAL_SCALAR = 0.3;
/** Sentiment in the clause after a summary ("nói chung", "tóm lại") is the verdict: it weighs this much more. */
const SUMMARY_SCALAR = 1.6;
/** A speed word next to a fault ("tụt nhanh", "nhanh hỏng") intensifies the fault by this much. */
const SPEED_BOOST = 0.4;
/** "hay" read as "often" before a fault ("hay bị đơ") intensifies it by this much. */
const FREQUENCY_BOOST = 0.2;
/** Waiting an hour or more ("chờ nửa tiếng", "đợi 3 ngày") is time lost. */
const WAIT_VALENCE = -1.5;
/** How many syllables after "chờ" the counted time unit may end ("xếp hàng thanh toán mất nửa tiếng"). */
const WAIT_WINDOW = 5;
/** Sentiment inside a question ("pin vậy có sao không?") is asked about, not asserted: this much of it counts. */
const QUESTION_SCALAR = 0.5;

// ---------------------------------------------------------------------------------------------------------------
// Syllable folding

/** Each row: a base vowel, then its forms with the tones huyền, hỏi, ngã, sắc, nặng (tone numbers 1..5). */
const TONE_ROWS = [
  'aàảãáạ',
  'ăằẳẵắặ',
  'âầẩẫấậ',
  'eèẻẽéẹ',
  'êềểễếệ',
  'iìỉĩíị',
  'oòỏõóọ',
  'ôồổỗốộ',
  'ơờởỡớợ',
  'uùủũúụ',
  'ưừửữứự',
  'yỳỷỹýỵ',
];
const BARE_OF_BASE: Record<string, string> = { ă: 'a', â: 'a', ê: 'e', ô: 'o', ơ: 'o', ư: 'u', đ: 'd' };

interface CharFold {
  base: string; // the letter without its tone, hats and horns kept
  bare: string; // the plain ASCII letter
  tone: number;
}
const CHAR_FOLDS = new Map<string, CharFold>();
for (const row of TONE_ROWS) {
  const base = row[0];
  for (let tone = 0; tone < row.length; tone++) {
    CHAR_FOLDS.set(row[tone], { base, bare: BARE_OF_BASE[base] ?? base, tone });
  }
}
CHAR_FOLDS.set('đ', { base: 'đ', bare: 'd', tone: 0 });

const WORD = 0;
const BREAK = 1;
/** The syllable id of a break, an emoji or a syllable no phrase uses: it equals no phrase syllable's id. */
const NOT_A_SYLLABLE = -1;
const EMOJI_TOKEN = 2;

interface Token {
  kind: number;
  /** Tone-canonical key: letters with hats and horns, tone number at the end ("được" → "đươc5"). */
  key: string;
  /** No diacritics at all ("được" → "duoc"). */
  bare: string;
  /** The ids of key and bare among the lexicon's syllables (SYLLABLE_IDS), or NOT_A_SYLLABLE. */
  keyId: number;
  bareId: number;
  /** Written with any diacritic. */
  marked: boolean;
  /** Written with a letter repeated for emphasis ("quáaaa"). */
  elongated: boolean;
  /** Emoji valence. */
  value: number;
  /** Teencode expansion ("sp" → "sản phẩm"). */
  expansion: Token[] | null;
  /**
   * The phrases that may start at this syllable (null for none), looked up on first use and kept: tokens are
   * shared by every occurrence of the syllable, and the index never changes after load.
   */
  candidates: PhraseStarts | null | undefined;
}

const BREAK_TOKEN: Token = {
  kind: BREAK,
  key: '',
  bare: '',
  keyId: NOT_A_SYLLABLE,
  bareId: NOT_A_SYLLABLE,
  marked: false,
  elongated: false,
  value: 0,
  expansion: null,
  candidates: undefined,
};

/** Breaks that end a sentence ("." "!" newline) and a question ("?"); "," and ";" end only a clause. */
const SENTENCE_BREAK_TOKEN: Token = { ...BREAK_TOKEN, key: '.' };
const QUESTION_BREAK_TOKEN: Token = { ...BREAK_TOKEN, key: '?' };

interface Folded {
  key: string;
  bare: string;
}

function foldLetters(letters: string): Folded {
  let base = '';
  let bare = '';
  let tone = 0;
  for (const ch of letters) {
    const fold = CHAR_FOLDS.get(ch);
    if (fold) {
      base += fold.base;
      bare += fold.bare;
      if (fold.tone) tone = fold.tone;
    } else {
      base += ch;
      bare += ch;
    }
  }
  return { key: tone ? base + tone : base, bare };
}

/** Runs of the same letter (by bare form), keeping the most accented spelling of each run. */
function letterRuns(word: string): { letters: string[]; lengths: number[] } {
  const letters: string[] = [];
  const lengths: number[] = [];
  let lastBare = '';
  for (const ch of word) {
    const bare = CHAR_FOLDS.get(ch)?.bare ?? ch;
    if (bare === lastBare && letters.length > 0) {
      lengths[lengths.length - 1]++;
      if (ch !== bare) letters[letters.length - 1] = ch;
    } else {
      letters.push(ch);
      lengths.push(1);
      lastBare = bare;
    }
  }
  return { letters, lengths };
}

// ---------------------------------------------------------------------------------------------------------------
// Lexicon index

/**
 * What the lexicon says of a phrase. Every entry has every field (undefined or false when the lexicon says
 * nothing): entries then share one shape, and the scorer's many reads of them stay monomorphic.
 */
interface Entry {
  valence: number | undefined;
  negatedValence: number | undefined;
  negation: boolean;
  pre: number | undefined;
  post: number | undefined;
  contrast: boolean;
  request: boolean;
  improvement: boolean;
  conditional: boolean;
  reservation: boolean;
  summary: boolean;
  speed: boolean;
  frequencyOrQuality: boolean;
  question: boolean;
  passive: boolean;
  wait: boolean;
}

interface Phrase {
  keys: string[];
  bares: string[];
  /** keys and bares as syllable ids: matching compares numbers, not strings. */
  keyIds: number[];
  bareIds: number[];
  accentOnly: boolean;
  entry: Entry;
}

const ENTRIES = new Map<string, Entry>();
function entryFor(phrase: string): Entry {
  let entry = ENTRIES.get(phrase);
  if (!entry) {
    entry = {
      valence: undefined,
      negatedValence: undefined,
      negation: false,
      pre: undefined,
      post: undefined,
      contrast: false,
      request: false,
      improvement: false,
      conditional: false,
      reservation: false,
      summary: false,
      speed: false,
      frequencyOrQuality: false,
      question: false,
      passive: false,
      wait: false,
    };
    ENTRIES.set(phrase, entry);
  }
  return entry;
}
for (const [phrase, valence] of Object.entries(VALENCE)) entryFor(phrase).valence = valence;
for (const [phrase, valence] of Object.entries(GENERAL_VALENCE)) entryFor(phrase).valence = valence;
for (const [phrase, valence] of Object.entries(NEGATED_VALENCE)) entryFor(phrase).negatedValence = valence;
for (const [phrase, valence] of Object.entries(GENERAL_NEGATED_VALENCE)) entryFor(phrase).negatedValence = valence;
for (const phrase of REQUESTS) entryFor(phrase).request = true;
for (const phrase of IMPROVEMENTS) entryFor(phrase).improvement = true;
for (const phrase of CONDITIONALS) entryFor(phrase).conditional = true;
for (const phrase of RESERVATIONS) entryFor(phrase).reservation = true;
for (const phrase of SUMMARIES) entryFor(phrase).summary = true;
for (const phrase of SPEED) entryFor(phrase).speed = true;
for (const phrase of QUESTIONS) entryFor(phrase).question = true;
entryFor('bị').passive = true;
for (const phrase of WAITS) entryFor(phrase).wait = true;
const WAIT_UNITS = new Set(TIME_SPENT_UNITS);
const WAIT_QUANTITIES = new Set(TIME_QUANTITIES);
for (const phrase of FREQUENCY_OR_QUALITY) entryFor(phrase).frequencyOrQuality = true;
for (const phrase of NEUTRAL) entryFor(phrase);
for (const phrase of NEGATIONS) entryFor(phrase).negation = true;
for (const [phrase, boost] of Object.entries(PRE_BOOSTERS)) entryFor(phrase).pre = boost;
for (const [phrase, boost] of Object.entries(POST_BOOSTERS)) entryFor(phrase).post = boost;
for (const phrase of CONTRASTS) entryFor(phrase).contrast = true;

/** Phrases by the key of their first syllable, longest first (then split by second syllable: EXACT_STARTS). */
const EXACT_INDEX = new Map<string, Phrase[]>();
const BARE_INDEX = new Map<string, Phrase[]>();
/** Every syllable the lexicon knows (bare), to undo elongation ("goood" → "good", "ngonnn" → "ngon"). */
const KNOWN_BARE = new Set<string>();
const ACCENT_ONLY_SET = new Set([...ACCENT_ONLY, ...GENERAL_ACCENT_ONLY, 'cần', 'sửa']);

function addToIndex(index: Map<string, Phrase[]>, key: string, phrase: Phrase): void {
  const list = index.get(key);
  if (list) list.push(phrase);
  else index.set(key, [phrase]);
}

/** An id for every key and bare form of a lexicon syllable (one numbering for both: a bare key is its own bare). */
const SYLLABLE_IDS = new Map<string, number>();
function idOfLexiconSyllable(syllable: string): number {
  let id = SYLLABLE_IDS.get(syllable);
  if (id === undefined) {
    id = SYLLABLE_IDS.size;
    SYLLABLE_IDS.set(syllable, id);
  }
  return id;
}
/** The id of a syllable of the text: NOT_A_SYLLABLE when no phrase has it. */
function syllableId(syllable: string): number {
  return SYLLABLE_IDS.get(syllable) ?? NOT_A_SYLLABLE;
}

for (const [text, entry] of ENTRIES) {
  const folded = text.normalize('NFC').split(' ').map(foldLetters);
  const phrase: Phrase = {
    keys: folded.map((f) => f.key),
    bares: folded.map((f) => f.bare),
    keyIds: folded.map((f) => idOfLexiconSyllable(f.key)),
    bareIds: folded.map((f) => idOfLexiconSyllable(f.bare)),
    accentOnly: ACCENT_ONLY_SET.has(text),
    entry,
  };
  for (const f of folded) KNOWN_BARE.add(f.bare);
  addToIndex(EXACT_INDEX, phrase.keys[0], phrase);
  if (!phrase.accentOnly) addToIndex(BARE_INDEX, phrase.bares[0], phrase);
}
// Longest first; on a tie, a phrase whose first syllable has no diacritics (a genuinely toneless word) first.
const byPriority = (a: Phrase, b: Phrase): number =>
  b.keys.length - a.keys.length || Number(a.keys[0] !== a.bares[0]) - Number(b.keys[0] !== b.bares[0]);
for (const list of EXACT_INDEX.values()) list.sort(byPriority);
for (const list of BARE_INDEX.values()) list.sort(byPriority);

// Syllables the scorer asks about by name, compared by id (registered here, before any token is made).
const THI = idOfLexiconSyllable('thi'); // bare "thì": "then", ends a condition
const CO = idOfLexiconSyllable('co'); // bare "có", and the key of "co" written without a tone
const CO_WITH_SAC = idOfLexiconSyllable('co4'); // the key of "có"
const DUOC = idOfLexiconSyllable('duoc'); // bare "được"

/**
 * The phrases that start with one syllable, split by their second syllable, so that matching looks up the few
 * that can follow the next syllable instead of trying each ("không" starts 65). A second syllable written with
 * diacritics is compared by key; one written without by bare form, or by key for an accent-only phrase (the key
 * of an unmarked syllable is its bare form, so both are found under that one id).
 */
interface PhraseStarts {
  /** Phrases of two or more syllables by the key id of their second syllable, in index order (longest first). */
  byMarkedSecond: Map<number, Phrase[]>;
  /** The same phrases by the id an unmarked second syllable must have: bare id, key id if accent-only. */
  byUnmarkedSecond: Map<number, Phrase[]>;
  /** The first one-syllable phrase: every longer one comes before it, so it is what matches when none does. */
  single: Phrase | undefined;
}

function phraseStarts(phrases: Phrase[]): PhraseStarts {
  const starts: PhraseStarts = { byMarkedSecond: new Map(), byUnmarkedSecond: new Map(), single: undefined };
  for (const phrase of phrases) {
    if (phrase.keys.length === 1) {
      starts.single ??= phrase;
      continue;
    }
    addById(starts.byMarkedSecond, phrase.keyIds[1], phrase);
    addById(starts.byUnmarkedSecond, phrase.accentOnly ? phrase.keyIds[1] : phrase.bareIds[1], phrase);
  }
  return starts;
}

function addById(index: Map<number, Phrase[]>, id: number, phrase: Phrase): void {
  const list = index.get(id);
  if (list) list.push(phrase);
  else index.set(id, [phrase]);
}

/**
 * Phrase starts by the key of their first syllable (accented text looks up EXACT, unaccented text BARE), built on
 * first use: a run meets a small part of the lexicon, and init stays short.
 */
const EXACT_STARTS = new Map<string, PhraseStarts>();
const BARE_STARTS = new Map<string, PhraseStarts>();

/** The phrase starts of a first syllable's key, or null: only lexicon keys are kept, so the map stays bounded. */
function startsOf(starts: Map<string, PhraseStarts>, index: Map<string, Phrase[]>, key: string): PhraseStarts | null {
  let found = starts.get(key);
  if (found === undefined) {
    const phrases = index.get(key);
    if (phrases === undefined) return null;
    found = phraseStarts(phrases);
    starts.set(key, found);
  }
  return found;
}

/** Teencode by the folded key of the abbreviation, so "qá" and "qa´" typed either way agree. */
const TEENCODE_BY_KEY = new Map<string, string>();
for (const [abbreviation, expansion] of Object.entries(TEENCODE)) {
  TEENCODE_BY_KEY.set(foldLetters(abbreviation.normalize('NFC')).key, expansion);
}

// ---------------------------------------------------------------------------------------------------------------
// Tokenizer

/** Syllables seen so far (as written) and their tokens: a text's vocabulary repeats. */
const WORD_TOKENS = new TokenTable<Token>(17, 50_000);

function makeWordToken(raw: string): Token {
  const { letters, lengths } = letterRuns(raw);
  let elongated = false;
  let shortened = ''; // runs of 3+ cut to 2 ("goood" → "good")
  let single = ''; // every run cut to 1 ("quáaaa" → "quá")
  for (let i = 0; i < letters.length; i++) {
    if (lengths[i] >= 3) elongated = true;
    shortened += lengths[i] >= 2 ? letters[i] + letters[i] : letters[i];
    single += letters[i];
  }
  let word = raw;
  if (shortened !== single) {
    const shortenedFold = foldLetters(shortened);
    if (KNOWN_BARE.has(shortenedFold.bare) || TEENCODE_BY_KEY.has(shortenedFold.key)) word = shortened;
    else if (KNOWN_BARE.has(foldLetters(single).bare)) word = single;
    else word = shortened;
  } else if (elongated) {
    word = single;
  }
  const folded = foldLetters(word);
  const expansionText = TEENCODE_BY_KEY.get(folded.key);
  const token: Token = {
    kind: WORD,
    key: folded.key,
    bare: folded.bare,
    keyId: syllableId(folded.key),
    bareId: syllableId(folded.bare),
    marked: folded.key !== folded.bare,
    elongated,
    value: 0,
    expansion: null,
    candidates: undefined,
  };
  if (expansionText !== undefined && expansionText !== word) {
    token.expansion = expansionText.split(' ').map((syllable) => {
      const f = foldLetters(syllable);
      return {
        ...token,
        key: f.key,
        bare: f.bare,
        keyId: syllableId(f.key),
        bareId: syllableId(f.bare),
        marked: f.key !== f.bare,
        candidates: undefined,
      };
    });
  }
  return token;
}

function wordToken(raw: string): Token {
  const hash = hashOf(raw);
  let token = WORD_TOKENS.get(raw, 0, raw.length, hash);
  if (token === undefined) {
    token = makeWordToken(raw);
    WORD_TOKENS.set(raw, hash, token);
  }
  return token;
}

/** 1 = letter, digit or combining mark; 2 = anything else; 0 = not yet classified. */
const CHAR_CLASS = new Uint8Array(0x10000);
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
/** Letters of either case: text the tokenizer reads as written (readsAsWritten) keeps its capitals. */
function isWordChar(code: number): boolean {
  if (code < 0x80) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
  if (code >= 0xd800 && code <= 0xdfff) return false;
  let cls = CHAR_CLASS[code];
  if (cls === 0) {
    cls = WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
    CHAR_CLASS[code] = cls;
  }
  return cls === 1;
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0;
}

/** Clause-ending punctuation: negation and boosters do not reach across it. */
function isBreakChar(code: number): boolean {
  return (
    code === 46 || // .
    code === 44 || // ,
    code === 59 || // ;
    code === 58 || // :
    code === 33 || // !
    code === 63 || // ?
    code === 10 ||
    code === 0x2026 // …
  );
}

const EMOJI_TOKENS = new Map<number, Token>();
for (const [emoji, value] of Object.entries(EMOJI)) {
  EMOJI_TOKENS.set(emoji.codePointAt(0) as number, { ...BREAK_TOKEN, kind: EMOJI_TOKEN, value });
}

let emoticonTokens: Map<string, Token> | null = null;
/**
 * Emoticons (":(", ":D", "<3") taken from VADER's lexicon (the English scorer's copy), loaded on first use so this
 * module's init stays small.
 */
function getEmoticonTokens(): Map<string, Token> {
  if (!emoticonTokens) {
    const { VADER_LEXICON } = require('./vader-lexicon') as typeof import('./vader-lexicon');
    emoticonTokens = new Map();
    for (const [key, value] of VADER_LEXICON) {
      if (/[^a-z'-]/.test(key) && !/[a-z]{3}/.test(key) && !/\s/.test(key)) {
        const lower = key.toLowerCase();
        const existing = emoticonTokens.get(lower);
        if (!existing || Math.abs(value) > Math.abs(existing.value)) {
          emoticonTokens.set(lower, { ...BREAK_TOKEN, kind: EMOJI_TOKEN, value });
        }
      }
    }
  }
  return emoticonTokens;
}

/** ":)))" and "=((((" are how Vietnamese writers type ":)" and "=(": cut repeated trailing characters. */
function emoticonToken(chunk: string): Token | undefined {
  const emoticons = getEmoticonTokens();
  const direct = emoticons.get(chunk);
  if (direct) return direct;
  let end = chunk.length;
  while (end > 1 && chunk.charCodeAt(end - 1) === chunk.charCodeAt(end - 2)) end--;
  return end < chunk.length ? emoticons.get(chunk.slice(0, end)) : undefined;
}

/**
 * Code units outside the ranges where NFC changes nothing (no combining mark, no singleton, nothing that composes
 * with a neighbour) and lower case is one code unit whatever the context: U+0000–U+02FF but İ (lower case "i̇"),
 * Latin Extended Additional (the Vietnamese vowels), General Punctuation but its spaces, Miscellaneous Symbols,
 * Dingbats, variation selectors, and emoji (surrogate pairs of U+1F000–U+1FBFF). tests/unit/vietnamese.test.ts
 * checks every one of them.
 */
const NOT_AS_WRITTEN =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class -- a class of UTF-16 code units (no u flag) on purpose
  /[^\u0000-\u012f\u0131-\u02ff\u1e00-\u1eff\u2010-\u2027\u2030-\u205e\u2600-\u27bf\ufe00-\ufe0f\ud83c-\ud83e\udc00-\udfff]/;

/**
 * Whether text can be tokenized as written: it is NFC already, and lower-casing it character by character (which
 * the tokenizer does for each syllable and emoticon it meets) is lower-casing the whole. Most text is; the rest is
 * normalised and lower-cased first.
 */
export function readsAsWritten(text: string): boolean {
  return !NOT_AS_WRITTEN.test(text);
}

interface Tokenized {
  tokens: Token[];
  exclamations: number;
  questions: number;
}

const NEGATION_BT_MEANING = wordToken('biết');

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

function pushWord(tokens: Token[], token: Token): void {
  if (!token.expansion) {
    tokens.push(token);
    return;
  }
  // "ko bt" is "không biết" (don't know), elsewhere "bt" is "bình thường" (ordinary).
  const previous = tokens[tokens.length - 1];
  // After a number an abbreviation is a unit: "7 kg", "50 k" (thousand dong), not "không".
  if (previous && previous.kind === WORD && isDigitCode(previous.bare.charCodeAt(previous.bare.length - 1))) {
    tokens.push({ ...token, expansion: null });
    return;
  }
  if (token.key === 'bt' && previous && previous.kind === WORD && previous.key === 'không') {
    tokens.push(NEGATION_BT_MEANING);
    return;
  }
  for (const part of token.expansion) tokens.push(part);
}

/**
 * Syllables, breaks and emoji of NFC text, lower case or read as written (readsAsWritten): syllables and
 * emoticons are lower-cased one by one, the first time each spelling is met.
 */
function tokenize(text: string, tokens: Token[]): Tokenized {
  let exclamations = 0;
  let questions = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (isWordChar(code)) {
      // The syllable is hashed as it is read: one seen before is found in WORD_TOKENS without being cut out.
      let hash = hashStep(HASH_SEED, code);
      let j = i + 1;
      for (; j < n; j++) {
        const next = text.charCodeAt(j);
        if (!isWordChar(next)) break;
        hash = hashStep(hash, next);
      }
      hash = finishHash(hash);
      let token = WORD_TOKENS.get(text, i, j, hash);
      if (token === undefined) {
        const written = text.slice(i, j);
        // A capitalised syllable ("Minh") is kept as written too, with the token of its lower case.
        const lower = written.toLowerCase();
        token = lower === written ? makeWordToken(written) : wordToken(lower);
        WORD_TOKENS.set(written, hash, token);
      }
      pushWord(tokens, token);
      i = j;
      continue;
    }
    if (isSpace(code)) {
      if (code === 10) tokens.push(SENTENCE_BREAK_TOKEN);
      i++;
      continue;
    }
    // A whitespace-delimited chunk that starts with a symbol may be an emoticon.
    if (code < 0x80 && (i === 0 || isSpace(text.charCodeAt(i - 1)))) {
      let j = i + 1;
      while (j < n && !isSpace(text.charCodeAt(j))) j++;
      if (j - i >= 2 && j - i <= 12) {
        const emoticon = emoticonToken(text.slice(i, j).toLowerCase());
        if (emoticon) {
          tokens.push(emoticon);
          i = j;
          continue;
        }
      }
    }
    if (code === 33) exclamations++;
    else if (code === 63) questions++;
    if (isBreakChar(code)) {
      tokens.push(
        code === 63
          ? QUESTION_BREAK_TOKEN
          : code === 46 || code === 33 || code === 0x2026
            ? SENTENCE_BREAK_TOKEN
            : BREAK_TOKEN,
      );
      i++;
      continue;
    }
    const codePoint = text.codePointAt(i) as number;
    const emoji = EMOJI_TOKENS.get(codePoint);
    if (emoji) tokens.push(emoji);
    i += codePoint > 0xffff ? 2 : 1;
  }
  return { tokens, exclamations, questions };
}

// ---------------------------------------------------------------------------------------------------------------
// Scoring

function matchPhrase(tokens: Token[], start: number): Phrase | undefined {
  const first = tokens[start];
  let starts = first.candidates;
  if (starts === undefined) {
    starts = first.marked
      ? startsOf(EXACT_STARTS, EXACT_INDEX, first.key)
      : startsOf(BARE_STARTS, BARE_INDEX, first.bare);
    first.candidates = starts;
  }
  if (starts === null) return undefined;
  const second = start + 1 < tokens.length ? tokens[start + 1] : undefined;
  if (second !== undefined && second.kind === WORD) {
    const longer = second.marked ? starts.byMarkedSecond.get(second.keyId) : starts.byUnmarkedSecond.get(second.bareId);
    if (longer !== undefined) {
      outer: for (const phrase of longer) {
        const length = phrase.keys.length;
        if (start + length > tokens.length) continue;
        // The second syllable is known to match: compare the rest.
        for (let j = 2; j < length; j++) {
          const token = tokens[start + j];
          if (token.kind !== WORD) continue outer;
          if (token.marked || phrase.accentOnly) {
            if (token.keyId !== phrase.keyIds[j]) continue outer;
          } else if (token.bareId !== phrase.bareIds[j]) continue outer;
        }
        return phrase;
      }
    }
  }
  return starts.single;
}

/** Whether a time unit of an hour or more follows a wait within WAIT_WINDOW syllables. */
function waitsLong(tokens: Token[], end: number): boolean {
  for (let j = end; j < Math.min(tokens.length, end + WAIT_WINDOW); j++) {
    if (tokens[j].kind !== WORD) return false;
    if (WAIT_UNITS.has(tokens[j].bare) && j > end) {
      const count = tokens[j - 1].bare;
      if (WAIT_QUANTITIES.has(count) || isDigitCode(count.charCodeAt(count.length - 1))) return true;
    }
  }
  return false;
}

let lastRole: 'post' | 'pre' | 'none' = 'none';

/**
 * Words whose sentiment depends on their neighbours. A speed word ("nhanh", "mau") is praise on its own ("giao
 * nhanh") but right after a fault it says how fast the fault happens ("pin tụt nhanh"), and right before one how
 * soon ("nhanh hỏng"). "hay" is "good" after what it judges ("phim hay", "rất hay", "hay lắm") but "often" before
 * a verb ("hay bị đơ", "hay tắt nguồn"). Returns true when the word is not to be scored as praise; lastRole then
 * says whether it intensifies the fault before it ('post'), the fault after it ('pre') or nothing ('none').
 */
function speedOrFrequency(
  entry: Entry,
  tokens: Token[],
  i: number,
  end: number,
  lastSentimentEnd: number,
  lastSentimentNegated: boolean,
  sentiments: number[],
  boosted: boolean,
): boolean {
  if (entry.passive) {
    // "bị" marks what befell the writer; before a fault word ("bị đơ") the fault carries the sentiment.
    const next = end < tokens.length && tokens[end].kind === WORD ? matchPhrase(tokens, end) : undefined;
    if (next && next.entry.valence !== undefined && next.entry.valence < 0) {
      lastRole = 'none';
      return true;
    }
    return false;
  }
  if (!entry.speed && !entry.frequencyOrQuality) return false;
  if (entry.speed) {
    if (lastSentimentEnd === i && !lastSentimentNegated && sentiments[sentiments.length - 1] < 0) {
      lastRole = 'post';
      return true;
    }
    const next = end < tokens.length && tokens[end].kind === WORD ? matchPhrase(tokens, end) : undefined;
    if (next && next.entry.valence !== undefined && next.entry.valence < 0) {
      lastRole = 'pre';
      return true;
    }
    return false;
  }
  // "hay": quality when boosted ("rất hay") or followed by the end of the clause, a booster, praise or "và".
  if (boosted || end >= tokens.length || tokens[end].kind !== WORD) return false;
  const next = matchPhrase(tokens, end);
  if (next) {
    const e = next.entry;
    if (e.post !== undefined || e.contrast || (e.valence !== undefined && e.valence > 0)) return false;
    lastRole = e.valence !== undefined && e.valence < 0 ? 'pre' : 'none';
    return true;
  }
  const bare = tokens[end].bare;
  if (bare === 'va' || bare === 'ma' || bare === 'nha' || bare === 'nhe' || bare === 'the') return false;
  lastRole = 'none';
  return true;
}

/** VADER's emphasis from "!" (up to 4) and repeated "?". */
function punctuationEmphasis(exclamations: number, questions: number): number {
  const fromExclamations = Math.min(exclamations, 4) * 0.292;
  let fromQuestions = 0;
  if (questions > 1) fromQuestions = questions <= 3 ? questions * 0.18 : 0.96;
  return fromExclamations + fromQuestions;
}

// Rounding to 3 and 4 places with constant factors: `10 ** places` was computed on every call.
function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
function round4(value: number): number {
  return Math.round(value * 10000) / 10000;
}

const EMPTY: Sentiment = { neg: 0, neu: 0, pos: 0, compound: 0 };

// Reused between calls: scoring is synchronous, so one set of buffers is enough.
const tokenBuffer: Token[] = [];
const sentimentBuffer: number[] = [];

/** Scores Vietnamese text (with or without diacritics) on VADER's {neg, neu, pos, compound} scale. */
export function scoreVietnamese(text: string): Sentiment {
  if (!text) return { ...EMPTY };
  tokenBuffer.length = 0;
  sentimentBuffer.length = 0;
  const source = readsAsWritten(text) ? text : text.normalize('NFC').toLowerCase();
  const { tokens, exclamations, questions } = tokenize(source, tokenBuffer);
  const sentiments = sentimentBuffer;

  let neutralCount = 0;
  let negationPending = false;
  let negationUntil = -1;
  let boost = 0;
  let boostUntil = -1;
  let lastSentimentEnd = -2;
  let lastSentimentNegated = false;
  let contrastAt = -1;
  let requestUntil = -1;
  let conditional = false;
  let summary = false;
  // Where the current sentence's sentiments start, and whether it opened with a question ("cho mình hỏi").
  let sentenceStart = 0;
  let asking = false;
  // Whether the clause said "có" (the "có ... không" question frame), and whether the pending "không" closes it.
  let saidCo = false;
  let yesNo = false;
  // Whether a one-syllable negation was followed by any word: "có bảo hành không?" ends in a question particle.
  let negationFollowed = true;

  // Whether the pending negation already flipped a word: it keeps flipping the words right after it ("không
  // giật lag", "không nóng máy lag"), and it is no dangling failure report.
  let negationUsed = false;
  const closeNegation = (): void => {
    // "có ... không" with nothing judged after "không" is a yes/no question ("có giao quận 7 không shop"), not a
    // failure report: the sentence is asked.
    if (negationPending && !negationUsed && yesNo) asking = true;
    else if (negationPending && !negationUsed && negationFollowed) sentiments.push(DANGLING_NEGATION);
    negationPending = false;
    negationUsed = false;
  };

  // "nhưng" weighs the clauses of its own sentence: the last one in a sentence splits it ("A nhưng B, nhưng C").
  const endSentence = (): void => {
    if (contrastAt < 0) return;
    for (let k = sentenceStart; k < sentiments.length; k++) {
      sentiments[k] *= k < contrastAt ? CONTRAST_BEFORE : CONTRAST_AFTER;
    }
    contrastAt = -1;
  };

  let i = 0;
  while (i < tokens.length) {
    if (negationPending && i >= negationUntil) closeNegation();
    const token = tokens[i];
    if (token.kind === BREAK) {
      closeNegation();
      // A question asks rather than judges: what it says weighs less ("có sao không?", "cho mình hỏi ... ?").
      if (token.key === '?' || (asking && token.key === '.')) {
        for (let k = sentenceStart; k < sentiments.length; k++) sentiments[k] *= QUESTION_SCALAR;
      }
      if (token.key !== '') {
        endSentence();
        sentenceStart = sentiments.length;
        asking = false;
      }
      conditional = false;
      summary = false;
      saidCo = false;
      requestUntil = -1;
      boost = 0;
      lastSentimentEnd = -2;
      i++;
      continue;
    }
    if (token.kind === EMOJI_TOKEN) {
      sentiments.push(token.value);
      i++;
      continue;
    }
    const phrase = matchPhrase(tokens, i);
    if (negationPending) negationFollowed = true;
    if (!phrase) {
      if (token.bareId === THI) conditional = false;
      else if (token.bareId === CO && (token.keyId === CO || token.keyId === CO_WITH_SAC)) saidCo = true;
      // "không xay được": a negation closed by "được" was about ability, not about the words after it.
      if (negationPending && token.bareId === DUOC) closeNegation();
      neutralCount++;
      i++;
      continue;
    }
    const entry = phrase.entry;
    const end = i + phrase.keys.length;
    const pushed = sentiments.length;
    if (entry.conditional) conditional = true;
    if (entry.question) asking = true;
    if (entry.summary) summary = true;
    if (entry.reservation) {
      closeNegation();
      boost = 0;
      lastSentimentEnd = -2;
    }
    if (entry.request) requestUntil = end + REQUEST_WINDOW;
    if (entry.wait && entry.valence === undefined && waitsLong(tokens, end)) {
      sentiments.push(conditional ? WAIT_VALENCE * CONDITIONAL_SCALAR : WAIT_VALENCE);
      lastSentimentEnd = end;
      lastSentimentNegated = false;
      i = end;
      continue;
    }
    if (entry.improvement && i < requestUntil) {
      sentiments.push(REQUEST_CRITICISM);
      requestUntil = -1;
      lastSentimentEnd = end;
      lastSentimentNegated = false;
      i = end;
      continue;
    }

    if (entry.contrast) {
      contrastAt = sentiments.length;
      closeNegation();
      boost = 0;
      lastSentimentEnd = -2;
    }

    const followsSentiment = entry.post !== undefined && i - lastSentimentEnd <= 1 && !lastSentimentNegated;
    if (followsSentiment) {
      const last = sentiments.length - 1;
      const emphasis = (entry.post as number) + (token.elongated ? ELONGATION_INCREMENT : 0);
      if (emphasis >= 0) sentiments[last] += Math.sign(sentiments[last]) * emphasis;
      else sentiments[last] *= Math.max(MIN_HEDGED, 1 + HEDGE_FACTOR * emphasis);
      lastSentimentEnd = end;
      neutralCount++;
    } else if (entry.negation) {
      closeNegation();
      negationPending = true;
      negationUsed = false;
      negationFollowed = phrase.keys.length > 1;
      yesNo = saidCo && phrase.keys.length === 1;
      negationUntil = end + NEGATION_WINDOW;
      neutralCount++;
    } else if (
      entry.valence !== undefined &&
      !(negationPending && i < negationUntil) &&
      speedOrFrequency(
        entry,
        tokens,
        i,
        end,
        lastSentimentEnd,
        lastSentimentNegated,
        sentiments,
        boost > 0 && i < boostUntil,
      )
    ) {
      // A speed or frequency word read as an intensifier of the fault next to it: handled (see speedOrFrequency).
      const role = lastRole;
      if (role === 'post') {
        sentiments[sentiments.length - 1] -= entry.speed ? SPEED_BOOST : FREQUENCY_BOOST;
        lastSentimentEnd = end;
      } else if (role === 'pre') {
        if (i >= boostUntil) boost = 0;
        boost += entry.speed ? SPEED_BOOST : FREQUENCY_BOOST;
        boostUntil = end + 1;
      }
      neutralCount++;
    } else if (entry.valence !== undefined) {
      let valence = entry.valence;
      const negated = negationPending && i < negationUntil;
      if (negated) {
        valence = entry.negatedValence ?? valence * (valence > 0 ? NEGATION_SCALAR : NEGATED_NEGATIVE_SCALAR);
        // A negated praise word ends the negation ("không đẹp lắm"); a negated fault may be the first of a list
        // of faults ("không giật, lag"): the next one within the window is negated too.
        if (entry.valence > 0) negationPending = false;
        else {
          negationUsed = true;
          negationUntil = end + NEGATION_WINDOW;
        }
      } else {
        if (boost > 0 && i < boostUntil) valence += Math.sign(valence) * boost;
        // "hơi chậm", "có vẻ kém": a hedge scales the word down rather than shifting it (it never flips it).
        else if (boost < 0 && i < boostUntil) valence *= Math.max(MIN_HEDGED, 1 + HEDGE_FACTOR * boost);
        for (let j = i; j < end; j++) {
          if (tokens[j].elongated) {
            valence += Math.sign(valence) * ELONGATION_INCREMENT;
            break;
          }
        }
      }
      boost = 0;
      sentiments.push(valence);
      lastSentimentEnd = end;
      lastSentimentNegated = negated;
    } else if (entry.pre !== undefined) {
      if (i >= boostUntil) boost = 0;
      boost += entry.pre + (token.elongated ? ELONGATION_INCREMENT : 0);
      boostUntil = end + BOOSTER_WINDOW;
      neutralCount++;
    } else {
      neutralCount += phrase.keys.length;
    }
    if (conditional && sentiments.length > pushed) sentiments[pushed] *= CONDITIONAL_SCALAR;
    if (summary && sentiments.length > pushed) sentiments[pushed] *= SUMMARY_SCALAR;
    i = end;
  }
  closeNegation();
  endSentence();
  if (asking) for (let k = sentenceStart; k < sentiments.length; k++) sentiments[k] *= QUESTION_SCALAR;

  if (sentiments.length === 0) return neutralCount > 0 ? { neg: 0, neu: 1, pos: 0, compound: 0 } : { ...EMPTY };

  let sum = 0;
  let positiveSum = 0;
  let negativeSum = 0;
  for (let k = 0; k < sentiments.length; k++) {
    const value = sentiments[k];
    sum += value;
    if (value > 0) positiveSum += value + 1;
    else if (value < 0) negativeSum += value - 1;
    else neutralCount++;
  }

  const emphasis = punctuationEmphasis(exclamations, questions);
  if (sum > 0) sum += emphasis;
  else if (sum < 0) sum -= emphasis;
  const compound = Math.max(-1, Math.min(1, sum / Math.sqrt(sum * sum + NORMALIZE_ALPHA)));

  if (positiveSum > Math.abs(negativeSum)) positiveSum += emphasis;
  else if (positiveSum < Math.abs(negativeSum)) negativeSum -= emphasis;
  const total = positiveSum + Math.abs(negativeSum) + neutralCount;
  return {
    neg: round3(Math.abs(negativeSum / total)),
    neu: round3(Math.abs(neutralCount / total)),
    pos: round3(Math.abs(positiveSum / total)),
    compound: round4(compound),
  };
}

/**
 * Named, explainable cues of a memorable negative experience (README "How a mention is scored").
 * Text is split once into word tokens, and each token is looked up once in the vocabulary of all phrase lists
 * (phrase-trie.ts); phrases are then found by walking a trie per list, so a call costs one pass over the text
 * whatever the size of the lexicons. The English index is compiled at module load; the Vietnamese and Romance ones
 * on the first text that needs them (most runs and most Lambda invocations never do, and they cost init time).
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
  EN_ELSEWHERE,
  EN_HEDGE,
  EN_NOT_NEGATIVE,
  EN_REPEAT_NOUNS,
  EN_PRODUCT,
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
  VI_PRODUCT,
  VI_VERDICT,
  VI_HEDGE,
} from './cue-lexicon-vi';
import { NO_WORD, PhraseTrie, Vocabulary } from './phrase-trie';
import { finishHash, HASH_SEED, hashStep, TokenTable } from './token-table';
import { whitespaceTokensOf, type WhitespaceTokens } from './vader';
import { ROMANCE_CUES, ROMANCE_LANGUAGES, type RomanceLanguage } from './romance-lexicon';

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
  /** Something a brand sells, or who sells it: what a complaint is about. */
  'product',
  /** A gripe about oneself or the world (the weather, traffic, politics): what a complaint is not about. */
  'elsewhere',
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
  /** The language the text was scored in. */
  language: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Lexicon index

const FAMILY_COUNT = FAMILIES.length;
const familyIndex = (family: Family): number => FAMILIES.indexOf(family);
const NOT_NEGATIVE = familyIndex('notNegative');
const EFFORT = familyIndex('effort');
const AMPLIFICATION = familyIndex('amplification');
const PROFANITY = familyIndex('profanity');
const EXPECTATION_GAP = familyIndex('expectationGap');
const SATISFACTION = familyIndex('satisfaction');
const UNANSWERED = familyIndex('unanswered');
/** Tagging someone with @ is weak amplification: it puts the complaint in front of the brand. */
const TAG_WEIGHT = 0.25;
const VOCABULARY = new Vocabulary();

/**
 * One phrase index (English, Vietnamese as written, Vietnamese folded, a Romance language): a trie over the ids
 * of VOCABULARY, which holds the words of every index, so a text's tokens are looked up once for all of them.
 * The trie holds phrase numbers; once it is sealed, the family, weight and written form of each phrase are laid
 * out by its place in the trie (PhraseTrie.valueAt order), so the phrases a walk reaches sit side by side in small
 * typed arrays rather than in objects scattered over the heap.
 */
class PhraseIndex {
  readonly trie = new PhraseTrie<number>();
  /** Index into FAMILIES, weight, and written form, by place in the trie (after `seal`). */
  familyAt = new Uint8Array(0);
  weightAt = new Float64Array(0);
  /** The phrase as written (with diacritics), in an index of folded phrases; otherwise empty. */
  writtenAt: string[][] = [];
  /** The same by phrase number, while phrases are added. */
  private readonly families: number[] = [];
  private readonly weights: number[] = [];
  private readonly writtenForms: string[][] = [];

  add(ids: number[], family: Family, weight: number, written: string[]): void {
    this.trie.add(ids, this.families.length);
    this.families.push(familyIndex(family));
    this.weights.push(weight);
    this.writtenForms.push(written);
  }

  seal(): void {
    this.trie.seal();
    const count = this.trie.valueCount;
    this.familyAt = new Uint8Array(count);
    this.weightAt = new Float64Array(count);
    this.writtenAt = new Array<string[]>(count);
    for (let k = 0; k < count; k++) {
      const phrase = this.trie.valueAt(k);
      this.familyAt[k] = this.families[phrase];
      this.weightAt[k] = this.weights[phrase];
      this.writtenAt[k] = this.writtenForms[phrase];
    }
  }
}

const APOSTROPHES = /['’‘`]/g;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NON_ASCII = /[\u0080-\uffff]/;

/** Lower-case, NFC, no apostrophes: the form phrases and tokens are compared in. */
function normalizeWord(word: string): string {
  return word.toLowerCase().replace(APOSTROPHES, '');
}

/** Strip Vietnamese diacritics ("thất vọng" → "that vong"). */
function foldDiacritics(word: string): string {
  if (!NON_ASCII.test(word)) return word;
  return word.normalize('NFD').replace(COMBINING_MARKS, '').replace(/đ/g, 'd').replace(/Đ/g, 'd');
}

function addPhrases(
  index: PhraseIndex,
  phrases: PhraseWeights,
  family: Family,
  fold: boolean,
  anyAccents: boolean,
): void {
  for (const [raw, weight] of Object.entries(phrases)) {
    const exactOnly = raw.startsWith('=');
    if (exactOnly && fold) continue;
    const text = (exactOnly ? raw.slice(1) : raw).normalize('NFC');
    const written = text.split(/\s+/).map(normalizeWord);
    const tokens = fold ? written.map(foldDiacritics) : written;
    // Accents in Romance languages do not change the word: a folded phrase matches however it was typed.
    if (anyAccents) written.length = 0;
    index.add(
      tokens.map((token) => VOCABULARY.intern(token)),
      family,
      weight,
      written,
    );
  }
}

function buildIndex(lists: [PhraseWeights, Family][], fold: boolean, anyAccents = false): PhraseIndex {
  const index = new PhraseIndex();
  for (const [phrases, family] of lists) addPhrases(index, phrases, family, fold, anyAccents);
  index.seal();
  indexesBuilt++;
  return index;
}

/** How many phrase indexes exist (the lazy ones are built on first use); see lexiconGeneration. */
let indexesBuilt = 0;

/**
 * Grows whenever a word joins VOCABULARY or an index is built: what a word's ids and phrase starts were looked up
 * against (WordInfo.generation).
 */
function lexiconGeneration(): number {
  return VOCABULARY.size + indexesBuilt;
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
    [EN_PRODUCT, 'product'],
    [EN_ELSEWHERE, 'elsewhere'],
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
  [VI_PRODUCT, 'product'],
  [VI_VERDICT, 'verdict'],
  [VI_HEDGE, 'hedge'],
  ...aspectLists(VI_ASPECTS),
];
/**
 * Vietnamese phrases as written (with diacritics), and without diacritics (matched against folded tokens, except
 * the `=` exact-only words): built on the first non-English text. Adding their words to VOCABULARY gives words
 * seen before new ids; WordInfo.generation makes TextWords.push look those up again (see refreshIds).
 */
let viIndexes: { written: PhraseIndex; folded: PhraseIndex } | null = null;
function vietnameseIndexes(): { written: PhraseIndex; folded: PhraseIndex } {
  viIndexes ??= { written: buildIndex(VI_LISTS, false), folded: buildIndex(VI_LISTS, true) };
  return viIndexes;
}

/** Spanish, Portuguese and French phrases, without accents on both sides ("pesimo" = "pésimo"); built on first use. */
const ROMANCE_INDEX = new Map<RomanceLanguage, PhraseIndex>();
const isRomance = (language: string): language is RomanceLanguage =>
  (ROMANCE_LANGUAGES as readonly string[]).includes(language);
function romanceIndex(lang: RomanceLanguage): PhraseIndex {
  let index = ROMANCE_INDEX.get(lang);
  if (index === undefined) {
    const cues = ROMANCE_CUES[lang];
    const lists: [PhraseWeights, Family][] = [
      [cues.problem, 'problem'],
      [cues.unanswered, 'unanswered'],
      [cues.effort, 'effort'],
      [cues.churn, 'churn'],
      [cues.expectationGap, 'expectationGap'],
      [cues.verdict, 'verdict'],
      [cues.amplification, 'amplification'],
      [cues.satisfaction, 'satisfaction'],
      [cues.product, 'product'],
    ];
    index = buildIndex(lists, true, true);
    ROMANCE_INDEX.set(lang, index);
  }
  return index;
}

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
const REPEAT_NOUNS: ReadonlySet<string> = new Set(EN_REPEAT_NOUNS);
/** A word right before a praise phrase that negates it (English, and Vietnamese with and without diacritics). */
const NEGATORS = new Set([
  'not',
  'never',
  'no',
  'didnt',
  'hasnt',
  'havent',
  'wasnt',
  'werent',
  'isnt',
  'dont',
  'doesnt',
  'cant',
  'couldnt',
  'wont',
  'không',
  'khong',
  'chưa',
  'chua',
  'chẳng',
  'chang',
]);
/** Suffixes of an ordinal after its digits ("3rd"). */
const ORDINAL_SUFFIXES: ReadonlySet<string> = new Set(['st', 'nd', 'rd', 'th']);

/** How many ASCII digits key starts with. */
function leadingDigits(key: string): number {
  let k = 0;
  while (k < key.length && key.charCodeAt(k) >= 48 && key.charCodeAt(k) <= 57) k++;
  return k;
}

// ---------------------------------------------------------------------------------------------------------------
// Scanning

/** Shouting: a capitalised word of 3+ letters, not part of a handle, hashtag or link. */
const CAPS_RE = /(?<![\p{L}\p{N}@#/._=])\p{Lu}{3,}(?![\p{L}\p{N}'’])/gu;
/**
 * Where a shouted word could start: three code units in a row that are A-Z or non-ASCII. A cheap pre-test, as
 * most texts have none, and CAPS_RE (with its Unicode look-arounds) only needs to run from there.
 */
const CAPS_CANDIDATE = /[A-Z\u0080-\uffff]{3}/;
/** Non-word intensity and amplification signals: "!!", angry emoji, #hashtags, @mentions. */
const SIGNAL_RE = /!{2,}|[😡🤬👎💩😤😠🖕]|#[\p{L}\p{N}_]+|@[\p{L}\p{N}_]{2,}/gu;
/** The first code unit of every SIGNAL_RE match: '!', '#', '@' or the high surrogate of one of its emoji. */
const SIGNAL_START = /[!#@\uD83D\uD83E]/;
const AMPLIFYING_HASHTAG = /fail|boycott|never ?again|scam|avoid|worst|ripoff|disappoint/i;

/** Evidence list of a family with no hits (shared, never mutated). */
const NO_EVIDENCE: string[] = Object.freeze([]) as unknown as string[];
/** Hits of a family that found nothing (shared, never mutated). */
const NO_HITS: FamilyHits = Object.freeze({ strength: 0, evidence: NO_EVIDENCE });

/**
 * Per-call scratch state, one slot per family (indexed like FAMILIES). One instance is reused across calls: the
 * analysis is synchronous, so calls never interleave.
 */
class Accumulators {
  /** Product of (1 - weight) over hits: strength is 1 - remaining. */
  readonly remaining: Float64Array;
  readonly evidence: Array<string[] | null>;
  /** Token index up to which a family's phrases are already matched (its phrases do not overlap). */
  readonly coveredUntil: Int32Array;

  constructor() {
    this.remaining = new Float64Array(FAMILY_COUNT);
    this.evidence = new Array<string[] | null>(FAMILY_COUNT);
    this.coveredUntil = new Int32Array(FAMILY_COUNT);
  }

  reset(): void {
    // One loop over the few families rather than three fill calls (each a builtin call with its own set-up).
    const { remaining, evidence, coveredUntil } = this;
    for (let family = 0; family < FAMILY_COUNT; family++) {
      remaining[family] = 1;
      evidence[family] = null;
      coveredUntil[family] = 0;
    }
  }

  add(family: number, weight: number, evidence: string): void {
    this.remaining[family] *= 1 - Math.min(1, Math.max(0, weight));
    let list = this.evidence[family];
    if (list === null) list = this.evidence[family] = [];
    if (list.length < MAX_EVIDENCE && !includesIgnoringCase(list, evidence)) list.push(evidence);
  }

  hits(family: number): FamilyHits {
    const remaining = this.remaining[family];
    if (remaining === 1) return NO_HITS;
    return { strength: round3(1 - remaining), evidence: this.evidence[family] ?? NO_EVIDENCE };
  }
}
const scratch = new Accumulators();

function includesIgnoringCase(list: string[], item: string): boolean {
  // Lower-casing allocates: compare lengths first, most evidence differs there already.
  for (const existing of list) if (existing.length === item.length && equalsIgnoringCase(existing, item)) return true;
  return false;
}

/**
 * a.toLowerCase() === b.toLowerCase() for strings of the same length, read in place while they are ASCII: there
 * lower-casing maps A-Z one for one, so the first ASCII difference is a difference of the lower-cased strings too.
 * From the first code unit beyond ASCII on (whose lower case may be longer, or ASCII: the Kelvin sign's is 'k'), the
 * pair goes through toLowerCase.
 */
function equalsIgnoringCase(a: string, b: string): boolean {
  for (let k = 0; k < a.length; k++) {
    let x = a.charCodeAt(k);
    let y = b.charCodeAt(k);
    if ((x | y) >= 0x80) return a.toLowerCase() === b.toLowerCase();
    if (x === y) continue;
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}

/** What scanning needs to know about one word, worked out once per distinct word (see WORDS). */
interface WordInfo {
  /** Lower case, apostrophes dropped ("don't" → "dont"). */
  key: string;
  /** VOCABULARY id of key, or NO_WORD. */
  id: number;
  /** key without Vietnamese diacritics ("thất" → "that"); key itself when it has none. */
  folded: string;
  foldedId: number;
  /** Whether a rule may start at the word (a digit first, or a rule word), for key and for folded. */
  startsRule: boolean;
  foldedStartsRule: boolean;
  /**
   * 1 if a phrase of EN_INDEX starts with key, of the Vietnamese index as written with key, of the folded one with
   * folded (0 otherwise, and while the Vietnamese indexes are not built): numbers, so that noting the positions
   * where phrases may start takes no branch per word.
   */
  startsEnglishPhrase: number;
  startsVietnamesePhrase: number;
  foldedStartsVietnamesePhrase: number;
  /** lexiconGeneration() when the above were looked up: a word then in no list may be in one built since. */
  generation: number;
}

/** Letters and digits beyond ASCII (accented Latin, Vietnamese, other scripts). */
const NON_ASCII_WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/**
 * Whether each code unit belongs to a word: 1 word, 2 not a word, 0 not known yet. ASCII letters and digits are
 * filled in here, the rest by NON_ASCII_WORD_CHAR on first use: one table read per character.
 */
const WORD_CHAR_CACHE = new Uint8Array(0x10000);
for (let code = 0; code < 128; code++) {
  const word = (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
  WORD_CHAR_CACHE[code] = word ? 1 : 2;
}

/** Whether a UTF-16 code unit belongs to a word: letters, digits and marks of any script. */
function isWordChar(text: string, code: number, at: number): boolean {
  let known = WORD_CHAR_CACHE[code];
  if (known === 0) known = WORD_CHAR_CACHE[code] = NON_ASCII_WORD_CHAR.test(text[at]) ? 1 : 2;
  return known === 1;
}

const APOSTROPHE_CODE = 39;
const RIGHT_QUOTE_CODE = 0x2019;
const EXCLAMATION_CODE = 0x21;
const HASH_CODE = 0x23;
const AT_CODE = 0x40;
const QUESTION_CODE = 0x3f;

/** Words seen so far (lower case, as written in the text, apostrophes included) and what scanning needs of them. */
const WORDS = new TokenTable<WordInfo>(17, 50_000);

function startsRule(key: string, id: number): boolean {
  const first = key.charCodeAt(0);
  return (first >= 48 && first <= 57) || (id !== NO_WORD && id < STARTS_RULE.length && STARTS_RULE[id] === 1);
}

function wordInfo(word: string, hasApostrophe: boolean): WordInfo {
  const key = hasApostrophe ? word.replace(APOSTROPHES, '') : word;
  const info: WordInfo = {
    key,
    id: NO_WORD,
    folded: foldDiacritics(key),
    foldedId: NO_WORD,
    startsRule: false,
    foldedStartsRule: false,
    startsEnglishPhrase: 0,
    startsVietnamesePhrase: 0,
    foldedStartsVietnamesePhrase: 0,
    generation: -1,
  };
  refreshIds(info);
  return info;
}

/**
 * Looks the word's ids up in VOCABULARY as it is now. WordInfo objects are cached (WORDS, and VADER's tokens via
 * TokenFacts), so when a lazily built index adds words, TextWords.push calls this again rather than trust an old
 * NO_WORD.
 */
function refreshIds(info: WordInfo): void {
  const { key, folded } = info;
  const id = VOCABULARY.idOf(key);
  const foldedId = folded === key ? id : VOCABULARY.idOf(folded);
  info.id = id;
  info.foldedId = foldedId;
  info.startsRule = startsRule(key, id);
  info.foldedStartsRule = folded === key ? info.startsRule : startsRule(folded, foldedId);
  info.startsEnglishPhrase = EN_INDEX.trie.startsPhrase(id) ? 1 : 0;
  const vi = viIndexes;
  info.startsVietnamesePhrase = vi !== null && vi.written.trie.startsPhrase(id) ? 1 : 0;
  info.foldedStartsVietnamesePhrase = vi !== null && vi.folded.trie.startsPhrase(foldedId) ? 1 : 0;
  info.generation = lexiconGeneration();
}

/** Room for this many words in a new TextWords (they grow, doubling, for longer texts). */
const INITIAL_WORDS = 256;

/** `array`, or a copy with room for at least `size` entries (the scratch arrays below only grow). */
function withRoom(array: Int32Array, size: number): Int32Array {
  if (array.length >= size) return array;
  const grown = new Int32Array(Math.max(size, 2 * array.length));
  grown.set(array);
  return grown;
}

/** Word positions where a phrase of one index may start, in text order (the others start none). */
class PhraseStarts {
  at: Int32Array = new Int32Array(INITIAL_WORDS);
  count = 0;

  reserve(size: number): void {
    this.at = withRoom(this.at, size);
    this.count = 0;
  }
}

/** The comparison keys of a text's words (as written, or folded), their vocabulary ids, and where rules may start. */
class KeyIds {
  readonly keys: string[] = [];
  /** VOCABULARY id of each key, or NO_WORD for words in no list. */
  ids: Int32Array = new Int32Array(INITIAL_WORDS);
  /** Words starting with a digit or a rule word: found while looking ids up, so rules need no pass of their own. */
  ruleStarts: Int32Array = new Int32Array(INITIAL_WORDS);
  ruleCount = 0;

  reserve(size: number): void {
    this.ids = withRoom(this.ids, size);
    this.ruleStarts = withRoom(this.ruleStarts, size);
    this.ruleCount = 0;
  }
}

/**
 * The word tokens of a text: what the word table knows of each (WordInfo), their offsets, so evidence quotes the
 * words as written, and their keys and ids. The arrays are kept from text to text and only the first `count`
 * entries are this text's: scanning is synchronous and needs them only until it returns, and filling kept arrays
 * allocates nothing per text (fresh arrays grown by push cost more than the lookups they hold).
 */
class TextWords {
  /** The text evidence is quoted from. */
  text = '';
  count = 0;
  readonly words: WordInfo[] = [];
  starts: Int32Array = new Int32Array(INITIAL_WORDS);
  ends: Int32Array = new Int32Array(INITIAL_WORDS);
  /** Keys as written (WordInfo.key) and folded (WordInfo.folded: filled by `fold`, for Vietnamese and Romance). */
  readonly written = new KeyIds();
  readonly folded = new KeyIds();
  /** Where phrases of EN_INDEX may start, and (filled by `fold`) of the Vietnamese indexes. */
  readonly englishStarts = new PhraseStarts();
  readonly vietnameseStarts = new PhraseStarts();
  readonly foldedVietnameseStarts = new PhraseStarts();
  /** lexiconGeneration() while the words are looked up (a word's ids are refreshed when theirs is older). */
  private generation = 0;

  /** Starts over on `text`, with room for `size` words. */
  reset(text: string, size: number): void {
    this.text = text;
    this.count = 0;
    this.starts = withRoom(this.starts, size);
    this.ends = withRoom(this.ends, size);
    this.written.reserve(size);
    this.englishStarts.reserve(size);
    this.generation = lexiconGeneration();
  }

  /** Appends a word at text[start, end), with its key and id as written. */
  push(info: WordInfo, start: number, end: number): void {
    if (info.generation !== this.generation) refreshIds(info);
    const n = this.count++;
    this.words[n] = info;
    this.starts[n] = start;
    this.ends[n] = end;
    const written = this.written;
    written.keys[n] = info.key;
    written.ids[n] = info.id;
    if (info.startsRule) written.ruleStarts[written.ruleCount++] = n;
    // Written in any case, kept only when a phrase starts there: no branch for the processor to mispredict.
    const english = this.englishStarts;
    english.at[english.count] = n;
    english.count += info.startsEnglishPhrase;
  }

  /** Fills the folded keys, ids and rule starts, and where Vietnamese phrases may start, from the words. */
  fold(): void {
    const folded = this.folded;
    const vietnamese = this.vietnameseStarts;
    const foldedVietnamese = this.foldedVietnameseStarts;
    folded.reserve(this.count);
    vietnamese.reserve(this.count);
    foldedVietnamese.reserve(this.count);
    for (let n = 0; n < this.count; n++) {
      const info = this.words[n];
      folded.keys[n] = info.folded;
      folded.ids[n] = info.foldedId;
      if (info.foldedStartsRule) folded.ruleStarts[folded.ruleCount++] = n;
      vietnamese.at[vietnamese.count] = n;
      vietnamese.count += info.startsVietnamesePhrase;
      foldedVietnamese.at[foldedVietnamese.count] = n;
      foldedVietnamese.count += info.foldedStartsVietnamesePhrase;
    }
  }
}

/** The words of the text being scanned (see TextWords). */
const TEXT_WORDS = new TextWords();

/**
 * The most words a text of `length` code units can hold: words are separated by at least one character that is
 * not part of a word.
 */
function maxWords(length: number): number {
  return (length >> 1) + 1;
}

/**
 * What the word table knows of the word at text[start, end), hashed to `hash` as a lower-cased word. With
 * `asciiLowerCase`, the text is ASCII as written (not lower-cased): the table compares A-Z as a-z.
 */
function wordAt(
  text: string,
  start: number,
  end: number,
  hash: number,
  hasApostrophe: boolean,
  asciiLowerCase: boolean,
): WordInfo {
  let info = WORDS.get(text, start, end, hash, asciiLowerCase);
  if (info === undefined) {
    const word = asciiLowerCase ? text.slice(start, end).toLowerCase() : text.slice(start, end);
    info = wordInfo(word, hasApostrophe);
    WORDS.set(word, hash, info);
  }
  return info;
}

/**
 * Where a shouted word or a signal may start in a text, and whether it asks something, as an ASCII tokenizing
 * pass finds them: the scans from there (CAPS_RE, SIGNAL_RE) then need no pre-test of their own.
 */
interface TextFacts {
  /** First index of three capitals (A-Z) in a row, where CAPS_CANDIDATE matches; text.length if nowhere. */
  capsFrom: number;
  /** First index of a '!', '#' or '@' (where SIGNAL_START matches in ASCII text); text.length if nowhere. */
  signalFrom: number;
  hasQuestion: boolean;
  /** For a text read from VADER's tokens: the first token with a shouted word or a signal (their count if none). */
  loudTokenFrom: number;
}
const TEXT_FACTS: TextFacts = { capsFrom: 0, signalFrom: 0, hasQuestion: false, loudTokenFrom: 0 };

/**
 * Splits an all-ASCII text into word tokens (apostrophes inside words kept in quotes, dropped from keys) in one
 * pass over it as written: A-Z are lower-cased as they are hashed, so the text is not lower-cased first, and the
 * same pass notes the facts the shouting and signal scans start from (TEXT_FACTS). Returns false, with `target`
 * half filled, at the first code unit beyond ASCII.
 */
function tokenizeAscii(target: TextWords, text: string): boolean {
  const length = text.length;
  target.reset(text, maxWords(length));
  let capsFrom = -1;
  let signalFrom = -1;
  let hasQuestion = false;
  let capitals = 0;
  let i = 0;
  while (i < length) {
    let code = text.charCodeAt(i);
    if (code >= 0x80) return false;
    if (WORD_CHAR_CACHE[code] !== 1) {
      capitals = 0;
      if (code === EXCLAMATION_CODE || code === HASH_CODE || code === AT_CODE) {
        if (signalFrom < 0) signalFrom = i;
      } else if (code === QUESTION_CODE) hasQuestion = true;
      i++;
      continue;
    }
    const start = i;
    let hash = HASH_SEED;
    let hasApostrophe = false;
    for (; i < length; i++) {
      code = text.charCodeAt(i);
      if (code < 0x80 && WORD_CHAR_CACHE[code] === 1) {
        if (code >= 65 && code <= 90) {
          code += 32;
          if (++capitals === 3 && capsFrom < 0) capsFrom = i - 2;
        } else capitals = 0;
        hash = hashStep(hash, code);
        continue;
      }
      // An apostrophe between two word characters stays inside the word ("don't").
      if (code === APOSTROPHE_CODE && i + 1 < length && isAsciiWordChar(text.charCodeAt(i + 1))) {
        hasApostrophe = true;
        capitals = 0;
        hash = hashStep(hash, code);
        continue;
      }
      break;
    }
    target.push(wordAt(text, start, i, finishHash(hash), hasApostrophe, true), start, i);
  }
  TEXT_FACTS.capsFrom = capsFrom < 0 ? length : capsFrom;
  TEXT_FACTS.signalFrom = signalFrom < 0 ? length : signalFrom;
  TEXT_FACTS.hasQuestion = hasQuestion;
  return true;
}

function isAsciiWordChar(code: number): boolean {
  return code < 0x80 && WORD_CHAR_CACHE[code] === 1;
}

/**
 * Splits any text into word tokens like tokenizeAscii, from its lower case (words of any script), hashing each
 * word as it reads it, so a word seen before is found in WORDS without being cut out.
 */
function tokenizeLowerCase(target: TextWords, text: string): void {
  const lower = text.toLowerCase();
  // Lower-casing can change the length of a few exotic characters; then quote the lower-cased text instead.
  const length = lower.length;
  target.reset(length === text.length ? text : lower, maxWords(length));
  let i = 0;
  while (i < length) {
    let code = lower.charCodeAt(i);
    if (!isWordChar(lower, code, i)) {
      i++;
      continue;
    }
    const start = i;
    let hash = hashStep(HASH_SEED, code);
    let hasApostrophe = false;
    for (i++; i < length; i++) {
      code = lower.charCodeAt(i);
      if (isWordChar(lower, code, i)) {
        hash = hashStep(hash, code);
        continue;
      }
      // An apostrophe between two word characters stays inside the word ("don't").
      const isApostrophe = code === APOSTROPHE_CODE || code === RIGHT_QUOTE_CODE;
      if (isApostrophe && i + 1 < length && isWordChar(lower, lower.charCodeAt(i + 1), i + 1)) {
        hasApostrophe = true;
        hash = hashStep(hash, code);
        continue;
      }
      break;
    }
    target.push(wordAt(lower, start, i, finishHash(hash), hasApostrophe, false), start, i);
  }
}

/**
 * The words of a text VADER did not read: ASCII in one pass (with its facts), anything else in one Unicode form,
 * so words typed with combining accents match the phrases (written in NFC), and with the facts found by regex.
 */
function tokenizeText(target: TextWords, text: string): void {
  if (tokenizeAscii(target, text)) return;
  tokenizeLowerCase(target, NON_ASCII.test(text) ? text.normalize('NFC') : text);
  TEXT_FACTS.capsFrom = shoutingFrom(text, searchOrEnd(text, CAPS_CANDIDATE));
  TEXT_FACTS.signalFrom = searchOrEnd(text, SIGNAL_START);
  TEXT_FACTS.hasQuestion = text.includes('?');
}

/**
 * Whether each code unit may be part of a capital letter (\p{Lu}), for shoutingFrom: 1 yes, 2 no, 0 not known
 * yet. Filled on first use by one regex test per code unit outside the surrogates; a high surrogate may start an
 * astral capital (mathematical letters, Deseret...) unless it is one of the emoji and symbol planes' (U+1F000 and
 * up: D83C-D83E, where nothing is \p{Lu}), and a low surrogate counts only after a high one that does.
 */
const UPPER_CACHE = new Uint8Array(0x10000);
const IS_UPPER = /\p{Lu}/u;
const EMOJI_HIGH_SURROGATES = [0xd83c, 0xd83e] as const;

function mayBeUpper(text: string, code: number, at: number): boolean {
  let known = UPPER_CACHE[code];
  if (known === 0) {
    const upper =
      code >= 0xd800 && code <= 0xdbff
        ? code < EMOJI_HIGH_SURROGATES[0] || code > EMOJI_HIGH_SURROGATES[1]
        : IS_UPPER.test(text[at]);
    known = UPPER_CACHE[code] = upper ? 1 : 2;
  }
  return known === 1;
}

/**
 * Where a shouted word may start in a text that is not all ASCII, from `from` (where CAPS_CANDIDATE found three
 * code units that are A-Z or beyond ASCII): the first three code units in a row that may belong to capitals. Most
 * such texts have none (Vietnamese "được" is three code units beyond ASCII, not one capital), and CAPS_RE would
 * otherwise try every position from the first candidate to the end of the text. Never later than a match.
 */
function shoutingFrom(text: string, from: number): number {
  let run = 0;
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const low = code >= 0xdc00 && code <= 0xdfff;
    if (low ? run > 0 : mayBeUpper(text, code, i)) {
      if (++run === 3) return i - 2;
    } else run = 0;
  }
  return text.length;
}

/** Index of the first match of a (non-global) pattern, or text.length when there is none. */
function searchOrEnd(text: string, pattern: RegExp): number {
  const at = text.search(pattern);
  return at < 0 ? text.length : at;
}

/** What the scanner works out once per distinct whitespace-separated token of an ASCII text (see below). */
interface TokenFacts {
  /**
   * The token's only word and its offsets within the token, when it has one word (most tokens): read without
   * going through the arrays below. Null when it has none or several.
   */
  word: WordInfo | null;
  wordStart: number;
  wordEnd: number;
  /** The token's words, and their offsets within the token. */
  words: WordInfo[];
  starts: Int32Array;
  ends: Int32Array;
  /** CAPS_RE and SIGNAL_RE matches in the token, in order (null: none), and whether there is any. */
  shouted: string[] | null;
  signals: string[] | null;
  loud: boolean;
}

/** Scratch for splitting one token into words. */
const TOKEN_WORDS = new TextWords();

function tokenFacts(token: string): TokenFacts {
  tokenizeAscii(TOKEN_WORDS, token);
  const count = TOKEN_WORDS.count;
  const one = count === 1;
  // Neither a shouted word nor a signal spans whitespace, and both regexes read whitespace (or the start and the
  // end of the text) around a token alike: the matches in the text are those of its tokens, in turn.
  const shouted = TEXT_FACTS.capsFrom < token.length ? token.match(CAPS_RE) : null;
  const signals = TEXT_FACTS.signalFrom < token.length ? token.match(SIGNAL_RE) : null;
  return {
    word: one ? TOKEN_WORDS.words[0] : null,
    wordStart: one ? TOKEN_WORDS.starts[0] : 0,
    wordEnd: one ? TOKEN_WORDS.ends[0] : 0,
    words: TOKEN_WORDS.words.slice(0, count),
    starts: TOKEN_WORDS.starts.slice(0, count),
    ends: TOKEN_WORDS.ends.slice(0, count),
    shouted,
    signals,
    loud: shouted !== null || signals !== null,
  };
}

/**
 * The words of an ASCII text from its whitespace-separated tokens (VADER's, when it read this text last): words
 * never span whitespace, so the words of the text are the words of each token in turn, and each distinct token is
 * split into words once (kept in its `derived` slot, with its shouted words and signals). Returns the tokens, or
 * null (and fills nothing) when VADER did not read this text, or it is not all ASCII.
 */
function wordsFromWhitespaceTokens(target: TextWords, text: string): WhitespaceTokens | null {
  const shared = whitespaceTokensOf(text);
  if (shared === null || !shared.ascii) return null;
  target.reset(text, maxWords(text.length));
  let loudTokenFrom = shared.count;
  for (let t = 0; t < shared.count; t++) {
    const token = shared.tokens[t];
    let facts = token.derived as TokenFacts | undefined;
    if (facts === undefined) {
      facts = tokenFacts(text.slice(shared.starts[t], shared.ends[t]));
      token.derived = facts;
    }
    if (facts.loud && loudTokenFrom > t) loudTokenFrom = t;
    const offset = shared.starts[t];
    const word = facts.word;
    if (word !== null) target.push(word, offset + facts.wordStart, offset + facts.wordEnd);
    else {
      const words = facts.words;
      for (let k = 0; k < words.length; k++) target.push(words[k], offset + facts.starts[k], offset + facts.ends[k]);
    }
  }
  TEXT_FACTS.loudTokenFrom = loudTokenFrom;
  return shared;
}

function quote(tokens: TextWords, from: number, count: number): string {
  return tokens.text.slice(tokens.starts[from], tokens.ends[from + count - 1]);
}

/**
 * Finds, at each token position, the longest phrase of each family starting there. A family's phrases do not
 * overlap each other ("is broken" is not also counted as "broken"), but different families may share words.
 */
function matchPhrases(
  index: PhraseIndex,
  { keys, ids }: KeyIds,
  starts: PhraseStarts | null,
  tokens: TextWords,
  acc: Accumulators,
  vietnamese = false,
): void {
  const covered = acc.coveredUntil;
  const written = tokens.written.keys;
  const count = tokens.count;
  const { trie, familyAt, weightAt, writtenAt } = index;
  // Only the positions where a phrase may start (all of them without `starts`), in text order.
  const positions = starts === null ? count : starts.count;
  for (let p = 0; p < positions; p++) {
    const i = starts === null ? p : starts.at[p];
    // The phrases on the walked path are those that match at i; they are tried longest first.
    const depth = trie.walk(ids, i, count);
    position: for (let d = depth - 1; d >= 0; d--) {
      const n = d + 1;
      const to = trie.endsTo(d);
      for (let e = trie.endsFrom(d); e < to; e++) {
        const family = familyAt[e];
        if (covered[family] > i) continue;
        // Folded phrases match words written without diacritics: "phần hơi" is not "phản hồi", "tiện" not "tiền".
        if (keys !== written && writtenAt[e].length > 0 && !writtenAlike(written, keys, writtenAt[e], i)) continue;
        if (family === NOT_NEGATIVE) {
          for (let f = 0; f < FAMILY_COUNT; f++) covered[f] = Math.max(covered[f], i + n);
          break position;
        }
        covered[family] = i + n;
        // Zero-weight phrases only hide their words from the family ("thanks for nothing" is no gratitude), and
        // negated praise ("never fixed my issue", "không hài lòng") is no satisfaction.
        const weight = weightAt[e];
        if (weight === 0) continue;
        if (family === SATISFACTION && i > 0 && NEGATORS.has(keys[i - 1])) continue;
        // "không bị lỗi gì", "chưa thấy lag", "không làm mình thất vọng": a negated fault is no fault.
        if (vietnamese && NEGATABLE[family] === 1 && negatedInClause(written, tokens, i)) continue;
        acc.add(family, weight, quote(tokens, i, n));
      }
    }
  }
}

/** Each word at i.. was typed without diacritics (folding left it as it was) or exactly as the phrase writes it. */
function writtenAlike(written: string[], folded: string[], phrase: string[], i: number): boolean {
  for (let k = 0; k < phrase.length; k++) {
    const word = written[i + k];
    if (word !== folded[i + k] && word !== phrase[k]) return false;
  }
  return true;
}

/** Families whose Vietnamese phrases a negation before them cancels (by FAMILIES index). */
const NEGATABLE = new Uint8Array(FAMILY_COUNT);
for (const family of ['problem', 'expectationGap', 'effort', 'emotion', 'amplification', 'verdict'] as const) {
  NEGATABLE[familyIndex(family)] = 1;
}
/** Vietnamese negators as written, teencode included; "khỏi"/"miễn" (no need to) and "hết" (no more) too. */
const VI_NEGATORS = new Set([
  'không',
  'khong',
  'ko',
  'k',
  'kh',
  'kg',
  'khg',
  'hok',
  'hk',
  'hông',
  'hổng',
  'chưa',
  'chua',
  'chx',
  'chẳng',
  'chang',
  'chả',
  'khỏi',
  'miễn',
  'hết',
  'đỡ',
  'ít',
]);
/** How many words before a phrase a Vietnamese negator may stand ("không thấy bị lỗi"). */
const VI_NEGATION_LOOKBACK = 5;
/** "không biết", "không hiểu sao": a negator before these is about the writer's knowledge, not the fault. */
const VI_NOT_KNOWING = new Set(['biết', 'biet', 'bik', 'hiểu', 'hieu', 'rõ', 'nhớ', 'bt', 'kb', 'ngờ']);
/** Whether text[from, to) holds a clause break: . , ; : ! ? newline or … (read in place, nothing sliced). */
function hasClauseBreak(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const code = text.charCodeAt(k);
    if (code === 46 || code === 44 || code === 59 || code === 58 || code === 33 || code === 63) return true;
    if (code === 10 || code === 0x2026) return true;
  }
  return false;
}

/** Whether a negator stands shortly before token i, in the same clause. */
function negatedInClause(written: string[], tokens: TextWords, i: number): boolean {
  const from = Math.max(0, i - VI_NEGATION_LOOKBACK);
  for (let j = i - 1; j >= from; j--) {
    if (hasClauseBreak(tokens.text, tokens.ends[j], tokens.starts[j + 1])) return false;
    if (VI_NEGATORS.has(written[j])) return !VI_NOT_KNOWING.has(written[j + 1]);
  }
  return false;
}

/**
 * The rules that phrase lists cannot express, in one pass over the tokens: numbers with units ("waited 3 hours",
 * "5th call", "Day 5"), money paid ("paid $1200") and "nobody ... answered". Works on folded keys for Vietnamese:
 * the English rule words are ASCII, so folding leaves them unchanged.
 */
function matchRules(tokenIds: KeyIds, tokens: TextWords, acc: Accumulators): void {
  const { keys, ruleStarts, ruleCount } = tokenIds;
  for (let r = 0; r < ruleCount; r++) {
    const i = ruleStarts[r];
    const first = keys[i].charCodeAt(0);
    if (first >= 48 && first <= 57) matchNumber(keys, tokens, i, acc);
    else if (NUMBER_WORDS.has(keys[i])) matchNumberWord(keys, tokens, i, acc);
    else matchNobodyAnswered(keys, tokens, i, acc);
  }
}

/** A token of digits: an ordinal attempt, an amount paid, a day count, or a count of time units. */
function matchNumber(keys: string[], tokens: TextWords, i: number, acc: Accumulators): void {
  const key = keys[i];
  const hasNext = i + 1 < tokens.count;
  // Digits, then nothing (a count) or an ordinal's suffix ("3rd"); anything else is no number ("5am", "ac5866").
  const digits = leadingDigits(key);
  if (digits < key.length) {
    if (key.length !== digits + 2 || !ORDINAL_SUFFIXES.has(key.slice(digits))) return;
    if (hasNext && REPEAT_NOUNS.has(keys[i + 1]) && Number(key.slice(0, digits)) >= 2) {
      acc.add(EFFORT, 0.9, quote(tokens, i, 2));
    }
    return;
  }
  if (i > 0) {
    matchMoneyPaid(keys, tokens, i, acc);
    // "Day 5 of no internet", "week 3 and still waiting": counting the days of a failure is counting the cost.
    const counter = DAY_COUNTERS.get(keys[i - 1]);
    if (counter !== undefined && Number(key) >= 2 && countsAFailure(keys, tokens.count, i + 1)) {
      acc.add(EFFORT, counter, quote(tokens, i - 1, 2));
    }
  }
  if (!hasNext || Number(key) < 2) return;
  const weight = TIME_UNITS.get(keys[i + 1]);
  if (weight === undefined) return;
  if (VI_TIME_UNITS.has(keys[i + 1]) && !waitedFor(tokens.written.keys, i)) return;
  acc.add(EFFORT, weight, quote(tokens, i, 2));
}

/** Vietnamese time units (folded). */
const VI_TIME_UNITS = new Set(['gio', 'tieng', 'ngay', 'tuan', 'thang', 'lan', 'hom']);
/**
 * Words before "<number> <unit>" that make the time a cost in Vietnamese: "chờ 3 ngày", "gọi 5 lần", "gửi bảo
 * hành 2 tuần". Without one the time is how long the writer has used the product ("dùng được 2 tháng").
 */
const VI_WAIT_WORDS = new Set([
  ...['chờ', 'đợi', 'mất', 'gọi', 'nhắn', 'giao', 'ship', 'trễ', 'muộn', 'đổi', 'sửa', 'gửi'],
  ...['khiếu', 'phản', 'đem', 'mang', 'hẹn', 'delay', 'hoãn', 'treo', 'kẹt', 'xếp', 'doi', 'mat', 'goi'],
  ...['nhan', 'tre', 'muon', 'sua', 'gui', 'hen', 'hoan'],
]);
const VI_WAIT_LOOKBACK = 4;

/** "mất khoảng hai tiếng" (takes about two hours) is a duration, not time lost: an estimate describes. */
const VI_ESTIMATES = new Set(['khoảng', 'tầm', 'chừng', 'độ', 'khoang', 'tam', 'chung']);

function waitedFor(written: string[], i: number): boolean {
  for (let j = i - 1; j >= Math.max(0, i - VI_WAIT_LOOKBACK); j--) {
    if (!VI_WAIT_WORDS.has(written[j])) continue;
    const takes = written[j] === 'mất' || written[j] === 'mat';
    return !(takes && j < i - 1 && VI_ESTIMATES.has(written[i - 1]));
  }
  return false;
}

/** "three hours", "several times", "mấy ngày". */
function matchNumberWord(keys: string[], tokens: TextWords, i: number, acc: Accumulators): void {
  if (i + 1 === tokens.count) return;
  const weight = TIME_UNITS.get(keys[i + 1]);
  if (weight === undefined) return;
  if (VI_TIME_UNITS.has(keys[i + 1])) {
    // "máy ngày" (a phone a day) is no "mấy ngày"; and as with digits, only time spent waiting is effort.
    const written = tokens.written.keys[i];
    if (written !== keys[i] && !VI_NUMBER_WORDS.has(written)) return;
    if (!waitedFor(tokens.written.keys, i)) return;
  }
  acc.add(EFFORT, weight, quote(tokens, i, 2));
}

/** The Vietnamese number words as written with diacritics. */
const VI_NUMBER_WORDS = new Set(['hai', 'ba', 'bốn', 'năm', 'mấy', 'nhiều']);

/** Words before an amount that say the writer spent it ("paid $1200", "spent over 300 dollars"). */
const PAID_WORDS = new Set([
  'paid',
  'spent',
  'paying',
  'pay',
  'spend',
  'spending',
  // Vietnamese, folded: mua (buy), trả (pay), tốn (cost); "giá 5 triệu" is a price, not money spent
  'mua',
  'tra',
  'ton',
]);
/** Words after a number that make it an amount of money (Vietnamese folded: triệu, nghìn, ngàn, đồng). */
const MONEY_UNITS = new Set([
  'dollars',
  'bucks',
  'usd',
  'euros',
  'eur',
  'pounds',
  'quid',
  'gbp',
  'vnd',
  'k',
  'trieu',
  'nghin',
  'ngan',
  'dong',
]);
const CURRENCY_SIGNS = '$£€¥₫';
/**
 * Expectation gap of money spent: a big amount ("$1200", "$1,200", millions of đồng) raises the bar more than a
 * small one.
 */
const PAID_BIG_AMOUNT = 0.9;
const PAID_SMALL_AMOUNT = 0.6;
const BIG_AMOUNT = 100;

/** "paid $1200", "spent over 300 dollars": the writer says what it cost, so expectations were high. */
function matchMoneyPaid(keys: string[], tokens: TextWords, i: number, acc: Accumulators): void {
  const paidAt = PAID_WORDS.has(keys[i - 1]) ? i - 1 : i > 1 && PAID_WORDS.has(keys[i - 2]) ? i - 2 : -1;
  if (paidAt < 0) return;
  const before = tokens.text[tokens.starts[i] - 1];
  const unitAfter = i + 1 < tokens.count && MONEY_UNITS.has(keys[i + 1]);
  if (!unitAfter && (before === undefined || !CURRENCY_SIGNS.includes(before))) return;
  // A thousands separator right after the digits ("$1,200") makes it a big amount whatever the first group says.
  const big =
    Number(keys[i]) >= BIG_AMOUNT || tokens.text[tokens.ends[i]] === ',' || (unitAfter && keys[i + 1] === 'trieu');
  const last = unitAfter ? i + 1 : i;
  acc.add(EXPECTATION_GAP, big ? PAID_BIG_AMOUNT : PAID_SMALL_AMOUNT, quote(tokens, paidAt, last - paidAt + 1));
}

/** "Day 5", "week 3": weight of the effort of counting by each unit. */
const DAY_COUNTERS = new Map([
  ['day', 0.8],
  ['week', 0.9],
  ['month', 1],
]);

/** Whether the words after "Day 5" say what is missing: "of no", "of waiting", "without", "and still". */
function countsAFailure(keys: string[], count: number, at: number): boolean {
  const next = at < count ? keys[at] : undefined;
  const after = at + 1 < count ? keys[at + 1] : undefined;
  if (next === 'of') return after === 'no' || after === 'waiting' || after === 'being';
  if (next === 'and') return after === 'still' || after === 'no';
  return next === 'without' || next === 'still' || next === 'no';
}

/** Who did not answer: "nobody", "no one" (two tokens), "noone", or "never" (as in "never got a reply"). */
const NOBODY_WORDS = new Set(['nobody', 'noone', 'never']);
/**
 * Words that start a rule other than a digit: number words, and who did not answer ("no" as in "no one"), by
 * vocabulary id (interned here, so they have ids below STARTS_RULE.length; words a lazy index adds later start none).
 */
const RULE_WORD_IDS = [...NUMBER_WORDS, ...NOBODY_WORDS, 'no'].map((word) => VOCABULARY.intern(word));
const STARTS_RULE = new Uint8Array(VOCABULARY.size);
for (const id of RULE_WORD_IDS) STARTS_RULE[id] = 1;
/** Answering verbs and nouns, and how strongly "nobody ... <word>" says a question went unanswered. */
const ANSWER_WORDS = new Map([
  ['reply', 0.9],
  ['replies', 0.9],
  ['replied', 0.9],
  ['respond', 0.9],
  ['responds', 0.9],
  ['responded', 0.9],
  ['response', 0.9],
  ['answer', 0.9],
  ['answers', 0.9],
  ['answered', 0.9],
  ['callback', 0.9],
  ['acknowledged', 0.8],
  ['help', 0.5],
  ['helps', 0.5],
  ['helped', 0.5],
]);
/** How many tokens after "nobody" the answering word may come ("nobody from customer service responds"). */
const ANSWER_WINDOW = 5;

/**
 * "nobody could help", "no one ever replies to my emails", "never got a reply": the phrase lists cannot hold every
 * word in between, so an answering word shortly after "nobody" counts as unanswered.
 */
function matchNobodyAnswered(keys: string[], tokens: TextWords, i: number, acc: Accumulators): void {
  const key = keys[i];
  let from = i;
  if (key === 'no') {
    if (i + 1 === tokens.count || keys[i + 1] !== 'one') return;
    from = i + 1;
  } else if (!NOBODY_WORDS.has(key)) return;
  const until = Math.min(tokens.count, from + 1 + ANSWER_WINDOW);
  for (let k = from + 1; k < until; k++) {
    const weight = ANSWER_WORDS.get(keys[k]);
    if (weight === undefined) continue;
    // "never" only with the answering word close by ("never got a reply"), not "never needed help".
    if (key === 'never' && (weight < 0.9 || k - from > 3)) return;
    acc.add(UNANSWERED, weight, quote(tokens, i, k - i + 1));
    return;
  }
}

export interface TextScan {
  signals: TextSignals;
  intensity: FamilyHits;
  tags: FamilyHits;
  hasQuestion: boolean;
}

/** Lexical scan of a text: phrase families, shouting, exclamations, emoji, tags and hashtags. */
export function scanText(rawText: string, language: string): TextScan {
  const text = rawText.length > MAX_CUE_TEXT_CHARS ? rawText.slice(0, MAX_CUE_TEXT_CHARS) : rawText;
  const acc = scratch;
  acc.reset();
  // The indexes this text needs exist before its words' ids are looked up (building one adds words to VOCABULARY).
  const vi = language === 'en' ? null : vietnameseIndexes();
  const romance = isRomance(language) ? romanceIndex(language) : null;
  // ASCII text that VADER has just read takes its words from VADER's tokens.
  const tokens = TEXT_WORDS;
  const shared = wordsFromWhitespaceTokens(tokens, text);
  if (shared === null) tokenizeText(tokens, text);

  // Each key is looked up once in the vocabulary of every phrase index.
  matchPhrases(EN_INDEX, tokens.written, tokens.englishStarts, tokens, acc);
  let ruleKeys = tokens.written;
  if (vi !== null) {
    // Vietnamese (or unknown): also look for Vietnamese phrases, with and without diacritics.
    tokens.fold();
    acc.coveredUntil.fill(0);
    matchPhrases(vi.written, tokens.written, tokens.vietnameseStarts, tokens, acc, true);
    matchPhrases(vi.folded, tokens.folded, tokens.foldedVietnameseStarts, tokens, acc, true);
    if (romance !== null) {
      acc.coveredUntil.fill(0);
      matchPhrases(romance, tokens.folded, null, tokens, acc);
    }
    ruleKeys = tokens.folded;
  }
  matchRules(ruleKeys, tokens, acc);

  // Intensity: shouted words, "!!", angry emoji, and profanity (shouting in words); tags: @mentions.
  const loudness = new Loudness();
  if (shared !== null) loudnessOfTokens(shared, loudness, acc);
  else loudnessOfText(text, loudness, acc);
  loudness.addProfanity(acc);

  const signals = signalsOf(acc);
  return {
    signals,
    intensity: { strength: round3(1 - loudness.intensity), evidence: loudness.intensityEvidence },
    tags: { strength: round3(1 - loudness.tags), evidence: loudness.tagEvidence },
    hasQuestion: shared !== null ? shared.questions > 0 : TEXT_FACTS.hasQuestion,
  };
}

/**
 * Intensity (shouted words, "!!", angry emoji, profanity) and tags (@mentions) of a text, gathered in that order:
 * what is left of each after its hits (strength 1 - left), and its evidence.
 */
class Loudness {
  intensity = 1;
  readonly intensityEvidence: string[] = [];
  tags = 1;
  readonly tagEvidence: string[] = [];
  private shoutedWords = 0;

  /** A CAPS_RE match. */
  shouted(word: string): void {
    if (CAPS_ALLOWED.has(word)) return;
    this.shoutedWords++;
    if (this.intensityEvidence.length < MAX_EVIDENCE) this.intensityEvidence.push(word);
  }

  /** After the last shouted word: many shouted words weigh more than one; one all-caps word is weak evidence. */
  endShouting(): void {
    if (this.shoutedWords > 0) this.intensity *= 1 - Math.min(0.8, 0.2 * this.shoutedWords);
  }

  /** A SIGNAL_RE match; amplifying hashtags go to the amplification family. */
  signal(signal: string, acc: Accumulators): void {
    const first = signal[0];
    if (first === '!') this.addIntensity(0.35, signal);
    else if (first === '#') {
      if (AMPLIFYING_HASHTAG.test(signal)) acc.add(AMPLIFICATION, 0.9, signal);
    } else if (first === '@') {
      this.tags *= 1 - TAG_WEIGHT;
      if (this.tagEvidence.length < MAX_EVIDENCE) this.tagEvidence.push(signal);
    } else this.addIntensity(0.6, signal);
  }

  addProfanity(acc: Accumulators): void {
    if (!(acc.remaining[PROFANITY] < 1)) return;
    this.intensity *= acc.remaining[PROFANITY];
    for (const word of acc.evidence[PROFANITY] ?? NO_EVIDENCE)
      if (this.intensityEvidence.length < MAX_EVIDENCE) this.intensityEvidence.push(word);
  }

  private addIntensity(weight: number, evidence: string): void {
    this.intensity *= 1 - weight;
    if (this.intensityEvidence.length < MAX_EVIDENCE) this.intensityEvidence.push(evidence);
  }
}

/** Shouting and signals of a text read from VADER's tokens: the matches each distinct token holds (TokenFacts). */
function loudnessOfTokens(shared: WhitespaceTokens, loudness: Loudness, acc: Accumulators): void {
  // Most texts have neither: then the tokens are not read again.
  const from = TEXT_FACTS.loudTokenFrom;
  let anySignal = false;
  for (let t = from; t < shared.count; t++) {
    const facts = shared.tokens[t].derived as TokenFacts;
    if (facts.shouted !== null) for (const word of facts.shouted) loudness.shouted(word);
    if (facts.signals !== null) anySignal = true;
  }
  loudness.endShouting();
  if (!anySignal) return;
  for (let t = from; t < shared.count; t++) {
    const signals = (shared.tokens[t].derived as TokenFacts).signals;
    if (signals !== null) for (const signal of signals) loudness.signal(signal, acc);
  }
}

/** Shouting and signals of any other text, by regex from where the tokenizer says they may start (TEXT_FACTS). */
function loudnessOfText(text: string, loudness: Loudness, acc: Accumulators): void {
  // No match can start before the first candidate (nor inside a surrogate pair: a run starts at its high half).
  const capsFrom = TEXT_FACTS.capsFrom;
  CAPS_RE.lastIndex = capsFrom;
  for (let m = capsFrom < text.length ? CAPS_RE.exec(text) : null; m !== null; m = CAPS_RE.exec(text)) {
    loudness.shouted(m[0]);
  }
  loudness.endShouting();
  const signalFrom = TEXT_FACTS.signalFrom;
  SIGNAL_RE.lastIndex = signalFrom;
  for (let m = signalFrom < text.length ? SIGNAL_RE.exec(text) : null; m !== null; m = SIGNAL_RE.exec(text)) {
    loudness.signal(m[0], acc);
  }
}

/** Hits of every family, as one object literal (one shape, built in one go; indices follow FAMILIES). */
function signalsOf(acc: Accumulators): TextSignals {
  return {
    problem: acc.hits(0),
    profanity: acc.hits(1),
    expectationGap: acc.hits(2),
    effort: acc.hits(3),
    unanswered: acc.hits(4),
    churn: acc.hits(5),
    amplification: acc.hits(6),
    emotion: acc.hits(7),
    satisfaction: acc.hits(8),
    verdict: acc.hits(9),
    hedge: acc.hits(10),
    notNegative: acc.hits(11),
    'aspect:function': acc.hits(12),
    'aspect:time': acc.hits(13),
    'aspect:appeal': acc.hits(14),
    'aspect:environment': acc.hits(15),
    'aspect:service': acc.hits(16),
    'aspect:price': acc.hits(17),
    product: acc.hits(18),
    elsewhere: acc.hits(19),
  };
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
/**
 * In Vietnamese the compound comes from our own scorer, which knows the problem words and reads hedges, lists of
 * faults and "mỗi tội" reservations: it says more than in English, where VADER misses most problem phrases.
 */
export const VI_NEGATIVITY_SHARES = { compound: 0.45, verdict: 0.4, problem: 0.15 } as const;

function negativityCue(sentiment: Sentiment, verdict: FamilyHits, problem: FamilyHits, language: string): Cue {
  const fromCompound = sentiment.compound <= NEGATIVE_COMPOUND ? -sentiment.compound : 0;
  const shares = language === 'vi' ? VI_NEGATIVITY_SHARES : NEGATIVITY_SHARES;
  const strength = round3(
    clamp01(shares.compound * fromCompound + shares.verdict * verdict.strength + shares.problem * problem.strength),
  );
  if (strength === 0) return NO_NEGATIVITY; // dropped with the other zero cues: no evidence to gather
  const evidence = [...verdict.evidence];
  for (const word of problem.evidence) if (!includesIgnoringCase(evidence, word)) evidence.push(word);
  evidence.length = Math.min(evidence.length, MAX_EVIDENCE);
  if (fromCompound > 0) evidence.push(`compound ${sentiment.compound.toFixed(2)}`);
  return { name: 'negativity', strength, evidence };
}

/** The negativity cue of a text with none (never mutated: zero cues are dropped). */
const NO_NEGATIVITY: Cue = Object.freeze({ name: 'negativity', strength: 0, evidence: NO_EVIDENCE }) as Cue;

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
  if (rating === undefined || !Number.isFinite(rating) || rating > 2.5)
    return { name: 'lowRating', strength: 0, evidence: [] };
  const strength = rating <= 1.5 ? 1 : 0.7;
  return { name: 'lowRating', strength, evidence: [`${rating}★`] };
}

/** Detects every cue on a text (title included by the caller) given its sentiment and the mention's signals. */
export function detectCues(text: string, context: CueContext): CueDetection {
  const { signals, intensity, tags, hasQuestion } = scanText(text, context.language);
  const amplification = combine(signals.amplification, tags);
  // Cues with strength > 0, in CUE_NAMES order (reach and rating only exist when the mention carries them).
  const cues: Cue[] = [];
  const negativity = negativityCue(context.sentiment, signals.verdict, signals.problem, context.language);
  if (negativity.strength > 0) cues.push(negativity);
  addLexicalCue(cues, 'intensity', intensity);
  addLexicalCue(cues, 'expectationGap', signals.expectationGap);
  addLexicalCue(cues, 'effort', signals.effort);
  addLexicalCue(cues, 'unanswered', signals.unanswered);
  addLexicalCue(cues, 'churn', signals.churn);
  addLexicalCue(cues, 'amplification', amplification);
  if (context.authorReach !== undefined || context.engagement !== undefined) {
    const reach = reachCue(context);
    if (reach.strength > 0) cues.push(reach);
  }
  if (context.rating !== undefined) {
    const lowRating = lowRatingCue(context.rating);
    if (lowRating.strength > 0) cues.push(lowRating);
  }
  return { cues, signals, hasQuestion, language: context.language };
}

function addLexicalCue(cues: Cue[], name: CueName, hits: FamilyHits): void {
  if (hits.strength > 0) cues.push({ name, strength: hits.strength, evidence: hits.evidence });
}

function combine(a: FamilyHits, b: FamilyHits): FamilyHits {
  if (b.strength === 0) return a;
  if (a.strength === 0) return b;
  const evidence = [...a.evidence, ...b.evidence].slice(0, MAX_EVIDENCE);
  return { strength: round3(1 - (1 - a.strength) * (1 - b.strength)), evidence };
}

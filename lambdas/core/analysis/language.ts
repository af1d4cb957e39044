import { VADER_LEXICON } from './vader-lexicon';
import { finishHash, HASH_SEED, hashStep, TokenTable } from './token-table';
import { WordFilter } from './word-filter';

/**
 * Language detection for routing a mention to the right scorer. Cheap signals first (a caller's hint,
 * Vietnamese letters, Vietnamese and English function words, non-Latin scripts); franc-min only when those
 * leave the question open, so English and Vietnamese never pay for trigram detection.
 */

/** ISO 639-3 (and 639-2/B) codes we map to ISO 639-1; franc answers in 639-3. */
const ISO3_TO_ISO1: Record<string, string> = {
  eng: 'en',
  vie: 'vi',
  spa: 'es',
  fra: 'fr',
  fre: 'fr',
  deu: 'de',
  ger: 'de',
  por: 'pt',
  ita: 'it',
  nld: 'nl',
  dut: 'nl',
  cat: 'ca',
  glg: 'gl',
  eus: 'eu',
  baq: 'eu',
  ron: 'ro',
  rum: 'ro',
  pol: 'pl',
  tur: 'tr',
  ind: 'id',
  zlm: 'ms',
  msa: 'ms',
  may: 'ms',
  tgl: 'tl',
  swe: 'sv',
  dan: 'da',
  nob: 'nb',
  nor: 'no',
  fin: 'fi',
  ces: 'cs',
  cze: 'cs',
  slk: 'sk',
  hun: 'hu',
  hrv: 'hr',
  bos: 'bs',
  srp: 'sr',
  rus: 'ru',
  ukr: 'uk',
  bel: 'be',
  bul: 'bg',
  kaz: 'kk',
  ell: 'el',
  gre: 'el',
  arb: 'ar',
  ara: 'ar',
  pes: 'fa',
  fas: 'fa',
  per: 'fa',
  urd: 'ur',
  heb: 'he',
  hin: 'hi',
  mar: 'mr',
  npi: 'ne',
  nep: 'ne',
  ben: 'bn',
  tam: 'ta',
  tha: 'th',
  zho: 'zh',
  chi: 'zh',
  cmn: 'zh',
  jpn: 'ja',
  kor: 'ko',
  khm: 'km',
  lao: 'lo',
  mya: 'my',
  bur: 'my',
  kat: 'ka',
  geo: 'ka',
  hye: 'hy',
  arm: 'hy',
};

/** ISO 639-1 codes accepted as hints (every code above, plus a few more). */
const ISO1_CODES = new Set([...Object.values(ISO3_TO_ISO1), 'et', 'lv', 'lt', 'sl', 'is', 'ga', 'cy', 'sw', 'af']);

/** The language codes a caller may give (CLI flags, `language` fields), sorted: shown when one is refused. */
export const KNOWN_LANGUAGE_CODES: readonly string[] = [...ISO1_CODES].sort();

const LANGUAGE_NAMES: Record<string, string> = {
  english: 'en',
  vietnamese: 'vi',
  spanish: 'es',
  french: 'fr',
  german: 'de',
  portuguese: 'pt',
  italian: 'it',
  dutch: 'nl',
};

/** franc may only answer with these Latin-script languages (others are too easily confused with them). */
const FRANC_WHITELIST = [
  'eng',
  'vie',
  'spa',
  'fra',
  'deu',
  'por',
  'ita',
  'nld',
  'ron',
  'pol',
  'tur',
  'ind',
  'zlm',
  'tgl',
  'swe',
  'ces',
  'hun',
  'hrv',
  'bos',
  'srp',
];

/** Normalises a language hint ("vi-VN", "vi_VN", "eng", "English") to ISO 639-1, or null if not usable. */
export function normalizeLanguageHint(hint: string | undefined | null): string | null {
  if (!hint) return null;
  const lower = hint.trim().toLowerCase();
  const primary = lower.split(/[-_]/)[0];
  if (primary.length === 2) return ISO1_CODES.has(primary) ? primary : null;
  if (primary.length === 3) return ISO3_TO_ISO1[primary] ?? null;
  return LANGUAGE_NAMES[lower] ?? null;
}

/** Longest text sample inspected: enough to decide, and keeps 100 KB posts cheap. */
const SAMPLE_LENGTH = 800;
/** Texts with fewer letters than this and no clear signal default to English (VADER handles emoji and emoticons). */
const SHORT_TEXT_LETTERS = 20;

// Scripts counted in one pass over the sample.
const LATIN = 0;
const CYRILLIC = 1;
const GREEK = 2;
const ARABIC = 3;
const HEBREW = 4;
const DEVANAGARI = 5;
const BENGALI = 6;
const TAMIL = 7;
const THAI = 8;
const LAO = 9;
const KHMER = 10;
const MYANMAR = 11;
const GEORGIAN = 12;
const ARMENIAN = 13;
const HANGUL = 14;
const KANA = 15;
const HAN = 16;
const SCRIPT_COUNT = 17;
const SCRIPT_LANGUAGE = [
  'und',
  'ru',
  'el',
  'ar',
  'he',
  'hi',
  'bn',
  'ta',
  'th',
  'lo',
  'km',
  'my',
  'ka',
  'hy',
  'ko',
  'ja',
  'zh',
];

function scriptOf(code: number): number {
  if (code < 0x0250) return LATIN; // callers only ask for letters
  if (code >= 0x1e00 && code <= 0x1eff) return LATIN; // Latin Extended Additional (Vietnamese)
  if (code >= 0x0400 && code <= 0x052f) return CYRILLIC;
  if (code >= 0x0370 && code <= 0x03ff) return GREEK;
  if ((code >= 0x0600 && code <= 0x06ff) || (code >= 0x0750 && code <= 0x077f)) return ARABIC;
  if (code >= 0x0590 && code <= 0x05ff) return HEBREW;
  if (code >= 0x0900 && code <= 0x097f) return DEVANAGARI;
  if (code >= 0x0980 && code <= 0x09ff) return BENGALI;
  if (code >= 0x0b80 && code <= 0x0bff) return TAMIL;
  if (code >= 0x0e00 && code <= 0x0e7f) return THAI;
  if (code >= 0x0e80 && code <= 0x0eff) return LAO;
  if (code >= 0x1780 && code <= 0x17ff) return KHMER;
  if (code >= 0x1000 && code <= 0x109f) return MYANMAR;
  if (code >= 0x10a0 && code <= 0x10ff) return GEORGIAN;
  if (code >= 0x0530 && code <= 0x058f) return ARMENIAN;
  if ((code >= 0xac00 && code <= 0xd7af) || (code >= 0x1100 && code <= 0x11ff) || (code >= 0x3130 && code <= 0x318f))
    return HANGUL;
  if (code >= 0x3040 && code <= 0x30ff) return KANA;
  if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0xf900 && code <= 0xfaff))
    return HAN;
  return -1;
}

/**
 * Letters only Vietnamese uses: ơ, ư and the precomposed Latin Extended Additional vowels (ạ ả ấ ầ ẩ ẫ ậ ắ …).
 * ă (Romanian), đ (Croatian), ĩ and ũ are weaker: counted, but not enough alone.
 */
function isVietnameseOnlyLetter(code: number): boolean {
  return (code >= 0x1ea0 && code <= 0x1ef9) || code === 0x01a1 || code === 0x01b0 || code === 0x01a0 || code === 0x01af;
}
function isVietnameseWeakLetter(code: number): boolean {
  return code === 0x0103 || code === 0x0102 || code === 0x0111 || code === 0x0110 || code === 0x0129 || code === 0x0169;
}

/** Unaccented Vietnamese words and teencode that are not (common) words in English or other Latin languages. */
const VIETNAMESE_MARKERS = new Set(
  (
    'khong ko kh dc duoc dk rat nhung nhg minh mk mik cua nay nhe nha roi lam hang mua nhu tot dep thi cung biet ' +
    'nhieu nguoi nhan giao luong hinh tien vay sp oi trong khi chua bi lai ve vao cai thay dung nhanh ngon sach ' +
    'xin luon thoi hok hem chung nen shop ship san pham loi cham hoai mn ae nv lun trc ntn cx vs ms bh'
  ).split(' '),
);
/**
 * English words that are everyday Vietnamese (code-mixing: "up slide", "check in", "order", "ship", "sale"): in a
 * text that shows Vietnamese letters or words, they are no evidence of English.
 */
const CODE_MIXED_WORDS = new Set(
  (
    'order ship shipper sale check in up slide app online booking feedback delay lag live stream story wifi load ' +
    'fake cancel crash nice support staff review deal voucher freeship cod inbox rep follow like share comment post ' +
    'team size test update fix bug hot link game level style book call video chat free ok out off top best good ' +
    'service check-in checkout refund combo menu delivery grab taxi hotline admin page fanpage'
  ).split(' '),
);
/** Markers that are also English or Romance words: they only count next to other markers. */
const WEAK_VIETNAMESE_MARKERS = new Set(['shop', 'ship', 'san', 'pham', 'hang', 'rat', 'dung', 'bi', 've', 'tot']);

/** English function words that are rare as words in other Latin-script languages ("a", "in", "no" are not). */
const ENGLISH_STOP_WORDS = new Set(
  (
    'the and of to for with from by about as is are was were be been being does did have has had you he she it ' +
    'we they him her them my your his its our their this that these those not but if so too very just can will ' +
    'would should could what which who when where why how all any some more than then out up down into after ' +
    'before again only own same get got im dont cant wont didnt doesnt isnt ive youre thats'
  ).split(' '),
);

/** Every word countWord looks up: the many words in none of its sets skip the lookups. */
const COUNTED_WORDS = new WordFilter([...VIETNAMESE_MARKERS, ...ENGLISH_STOP_WORDS, ...VADER_LEXICON.keys()], 17);

const WORD_PATTERN = /[a-z]+/g;
/**
 * Code units the letter count below may count beyond ASCII letters: everything from U+00C0 except General
 * Punctuation (’ “ — …) and surrogates (emoji), which it skips.
 */
const MAYBE_NON_ASCII_LETTER = /[\u00c0-\u1fff\u2070-\ud7ff\ue000-\uffff]/;
/** At least SHORT_TEXT_LETTERS (20) ASCII letters. */
const ENOUGH_ASCII_LETTERS = /^(?:[^A-Za-z]*[A-Za-z]){20}/;

type Franc = (text: string, options?: { only?: string[]; minLength?: number }) => string;
let franc: Franc | null = null;
function loadFranc(): Franc {
  // franc-min is ESM-only: Node 20 loads it with require(esm), jest transforms it; load on first use only.
  if (!franc) franc = (require('franc-min') as { franc: Franc }).franc;
  return franc;
}

/**
 * Letters per script of the text being detected (scratch: detection is synchronous, calls never interleave).
 * Filled only once a non-Latin letter shows up: most texts have none, and skip the clearing and the comparison.
 */
const SCRIPTS = new Array<number>(SCRIPT_COUNT).fill(0);

/**
 * Detects the language of `text` and returns an ISO 639-1 code, or `und`.
 * A valid `hint` (from the source or the caller) wins.
 */
export function detectLanguage(text: string, hint?: string): string {
  const fromHint = normalizeLanguageHint(hint);
  if (fromHint) return fromHint;
  if (!text) return 'und';

  const sample = text.length > SAMPLE_LENGTH ? text.slice(0, SAMPLE_LENGTH) : text;
  const scripts = SCRIPTS;
  let latinLetters = 0;
  let otherScripts = false;
  let letters = 0;
  let vietnameseOnly = 0;
  let vietnameseWeak = 0;
  let accentedLatin = 0;
  if (!MAYBE_NON_ASCII_LETTER.test(sample) && ENOUGH_ASCII_LETTERS.test(sample)) {
    // Only ASCII letters, and enough of them that their exact number changes no decision below: skip the count.
    letters = SHORT_TEXT_LETTERS;
    latinLetters = letters;
  } else {
    for (let i = 0; i < sample.length; i++) {
      const code = sample.charCodeAt(i);
      if (code < 0x80) {
        if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90)) {
          letters++;
          latinLetters++;
        }
        continue;
      }
      if (code < 0xc0 || (code >= 0xd800 && code <= 0xdfff)) continue;
      if (isVietnameseOnlyLetter(code)) {
        vietnameseOnly++;
        // Settled: Vietnamese letters stay at least 3% of all even if every character left is a letter (the test
        // after the count, with the most letters the count could reach: this one and all after it).
        if (vietnameseOnly >= 3 && (vietnameseOnly + vietnameseWeak) * 100 >= 3 * (letters + sample.length - i)) {
          return 'vi';
        }
      } else if (isVietnameseWeakLetter(code)) vietnameseWeak++;
      const script = scriptOf(code);
      if (script >= 0 && code !== 0xd7 && code !== 0xf7) {
        letters++;
        if (script === LATIN) {
          accentedLatin++;
          latinLetters++;
        } else {
          if (!otherScripts) scripts.fill(0);
          otherScripts = true;
          scripts[script]++;
        }
      }
    }
  }
  if (letters === 0) return sample.trim() ? 'en' : 'und';

  // Non-Latin scripts, when they outnumber Latin letters.
  let bestScript = LATIN;
  if (otherScripts) {
    scripts[LATIN] = latinLetters;
    for (let s = 1; s < SCRIPT_COUNT; s++) if (scripts[s] > scripts[bestScript]) bestScript = s;
  }
  if (bestScript !== LATIN && vietnameseOnly === 0) return nonLatinLanguage(bestScript, scripts, sample);

  // Vietnamese letters, a few percent of all letters (a name or a dish inside an English sentence is not enough).
  const vietnameseLetterShare = (vietnameseOnly + vietnameseWeak) / letters;
  if (vietnameseOnly >= 3 && vietnameseLetterShare >= 0.03) return 'vi';

  // Function words: unaccented Vietnamese and English.
  const counted = countFunctionWords(sample);
  const { words, vietnameseHits, strongVietnameseHits } = counted;
  const markedWords = vietnameseOnly + vietnameseWeak + accentedLatin > 0 ? markedVietnameseWords(sample) : 0;
  // Code-mixed words ("order", "check in", "up") are English evidence only where something else is Vietnamese.
  const looksVietnamese = vietnameseOnly + vietnameseWeak > 0 || strongVietnameseHits > 0 || markedWords > 0;
  const englishHits = looksVietnamese ? counted.englishHits - counted.codeMixedHits : counted.englishHits;
  const englishDominates = englishHits >= 2 && englishHits * 5 >= words && englishHits > vietnameseHits;
  // Vietnamese syllables written with their marks ("hôm", "mà", "chưa"): with one Vietnamese-only letter, two of
  // them and no English beyond code-mixed words make a Vietnamese sentence ("order hôm qua mà chưa ship").
  if (markedWords >= 2 && markedWords > englishHits && !englishDominates) return 'vi';
  if (markedWords === 1 && words <= 6 && englishHits === 0) return 'vi';
  const vietnameseLetters = vietnameseOnly > 0 && vietnameseLetterShare >= 0.03;
  // One accented letter decides a word or two ("Tốt"), not a longer sentence ("I met Nguyễn yesterday").
  const enoughVietnameseLetters = vietnameseOnly + vietnameseWeak >= 2 || letters < 10;
  if (vietnameseLetters && enoughVietnameseLetters && !englishDominates) return 'vi';
  if (strongVietnameseHits >= 2 && vietnameseHits > englishHits && vietnameseHits * 4 >= words) return 'vi';
  if (strongVietnameseHits >= 1 && words <= 3 && englishHits === 0) return 'vi';
  if (englishDominates) return 'en';
  if (bestScript !== LATIN) return nonLatinLanguage(bestScript, scripts, sample);
  if (letters < SHORT_TEXT_LETTERS) {
    if (englishHits > 0) return 'en';
    // Short unaccented Vietnamese ("phong nho xiu ma gia dat"): every word a Vietnamese syllable, one a marker.
    return strongVietnameseHits > 0 || looksLikeUnaccentedVietnamese(sample, counted) ? 'vi' : 'en';
  }
  // Unaccented text with English words and no Vietnamese ones: short English ("how do I file a complaint?").
  if ((englishHits >= 2 || (englishHits === 1 && words <= 5)) && vietnameseHits === 0 && accentedLatin === 0)
    return 'en';

  // Vietnamese typed without diacritics: nearly every word is a Vietnamese syllable, which few other texts are.
  if (looksLikeUnaccentedVietnamese(sample, counted)) return 'vi';

  const guess = loadFranc()(sample, { only: FRANC_WHITELIST, minLength: 10 });
  if (guess === 'und') return englishHits > 0 ? 'en' : 'und';
  const language = ISO3_TO_ISO1[guess] ?? 'und';
  if (language === 'en' || language === 'vi') return language;
  // Trigrams alone mislabel short English posts ("Stocks continue slide on Europe woes" → French), and a wrong
  // label would swap VADER for another scorer: another Latin-script language must show words of its own.
  return confirmsLanguage(language, sample, letters, englishHits) ? language : 'en';
}

/**
 * Common Vietnamese words written with their marks, none of them a word of French, Spanish or Portuguese ("là",
 * "lá" and "à" are left out): two of them make a code-mixed sentence Vietnamese ("check in lâu quá").
 */
const MARKED_VIETNAMESE_WORDS = new Set(
  (
    'không được và có của này đã rất quá lâu mà với thì cũng nhưng bị hàng mình tôi bạn rồi nữa nè nhé ạ vậy gì ' +
    'lại mới chưa đâu lắm hơn về để đi lên xuống hôm mấy những các một người cái máy đơn tiền giá ngày lần tốt ' +
    'đẹp xấu chậm nhanh ơi luôn thôi nhiều ít vì nên sẽ đang vẫn còn hết thấy biết làm dùng bán nói hỏi đó ấy ' +
    'đây ở trên dưới chỗ giờ tiếng phút đặt nhận gửi xong lỗi hủy huỷ ok'
  ).split(' '),
);
const MARKED_WORD = /\p{L}+/gu;

function markedVietnameseWords(sample: string): number {
  let hits = 0;
  for (const word of sample.toLowerCase().normalize('NFC').match(MARKED_WORD) ?? []) {
    if (MARKED_VIETNAMESE_WORDS.has(word) && /[^a-z]/.test(word)) hits++;
  }
  return hits;
}

/**
 * Vietnamese syllables without their tone marks and vowel hats: an optional initial consonant and one of the
 * rimes of the language ("nhieu" = nh + ieu, "chuyen" = ch + uyen). Unaccented Vietnamese is almost all such
 * syllables; English, Malay, Tagalog or Dutch text has many words that are not ("shop", "tidak", "niet").
 */
const VI_ONSETS = ['ngh', 'ng', 'nh', 'ch', 'gh', 'gi', 'kh', 'ph', 'qu', 'th', 'tr', ...'bcdghklmnprstvx', ''];
const VI_RIMES = new Set(
  (
    'a ac ach ai am an ang anh ao ap at au ay e ec em en eng eo ep et eu ' +
    'i ia ich iec iem ien ieng iep iet ieu im in inh ip it iu ' +
    'o oa oac oach oai oam oan oang oanh oao oap oat oay oc oe oen oeo oet oi om on ong ooc oong op ot ' +
    'u ua uan uang uanh uat uay uc ue uen uenh uet ui um un ung uoc uoi uom uon uong uop uot uou up ut uu ' +
    'uy uya uych uyen uyet uynh uyu y yen yet yeu'
  ).split(' '),
);

function isVietnameseSyllable(word: string): boolean {
  for (const onset of VI_ONSETS) {
    if (word.startsWith(onset) && VI_RIMES.has(word.slice(onset.length))) return true;
  }
  return false;
}

/** Share of Vietnamese syllables among the [a-z]+ words that settles unaccented Vietnamese (with a marker word). */
const VI_SYLLABLE_SHARE = 0.8;
/** ... and the share that settles it without one, on a text of at least VI_SYLLABLE_MIN_WORDS_ALONE words. */
const VI_SYLLABLE_SHARE_ALONE = 0.9;
const VI_SYLLABLE_MIN_WORDS = 4;
const VI_SYLLABLE_MIN_WORDS_ALONE = 6;

function looksLikeUnaccentedVietnamese(sample: string, counted: FunctionWordCounts): boolean {
  // The function-word count has the syllables when it read the whole sample; else count them here.
  const { words, syllables } = counted.wholeSample ? counted : syllablesOf(sample);
  if (words < VI_SYLLABLE_MIN_WORDS) return false;
  const share = syllables / words;
  if (counted.vietnameseHits > 0 && share >= VI_SYLLABLE_SHARE) return true;
  return words >= VI_SYLLABLE_MIN_WORDS_ALONE && share >= VI_SYLLABLE_SHARE_ALONE;
}

/** The [a-z]+ words of the lower-cased sample without links, handles and hashtags, and how many are syllables. */
function syllablesOf(sample: string): { words: number; syllables: number } {
  const words = sample.toLowerCase().replace(NOT_LANGUAGE, ' ').match(WORD_PATTERN) ?? [];
  let syllables = 0;
  for (const word of words) if (isVietnameseSyllable(word)) syllables++;
  return { words: words.length, syllables };
}

/** Function words of the Latin-script languages we score, none of them also an English word. */
const OWN_WORDS: Record<string, ReadonlySet<string>> = Object.fromEntries(
  Object.entries({
    es: 'el la los las que y es de en por con para una muy pero del al lo su sus este esta mi nos ya fue son está como más',
    pt: 'o os as que e é de em não com para um uma muito mas do da dos das ao foi meu minha está são você isso como mais',
    fr: 'le la les des est et de en une un pour avec pas très mais je il elle du au ce cette mon ma nous vous sont été qui',
    de: 'der das und ist nicht ein eine mit für sehr ich sie es auf den dem zu von auch aber wir war sind mein',
    it: 'il lo la che di è non con per una molto ma del della sono ho mi ci questo questa mio anche gli',
    nl: 'de het een en niet van met voor zeer ik je dat zijn wat ook maar wel geen mijn bij nog heel heeft niemand naar om er werd',
    ca: 'el la els les que i és de en amb per una molt però del al aquest aquesta meu som més',
    gl: 'o os as que e é de en non con para unha moi pero do da ao foi meu moito máis',
    eu: 'eta da ez bat oso baina ere du dut dira zen naiz hau hori',
  }).map(([lang, words]) => [lang, new Set(words.split(' '))]),
);
/** Languages without a word list are only taken from franc on texts this long with no English words. */
const UNCONFIRMED_MIN_LETTERS = 80;
const WORD_OF_ANY_SCRIPT = /\p{L}+/gu;

function confirmsLanguage(language: string, sample: string, letters: number, englishHits: number): boolean {
  const own = OWN_WORDS[language];
  if (!own) return letters >= UNCONFIRMED_MIN_LETTERS && englishHits === 0;
  const words = sample.toLowerCase().match(WORD_OF_ANY_SCRIPT) ?? [];
  let hits = 0;
  for (const word of words) if (own.has(word)) hits++;
  return hits > englishHits && (hits >= 2 || (hits === 1 && words.length <= 4));
}

interface FunctionWordCounts {
  words: number;
  vietnameseHits: number;
  strongVietnameseHits: number;
  englishHits: number;
  /** English hits that are also everyday code-mixed Vietnamese ("order", "check in"). */
  codeMixedHits: number;
  /** Words that are Vietnamese syllables without marks (isVietnameseSyllable). */
  syllables: number;
  /** Whether every word of the sample was counted: the text was not cut to the window, nor the scan stopped. */
  wholeSample: boolean;
}

/** English words after which an all-English start of text settles the question. */
const ENGLISH_ENOUGH = 4;
/** Function words are counted in the first part of the text only: enough to decide, and cheap on long posts. */
const FUNCTION_WORD_SAMPLE = 600;
/** Handles, hashtags and links say nothing about the language of the sentence around them. */
const NOT_LANGUAGE = /(?:https?:\/\/|www\.)\S+|[@#][\w.]+/g;

function countFunctionWords(sample: string): FunctionWordCounts {
  const window = sample.length > FUNCTION_WORD_SAMPLE ? sample.slice(0, FUNCTION_WORD_SAMPLE) : sample;
  // Most texts have no link, tag or odd letter: count on the text as it is, without a lower-cased copy.
  const counts = countWordsAsIs(window) ?? countWordsInLowerCase(window);
  if (window !== sample) counts.wholeSample = false;
  return counts;
}

/** What countWord needs to know of a word, as bits: it is computed once per distinct word (WORD_FLAGS). */
const VIETNAMESE_MARKER = 1;
const STRONG_VIETNAMESE_MARKER = 2;
const ENGLISH_WORD = 4;
const CODE_MIXED_WORD = 8;
const VIETNAMESE_SYLLABLE = 16;

function flagsOf(word: string): number {
  const syllable = isVietnameseSyllable(word) ? VIETNAMESE_SYLLABLE : 0;
  if (!COUNTED_WORDS.mightContain(word)) return syllable;
  let flags = syllable;
  if (VIETNAMESE_MARKERS.has(word)) {
    flags |= VIETNAMESE_MARKER;
    if (!WEAK_VIETNAMESE_MARKERS.has(word)) flags |= STRONG_VIETNAMESE_MARKER;
  }
  // English sentiment words (VADER's lexicon) are English evidence too: "Wonderful product. Love it" has no
  // function words. Short ones ("no", "ok", "bad") are shared with other languages or too common to count.
  if (ENGLISH_STOP_WORDS.has(word) || (word.length >= 4 && VADER_LEXICON.has(word))) {
    flags |= ENGLISH_WORD;
    if (CODE_MIXED_WORDS.has(word)) flags |= CODE_MIXED_WORD;
  }
  return flags;
}

/** Flags of the [a-zA-Z]+ words seen so far, by the word as written (flags of its lower case). */
const WORD_FLAGS = new TokenTable<number>(16, 25_000);

/**
 * Counts one [a-z]+ word by its flags; true once the text is clearly English and reading can stop (the counts
 * are then not of the whole sample).
 */
function countWord(counts: FunctionWordCounts, flags: number): boolean {
  counts.words++;
  if (flags === 0) return false;
  if ((flags & VIETNAMESE_SYLLABLE) !== 0) counts.syllables++;
  if ((flags & VIETNAMESE_MARKER) !== 0) {
    counts.vietnameseHits++;
    if ((flags & STRONG_VIETNAMESE_MARKER) !== 0) counts.strongVietnameseHits++;
  }
  if ((flags & ENGLISH_WORD) !== 0) {
    counts.englishHits++;
    if ((flags & CODE_MIXED_WORD) !== 0) counts.codeMixedHits++;
    // Clearly English already: the rest of the text cannot change the answer, so stop reading.
    if (counts.englishHits >= ENGLISH_ENOUGH && counts.vietnameseHits === 0 && counts.englishHits * 3 >= counts.words) {
      counts.wholeSample = false;
      return true;
    }
  }
  return false;
}

/** The reference path: lower-case, blank out links, handles and hashtags, then count [a-z]+ words. */
function countWordsInLowerCase(window: string): FunctionWordCounts {
  const counts: FunctionWordCounts = {
    words: 0,
    vietnameseHits: 0,
    strongVietnameseHits: 0,
    englishHits: 0,
    codeMixedHits: 0,
    syllables: 0,
    wholeSample: true,
  };
  let lower = window.toLowerCase();
  if (lower.includes('@') || lower.includes('#') || lower.includes('http') || lower.includes('www.')) {
    lower = lower.replace(NOT_LANGUAGE, ' ');
  }
  WORD_PATTERN.lastIndex = 0;
  for (let match = WORD_PATTERN.exec(lower); match; match = WORD_PATTERN.exec(lower)) {
    if (countWord(counts, flagsOf(match[0]))) break;
  }
  return counts;
}

/**
 * The same counts as countWordsInLowerCase, scanning [a-zA-Z]+ runs of the text itself. Handles and hashtags
 * ("@shop", "#8512") are skipped as that path blanks them: "@" or "#" and the [\w.]+ run after it. Null (use the
 * reference path) on anything else that path would treat differently: a possible link ("/", "www."), or one of
 * the two non-ASCII letters whose lower case is ASCII (İ, the Kelvin sign). The check comes before the word it
 * ends is counted, so null is only ever returned before the scan could have stopped early.
 */
function countWordsAsIs(window: string): FunctionWordCounts | null {
  const counts: FunctionWordCounts = {
    words: 0,
    vietnameseHits: 0,
    strongVietnameseHits: 0,
    englishHits: 0,
    codeMixedHits: 0,
    syllables: 0,
    wholeSample: true,
  };
  let start = -1;
  let hasUpper = false;
  let hash = HASH_SEED;
  for (let i = 0; i <= window.length; i++) {
    const code = i < window.length ? window.charCodeAt(i) : 0x20;
    if (code >= 97 && code <= 122) {
      if (start < 0) {
        start = i;
        hash = HASH_SEED;
      }
      hash = hashStep(hash, code);
      continue;
    }
    if (code >= 65 && code <= 90) {
      if (start < 0) {
        start = i;
        hash = HASH_SEED;
      }
      hasUpper = true;
      hash = hashStep(hash, code);
      continue;
    }
    if (code === 0x2f || code === 0x130 || code === 0x212a) return null;
    if (code === 0x2e && i >= 3 && isW(window, i - 1) && isW(window, i - 2) && isW(window, i - 3)) return null;
    // Where reading resumes: after the tag when this is "@" or "#" starting one, else at the next character.
    const resume = code === 0x40 || code === 0x23 ? endOfTag(window, i + 1) : i + 1;
    if (start < 0) {
      i = resume - 1;
      continue;
    }
    // Each word is hashed as it is read: one seen before is found in WORD_FLAGS without being cut out.
    hash = finishHash(hash);
    let flags = WORD_FLAGS.get(window, start, i, hash);
    if (flags === undefined) {
      const word = window.slice(start, i);
      flags = flagsOf(hasUpper ? word.toLowerCase() : word);
      WORD_FLAGS.set(word, hash, flags);
    }
    start = -1;
    if (countWord(counts, flags)) break;
    hasUpper = false;
    i = resume - 1;
  }
  return counts;
}

/** The end of the [\w.]* run from `from` (the rest of a handle or hashtag, which NOT_LANGUAGE blanks). */
function endOfTag(text: string, from: number): number {
  let end = from;
  while (end < text.length && isTagChar(text.charCodeAt(end))) end++;
  return end;
}

/** [A-Za-z0-9_.]: the characters of \w (ASCII without the u flag) and the dot. */
function isTagChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 0x5f ||
    code === 0x2e
  );
}

/**
 * The two ways of counting function words, for tests: the as-is scan must give the reference path's counts
 * whenever it does not hand over (null), and both the syllables syllablesOf finds when they read the whole sample.
 */
export const FUNCTION_WORD_COUNTERS = { asIs: countWordsAsIs, inLowerCase: countWordsInLowerCase, syllablesOf };

function isW(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return code === 0x77 || code === 0x57;
}

/** Ukrainian, Belarusian, Persian and Urdu are told apart from Russian and Arabic by letters of their own. */
function nonLatinLanguage(script: number, scripts: number[], sample: string): string {
  if (script === HAN && scripts[KANA] > 0) return 'ja';
  if (script === CYRILLIC) {
    if (/[іїєґ]/i.test(sample)) return 'uk';
    if (/ў/i.test(sample)) return 'be';
    return 'ru';
  }
  if (script === ARABIC && /[پچژگ]/.test(sample) && !/[ٹڈڑں]/.test(sample)) return 'fa';
  if (script === ARABIC && /[ٹڈڑںے]/.test(sample)) return 'ur';
  return SCRIPT_LANGUAGE[script];
}

/**
 * Sentiment for languages that have a vocabulary in `natural` (Spanish, Portuguese, French, German, Italian,
 * Dutch, Catalan, Galician, Basque), mapped onto VADER's {neg, neu, pos, compound} shape.
 *
 * Mapping: each word's polarity from natural's vocabulary is put on VADER's valence scale (AFINN's -5..5 times
 * 0.8, Pattern's and SentiCon's -1..1 times 3, so "bueno"/"bon"/"gut" land near VADER's "good" = 1.9). A
 * negation word flips the words after it up to the end of the clause, as natural does within one call.
 * Then VADER's own arithmetic: compound = sum / sqrt(sum² + 15), and neg/neu/pos are the shares of
 * (|valence| + 1) per sentiment word and 1 per neutral word.
 *
 * natural's vocabularies are read as data, lazily, one language at a time: its SentimentAnalyzer module would load
 * every language's vocabulary (about 5 MB) the moment it is required, which would blow the analyze Lambda's bundle
 * and cold-start budgets. Locally the files are read from node_modules; in the Lambda bundle the stack copies the
 * few folders needed next to the handler (`natural-sentiment/`). Lookups follow SentimentAnalyzer.getSentiment:
 * the word as written, then its stem.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Sentiment } from './types';
import { ROMANCE_NEGATIONS, ROMANCE_VALENCE, type RomanceLanguage } from './romance-lexicon';

interface Analyzer {
  /** Polarity of one lowercased word in the vocabulary's own scale, 0 when unknown. */
  polarity(word: string): number;
  negations: Set<string>;
  /** Our own words (VADER scale), looked up first, as written and without accents. */
  own: Map<string, number>;
}

interface Vocabulary {
  /** natural's language name (its folder under lib/natural/sentiment). */
  language: string;
  /** The vocabulary file and natural's negation list, if it has one for the language. */
  file: string;
  negationsFile?: string;
  type: 'afinn' | 'pattern' | 'senticon';
  /** Loads natural's stemmer, only where the vocabulary lists base forms and stemming it is cheap. */
  loadStemmer?: () => unknown;
  /** Multiplier from the vocabulary's polarity scale to VADER's valence scale. */
  scale: number;
}

const VOCABULARIES: Record<string, Vocabulary> = {
  es: {
    language: 'Spanish',
    file: 'afinnShortSortedSpanish.json',
    negationsFile: 'negations_es.json',
    type: 'afinn',
    loadStemmer: () => require('natural/lib/natural/stemmers/porter_stemmer_es'),
    scale: 0.8,
  },
  pt: {
    language: 'Portuguese',
    file: 'afinnShortSortedPortuguese.json',
    negationsFile: 'negations_pt.json',
    type: 'afinn',
    loadStemmer: () => require('natural/lib/natural/stemmers/porter_stemmer_pt'),
    scale: 0.8,
  },
  fr: { language: 'French', file: 'pattern-sentiment-fr.json', type: 'pattern', scale: 3 },
  de: {
    language: 'German',
    file: 'pattern-sentiment-de.json',
    negationsFile: 'negations_de.json',
    type: 'pattern',
    scale: 3,
  },
  it: { language: 'Italian', file: 'pattern-sentiment-it.json', type: 'pattern', scale: 3 },
  nl: {
    language: 'Dutch',
    file: 'pattern-sentiment-nl.json',
    negationsFile: 'negations_du.json',
    type: 'pattern',
    scale: 3,
  },
  ca: { language: 'Catalan', file: 'senticon_ca.json', type: 'senticon', scale: 3 },
  gl: { language: 'Galician', file: 'senticon_gl.json', type: 'senticon', scale: 3 },
  eu: { language: 'Basque', file: 'senticon_eu.json', type: 'senticon', scale: 3 },
};

const NORMALIZE_ALPHA = 15;
const CLAUSE_SPLIT = /[.,;:!?¡¿\n]+/;
// Letters, marks and the Catalan middle dot ("excel·lent").
const WORD = /[\p{L}\p{M}·]+(?<!·)/gu;
const COMBINING_MARKS = /\p{M}/gu;
const NON_ASCII = /[\u0080-\uffff]/;

/** The folders of natural's sentiment data the analyze Lambda bundle carries (see lib/earshot-function.ts). */
export const BUNDLED_VOCABULARY_DIR = 'natural-sentiment';

let vocabularyRoot: string | undefined;
function vocabularyDir(): string {
  if (vocabularyRoot) return vocabularyRoot;
  const bundled = path.join(__dirname, BUNDLED_VOCABULARY_DIR);
  vocabularyRoot = existsSync(bundled)
    ? bundled
    : path.join(path.dirname(require.resolve('natural/package.json')), 'lib', 'natural', 'sentiment');
  return vocabularyRoot;
}

function readJson(language: string, file: string): unknown {
  return JSON.parse(readFileSync(path.join(vocabularyDir(), language, file), 'utf8'));
}

type Entry = number | { pol?: number | string; polarity?: number | string };

/** natural's vocabulary for a language as word → polarity, keyed by stems too where natural stems (es, pt). */
function stripAccents(word: string): string {
  return NON_ASCII.test(word) ? word.normalize('NFD').replace(COMBINING_MARKS, '') : word;
}

function loadAnalyzer(lang: string, vocabulary: Vocabulary): Analyzer {
  const raw = readJson(vocabulary.language, vocabulary.file) as Record<string, Entry>;
  const words = new Map<string, number>();
  for (const [word, entry] of Object.entries(raw)) {
    // Pattern and SentiCon files hold polarities as strings ("-0.30"); natural relies on coercion, we convert once.
    const value = Number(
      typeof entry === 'number' ? entry : vocabulary.type === 'senticon' ? entry.pol : entry.polarity,
    );
    if (Number.isFinite(value) && value !== 0) words.set(word, value);
  }
  const stemmer = vocabulary.loadStemmer?.() as { stem(word: string): string } | undefined;
  const stems = new Map<string, number>();
  if (stemmer) for (const [word, value] of words) stems.set(stemmer.stem(word), value);
  const negations = vocabulary.negationsFile
    ? new Set((readJson(vocabulary.language, vocabulary.negationsFile) as { words: string[] }).words)
    : new Set<string>();
  const own = new Map<string, number>();
  for (const [word, valence] of Object.entries(ROMANCE_VALENCE[lang as RomanceLanguage] ?? {})) {
    own.set(word, valence);
    own.set(stripAccents(word), valence);
  }
  for (const word of ROMANCE_NEGATIONS[lang as RomanceLanguage] ?? []) {
    negations.add(word);
    negations.add(stripAccents(word));
  }
  return {
    negations,
    own,
    polarity(word) {
      const direct = words.get(word);
      if (direct !== undefined) return direct;
      return stemmer ? (stems.get(stemmer.stem(word)) ?? 0) : 0;
    },
  };
}

/** Word polarity; some vocabularies (natural's Portuguese AFINN) are written without accents, so retry without. */
function wordPolarity(analyzer: Analyzer, word: string): number {
  const polarity = analyzer.polarity(word);
  if (polarity !== 0 || !NON_ASCII.test(word)) return polarity;
  return analyzer.polarity(word.normalize('NFD').replace(COMBINING_MARKS, ''));
}

const analyzers = new Map<string, Analyzer>();

function analyzerFor(lang: string, vocabulary: Vocabulary): Analyzer {
  let analyzer = analyzers.get(lang);
  if (!analyzer) {
    analyzer = loadAnalyzer(lang, vocabulary);
    analyzers.set(lang, analyzer);
  }
  return analyzer;
}

/** natural's data files this module reads (relative to its sentiment folder): the stack bundles exactly these. */
export function vocabularyFiles(): string[] {
  return Object.values(VOCABULARIES).flatMap((v) =>
    [v.file, v.negationsFile].filter(Boolean).map((f) => `${v.language}/${f}`),
  );
}

/** Languages scoreOtherLanguage can score. */
export function hasOtherLanguageVocabulary(lang: string): boolean {
  return Object.prototype.hasOwnProperty.call(VOCABULARIES, lang);
}

function round(value: number, places: number): number {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}

/**
 * Scores `text` in language `lang` (ISO 639-1) with natural's vocabulary for it, or returns null when natural
 * has no vocabulary for the language.
 */
export function scoreOtherLanguage(text: string, lang: string): Sentiment | null {
  if (!hasOtherLanguageVocabulary(lang)) return null;
  const vocabulary = VOCABULARIES[lang];
  const analyzer = analyzerFor(lang, vocabulary);
  const negations = analyzer.negations;

  let sum = 0;
  let positiveSum = 0;
  let negativeSum = 0;
  let neutralCount = 0;
  for (const clause of text.toLowerCase().split(CLAUSE_SPLIT)) {
    let negator = 1;
    for (const match of clause.matchAll(WORD)) {
      const word = match[0];
      if (negations.has(word)) {
        negator = -1;
        neutralCount++;
        continue;
      }
      const own = analyzer.own.get(word);
      const valence = negator * (own ?? wordPolarity(analyzer, word) * vocabulary.scale);
      sum += valence;
      if (valence > 0) positiveSum += valence + 1;
      else if (valence < 0) negativeSum += valence - 1;
      else neutralCount++;
    }
  }

  const total = positiveSum - negativeSum + neutralCount;
  if (total === 0) return { neg: 0, neu: 0, pos: 0, compound: 0 };
  const compound = sum / Math.sqrt(sum * sum + NORMALIZE_ALPHA);
  return {
    neg: round(Math.abs(negativeSum / total), 3),
    neu: round(neutralCount / total, 3),
    pos: round(positiveSum / total, 3),
    compound: round(Math.max(-1, Math.min(1, compound)), 4),
  };
}

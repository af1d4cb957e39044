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
 * natural is loaded lazily, by path: its SentimentAnalyzer module reads every language's vocabulary when first
 * required (~200 ms), so nothing is loaded until a text in one of these languages is scored, and each language's
 * analyzer (and stemmer) is built on its first use.
 */
import type { Sentiment } from './types';

interface Analyzer {
  getSentiment(words: string[]): number;
  /** natural's negation words for the language (a plain field of SentimentAnalyzer). */
  negations: string[];
}

type AnalyzerConstructor = new (language: string, stemmer: unknown, type: string) => Analyzer;

interface Vocabulary {
  /** natural's language name. */
  language: string;
  type: 'afinn' | 'pattern' | 'senticon';
  /** Loads natural's stemmer, only where the vocabulary lists base forms and stemming it is cheap. */
  loadStemmer?: () => unknown;
  /** Multiplier from the vocabulary's polarity scale to VADER's valence scale. */
  scale: number;
}

const VOCABULARIES: Record<string, Vocabulary> = {
  es: {
    language: 'Spanish',
    type: 'afinn',
    loadStemmer: () => require('natural/lib/natural/stemmers/porter_stemmer_es'),
    scale: 0.8,
  },
  pt: {
    language: 'Portuguese',
    type: 'afinn',
    loadStemmer: () => require('natural/lib/natural/stemmers/porter_stemmer_pt'),
    scale: 0.8,
  },
  fr: { language: 'French', type: 'pattern', scale: 3 },
  de: { language: 'German', type: 'pattern', scale: 3 },
  it: { language: 'Italian', type: 'pattern', scale: 3 },
  nl: { language: 'Dutch', type: 'pattern', scale: 3 },
  ca: { language: 'Catalan', type: 'senticon', scale: 3 },
  gl: { language: 'Galician', type: 'senticon', scale: 3 },
  eu: { language: 'Basque', type: 'senticon', scale: 3 },
};

const NORMALIZE_ALPHA = 15;
const CLAUSE_SPLIT = /[.,;:!?¡¿\n]+/;
// Letters, marks and the Catalan middle dot ("excel·lent").
const WORD = /[\p{L}\p{M}·]+(?<!·)/gu;
const COMBINING_MARKS = /\p{M}/gu;
const NON_ASCII = /[\u0080-\uffff]/;

/** Word polarity; some vocabularies (natural's Portuguese AFINN) are written without accents, so retry without. */
function wordPolarity(analyzer: Analyzer, word: string): number {
  const polarity = analyzer.getSentiment([word]);
  if (polarity !== 0 || !NON_ASCII.test(word)) return polarity;
  return analyzer.getSentiment([word.normalize('NFD').replace(COMBINING_MARKS, '')]);
}

const analyzers = new Map<string, Analyzer>();

function analyzerFor(lang: string, vocabulary: Vocabulary): Analyzer {
  let analyzer = analyzers.get(lang);
  if (!analyzer) {
    const SentimentAnalyzer = require('natural/lib/natural/sentiment/SentimentAnalyzer') as AnalyzerConstructor;
    analyzer = new SentimentAnalyzer(vocabulary.language, vocabulary.loadStemmer?.(), vocabulary.type);
    analyzers.set(lang, analyzer);
  }
  return analyzer;
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
  const negations = new Set(analyzer.negations);

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
      const valence = negator * wordPolarity(analyzer, word) * vocabulary.scale;
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

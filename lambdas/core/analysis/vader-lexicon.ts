/**
 * Data for the VADER port in ./vader.ts, loaded once at module load. ./vader-lexicon-source.ts says where it comes
 * from and builds it; the build writes the result as JSON text (./vader-tables.generated.ts, by
 * scripts/generate-tables.js), because parsing that is a fraction of building it from the packages at every cold start.
 */
import { VADER_EMOJI_JSON, VADER_LEXICON_VALENCES_JSON, VADER_LEXICON_WORDS_JSON } from './vader-tables.generated';

/** Word/emoticon -> valence, keyed exactly as in vader_lexicon.txt (lookups use the lower-cased token). */
export const VADER_LEXICON: ReadonlyMap<string, number> = zip(
  JSON.parse(VADER_LEXICON_WORDS_JSON) as string[],
  JSON.parse(VADER_LEXICON_VALENCES_JSON) as number[],
);

/** Two flat arrays parse in half the time of one array of [word, valence] pairs. */
function zip(words: string[], valences: number[]): Map<string, number> {
  const map = new Map<string, number>();
  for (let i = 0; i < words.length; i++) map.set(words[i], valences[i]);
  return map;
}

/** Emoji code point -> its description text, as Python vaderSentiment 3.3.x substitutes it. */
export const VADER_EMOJI_DESCRIPTIONS: ReadonlyMap<number, string> = new Map(
  JSON.parse(VADER_EMOJI_JSON) as [number, string][],
);

/** The smallest code point with a description: texts without any char at or above it need no emoji pass. */
export const MIN_EMOJI_CODE_POINT: number = Math.min(...VADER_EMOJI_DESCRIPTIONS.keys());

/**
 * Where the VADER port's data comes from, and how it is built: run at build time only (scripts/generate-tables.js
 * serialises the result into ./vader-tables.generated.ts, which ./vader-lexicon.ts parses at module load).
 *
 * - The word lexicon is taken as data from the `vader-sentiment` npm package (its src/vader_lexicon.js is an
 *   ES module exporting one object literal, `key: value,` per line, generated from vaderSentiment's
 *   vader_lexicon.txt), then patched to match the Python vaderSentiment 3.3.x lexicon.
 * - The emoji descriptions come from `unicode-emoji-json` (CLDR names), restricted to what Python vaderSentiment
 *   3.3.x's emoji_utf8_lexicon.txt can match: that file was built from Emoji 11.0, and the Python code looks it up one
 *   code point at a time, so only single-code-point emoji (plus skin-tone and hair components) are ever replaced.
 */
import * as fs from 'fs';
import emojiData from 'unicode-emoji-json/data-by-emoji.json';

/**
 * Where Python vaderSentiment 3.3.x's vader_lexicon.txt differs from the npm package's older copy. The heart
 * values are the ones that reproduce the Python reference's scores on texts containing them.
 */
const LEXICON_CORRECTIONS: ReadonlyArray<[string, number]> = [
  ['heart', 3.2],
  ['hearts', 3.3],
  ['flawed', -2.1],
  ['badass', 1.4],
];

/** Parses one quoted JS string literal (as written in vader_lexicon.js: only `\\`, `\'` and `\"` escapes). */
function unquote(literal: string): string {
  let out = '';
  for (let i = 1; i < literal.length - 1; i++) {
    const ch = literal[i];
    if (ch === '\\' && i + 1 < literal.length - 1) {
      out += literal[++i];
    } else {
      out += ch;
    }
  }
  return out;
}

/** Parses the `export const lexicon = { ... };` object literal of vader-sentiment's src/vader_lexicon.js. */
export function parseLexiconSource(source: string): Map<string, number> {
  const lexicon = new Map<string, number>();
  const start = source.indexOf('export const lexicon = {');
  if (start < 0) throw new Error('vader_lexicon.js: lexicon object not found');
  const body = source.slice(source.indexOf('\n', start) + 1, source.lastIndexOf('};'));
  for (const rawLine of body.split('\n')) {
    let line = rawLine.trim();
    if (line === '') continue;
    if (line.endsWith(',')) line = line.slice(0, -1);
    // The value never contains ': ', so the last one separates key and value even when the key holds colons.
    const colon = line.lastIndexOf(': ');
    if (colon < 0) throw new Error(`vader_lexicon.js: cannot parse line ${JSON.stringify(rawLine)}`);
    const rawKey = line.slice(0, colon);
    const value = Number(line.slice(colon + 2));
    if (Number.isNaN(value)) throw new Error(`vader_lexicon.js: bad value in line ${JSON.stringify(rawLine)}`);
    const quoted = rawKey.startsWith("'") || rawKey.startsWith('"');
    lexicon.set(quoted ? unquote(rawKey) : rawKey, value);
  }
  return lexicon;
}

const LEXICON_MODULE = 'vader-sentiment/src/vader_lexicon.js';

/**
 * The package's lexicon object. esbuild bundles inline this ES module and Node 20 can require it; jest does not
 * transform node_modules, so there the same file is read as text and its object literal parsed.
 */
function loadPackageLexicon(): Map<string, number> {
  try {
    const data = require('vader-sentiment/src/vader_lexicon.js') as { lexicon: Record<string, number> };
    return new Map(Object.entries(data.lexicon));
  } catch {
    return parseLexiconSource(fs.readFileSync(require.resolve(LEXICON_MODULE), 'utf8'));
  }
}

/** Word/emoticon -> valence, keyed exactly as in vader_lexicon.txt (lookups use the lower-cased token). */
export function buildVaderLexicon(): Map<string, number> {
  const lexicon = loadPackageLexicon();
  if (lexicon.size < 7000) throw new Error(`${LEXICON_MODULE}: only ${lexicon.size} entries loaded`);
  for (const [word, valence] of LEXICON_CORRECTIONS) lexicon.set(word, valence);
  return lexicon;
}

/** The newest emoji version in vaderSentiment 3.3.x's emoji_utf8_lexicon.txt. */
const VADER_EMOJI_VERSION = 11.0;

/**
 * CLDR names as they were in Emoji 11.0 where today's CLDR names (in unicode-emoji-json) differ, plus the
 * skin-tone and hair components, which unicode-emoji-json lists apart. The words matter: e.g. "pouting face"
 * scores 0 while "enraged face" would score negative.
 */
const EMOJI_11_NAMES: Readonly<Record<string, string>> = {
  '🥰': 'smiling face with 3 hearts',
  '🤗': 'hugging face',
  '😵': 'dizzy face',
  '😡': 'pouting face',
  '🤖': 'robot face',
  '😺': 'grinning cat face',
  '😸': 'grinning cat face with smiling eyes',
  '😹': 'cat face with tears of joy',
  '😻': 'smiling cat face with heart-eyes',
  '😼': 'cat face with wry smile',
  '😽': 'kissing cat face',
  '🙀': 'weary cat face',
  '😿': 'crying cat face',
  '😾': 'pouting cat face',
  '❣': 'heavy heart exclamation',
  '💤': 'zzz',
  '🧑': 'adult',
  '👱': 'blond-haired person',
  '🧔': 'bearded person',
  '🧓': 'older adult',
  '👲': 'man with Chinese cap',
  '🤵': 'man in tuxedo',
  '👰': 'bride with veil',
  '🕴': 'man in suit levitating',
  '👫': 'man and woman holding hands',
  '👬': 'two men holding hands',
  '👭': 'two women holding hands',
  '🐺': 'wolf face',
  '🦊': 'fox face',
  '🦁': 'lion face',
  '🦄': 'unicorn face',
  '🐹': 'hamster face',
  '🐻': 'bear face',
  '🐼': 'panda face',
  '🐸': 'frog face',
  '🧱': 'bricks',
  '🎯': 'direct hit',
  '🔫': 'pistol',
  '🧩': 'jigsaw',
  '🎒': 'school backpack',
  '🥿': 'woman’s flat shoe',
  '💻': 'laptop computer',
  '⭕': 'heavy large circle',
  '✅': 'white heavy check mark',
  '☑': 'ballot box with check',
  '✔': 'heavy check mark',
  '✖': 'heavy multiplication x',
  '➕': 'heavy plus sign',
  '➖': 'heavy minus sign',
  '➗': 'heavy division sign',
  '❓': 'question mark',
  '❗': 'exclamation mark',
  '🔟': 'keycap: 10',
  '🏻': 'light skin tone',
  '🏼': 'medium-light skin tone',
  '🏽': 'medium skin tone',
  '🏾': 'medium-dark skin tone',
  '🏿': 'dark skin tone',
  '🦰': 'red-haired',
  '🦱': 'curly-haired',
  '🦲': 'bald',
  '🦳': 'white-haired',
};

interface EmojiRecord {
  name: string;
  emoji_version: string;
}

/** Emoji code point -> its description text, as Python vaderSentiment 3.3.x substitutes it. */
export function buildEmojiDescriptions(): Map<number, string> {
  const descriptions = new Map<number, string>();
  for (const [emoji, record] of Object.entries(emojiData as Record<string, EmojiRecord>)) {
    const base = emoji.replace(/\uFE0F/g, '');
    const codePoint = base.codePointAt(0);
    if (codePoint === undefined || String.fromCodePoint(codePoint) !== base) continue; // multi-code-point
    if (Number(record.emoji_version) > VADER_EMOJI_VERSION) continue;
    descriptions.set(codePoint, record.name);
  }
  for (const [emoji, name] of Object.entries(EMOJI_11_NAMES)) {
    descriptions.set(emoji.codePointAt(0) as number, name);
  }
  return descriptions;
}

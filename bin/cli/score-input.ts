/**
 * The common `score --jsonl` input line read straight from its bytes: one flat object of the fields score takes,
 * whose strings have no escapes. Only the strings are decoded (not the whole line, then parsed again by JSON.parse
 * into an object that is thrown away). Anything else, a line this reader does not take, goes through JSON.parse and
 * the schema: escapes, nested values, other fields, a repeated field, invalid JSON.
 */

/** One input line, as score takes it. */
export interface ScoreInput {
  id: string;
  text: string;
  lang?: string;
  title?: string;
  rating?: number;
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** The fields this reader takes; a field's index is its bit in readPlainLine's `seen`. */
const FIELDS = ['id', 'text', 'language', 'lang', 'title', 'rating'];
const [ID, TEXT, LANGUAGE, LANG, TITLE, RATING] = FIELDS.keys();
const FIELD_BYTES = FIELDS.map((name) => Buffer.from(name, 'latin1'));

function skipSpace(bytes: Uint8Array, at: number, to: number): number {
  while (at < to) {
    const b = bytes[at];
    if (b !== SPACE && b !== TAB && b !== LF && b !== CR) break;
    at++;
  }
  return at;
}

/**
 * Where the string opened by the quote at `at` closes, or -1 when it has an escape or a raw control character
 * (JSON.parse reads escapes, and refuses control characters), or does not close before `to`.
 */
function stringEnd(bytes: Uint8Array, at: number, to: number): number {
  for (let i = at + 1; i < to; i++) {
    const b = bytes[i];
    if (b === QUOTE) return i;
    if (b === BACKSLASH || b < SPACE) return -1;
  }
  return -1;
}

function isDigit(b: number): boolean {
  return b >= ZERO && b <= NINE;
}

/** Where the JSON number starting at `at` ends (-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?), or -1 when none does. */
function numberEnd(bytes: Uint8Array, at: number, to: number): number {
  let i = at;
  if (bytes[i] === MINUS) i++;
  if (i >= to || !isDigit(bytes[i])) return -1;
  if (bytes[i] === ZERO) i++;
  else while (i < to && isDigit(bytes[i])) i++;
  if (i < to && bytes[i] === DOT) {
    if (++i >= to || !isDigit(bytes[i])) return -1;
    while (i < to && isDigit(bytes[i])) i++;
  }
  if (i < to && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
    if (++i < to && (bytes[i] === PLUS || bytes[i] === MINUS)) i++;
    if (i >= to || !isDigit(bytes[i])) return -1;
    while (i < to && isDigit(bytes[i])) i++;
  }
  return i;
}

/** Which of FIELDS the key bytes [from, to) name, or -1. */
function fieldOf(bytes: Uint8Array, from: number, to: number): number {
  next: for (let f = 0; f < FIELD_BYTES.length; f++) {
    const name = FIELD_BYTES[f];
    if (name.length !== to - from) continue;
    for (let i = 0; i < name.length; i++) if (bytes[from + i] !== name[i]) continue next;
    return f;
  }
  return -1;
}

/**
 * The line in bytes [from, to) (UTF-8, no newline, no BOM) as a ScoreInput, exactly as JSON.parse and the schema
 * would read it, or null when it is not a line of the common shape. A numeric id keeps its source text, as
 * rawNumericId keeps it on the JSON.parse path.
 */
export function readPlainLine(bytes: Buffer, from: number, to: number): ScoreInput | null {
  let id: string | undefined;
  let text: string | undefined;
  let language: string | undefined;
  let lang: string | undefined;
  let title: string | undefined;
  let rating: number | undefined;
  /** The fields read so far, one bit each: a repeated field is left to JSON.parse (the last one wins there). */
  let seen = 0;
  let at = skipSpace(bytes, from, to);
  if (at >= to || bytes[at] !== OPEN_BRACE) return null;
  at = skipSpace(bytes, at + 1, to);
  for (;;) {
    if (at >= to || bytes[at] !== QUOTE) return null;
    const keyEnd = stringEnd(bytes, at, to);
    if (keyEnd < 0) return null;
    const field = fieldOf(bytes, at + 1, keyEnd);
    if (field < 0 || (seen & (1 << field)) !== 0) return null;
    seen |= 1 << field;
    at = skipSpace(bytes, keyEnd + 1, to);
    if (at >= to || bytes[at] !== COLON) return null;
    at = skipSpace(bytes, at + 1, to);
    if (at >= to) return null;
    let valueEnd: number;
    if (bytes[at] === QUOTE) {
      valueEnd = stringEnd(bytes, at, to);
      if (valueEnd < 0) return null;
      const value = bytes.toString('utf8', at + 1, valueEnd);
      if (field === ID) id = value;
      else if (field === TEXT) text = value;
      else if (field === LANGUAGE) language = value;
      else if (field === LANG) lang = value;
      else if (field === TITLE) title = value;
      else return null; // a string rating: the schema says what is wrong
      valueEnd++;
    } else {
      valueEnd = numberEnd(bytes, at, to);
      if (valueEnd < 0) return null;
      const source = bytes.toString('latin1', at, valueEnd);
      if (field === ID) id = source;
      else if (field === RATING) rating = Number(source);
      else return null;
    }
    at = skipSpace(bytes, valueEnd, to);
    if (at >= to) return null;
    if (bytes[at] === CLOSE_BRACE) break;
    if (bytes[at] !== COMMA) return null;
    at = skipSpace(bytes, at + 1, to);
  }
  if (skipSpace(bytes, at + 1, to) !== to) return null;
  // What the schema would refuse, or take differently, is left to it: a missing or empty id, no text, both hints.
  if (id === undefined || id === '' || text === undefined || (language !== undefined && lang !== undefined)) {
    return null;
  }
  return { id, text, lang: language ?? lang, title, rating };
}

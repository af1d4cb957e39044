import type { Analysis, Aspect, Cue } from '../../lambdas/core/analysis/types';
import { analyze, explain } from '../../lambdas/core/analysis/analyze';
import { KNOWN_LANGUAGE_CODES, normalizeLanguageHint } from '../../lambdas/core/analysis/language';
import { stripControls, truncate } from '../../lambdas/core/text';
import { readPlainLine, type ScoreInput } from './score-input';

/** The one wording for a language code Earshot does not know (the `--language` flag and the jsonl field). */
export function unknownLanguage(value: string): string {
  return `language: unknown language ${JSON.stringify(value)} (known: ${KNOWN_LANGUAGE_CODES.join(', ')})`;
}

type ZodSchema = typeof import('./score-schema').scoreLine;
let schema: ZodSchema | null = null;
/** zod is loaded on the first line the fast path cannot take: valid input (nearly all of it) never pays for it. */
function scoreLineSchema(): ZodSchema {
  if (schema === null) schema = (require('./score-schema') as typeof import('./score-schema')).scoreLine;
  return schema;
}

export type ScoreOutput = ({ id: string } & Analysis) | { id: string | null; error: string };

/**
 * The common case of a line, checked by hand: an object whose fields all have the types the schema wants. Anything
 * else (a missing text, a wrong type) goes through the zod schema, which says what is wrong.
 */
function fastInput(raw: unknown): ScoreInput | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { id, text, language, lang, title, rating } = raw as Record<string, unknown>;
  if (typeof text !== 'string' || (typeof id !== 'string' && typeof id !== 'number') || id === '') return null;
  if (language !== undefined && typeof language !== 'string') return null;
  if (lang !== undefined && (typeof lang !== 'string' || language !== undefined)) return null;
  if (title !== undefined && typeof title !== 'string') return null;
  if (rating !== undefined && typeof rating !== 'number') return null;
  return { id: String(id), text, lang: (language ?? lang) as string | undefined, title, rating };
}

/** A line that parses but is not an object (an array, a number). */
const NOT_AN_OBJECT = 'not a JSON object ({"id": …, "text": …})';

/** Score one JSONL line; never throws: a bad line becomes `{id, error}`. */
export function scoreJsonLine(line: string): ScoreOutput {
  const scored = scoreLineParts(line);
  return 'error' in scored ? scored : { id: scored.id, ...scored.analysis };
}

type ScoredLine = { id: string; analysis: Analysis } | { id: string | null; error: string };

/** scoreJsonLine, with the analysis beside the id (the stream writes them without making one object of them). */
function scoreLineParts(line: string): ScoredLine {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    // Old Mac exports leave raw CRs inside strings: read them as the \r they meant rather than lose the line.
    const retried = line.includes('\r') ? parseOrUndefined(line.replace(/\r(?!$)/g, '\\r')) : undefined;
    if (retried === undefined) return { id: null, error: `not valid JSON: ${(error as Error).message}` };
    raw = retried;
  }
  if (typeof raw === 'object' && raw !== null) {
    const record = raw as { id?: unknown };
    // Numbers keep their source text: 9007199254740993 must not come back as …992 (another line's id).
    if (typeof record.id === 'number') record.id = rawNumericId(line) ?? record.id;
  }
  let input = fastInput(raw);
  if (input === null) {
    const parsed = scoreLineSchema().safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const error = issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : NOT_AN_OBJECT;
      return { id: idOf(raw), error };
    }
    const { language, lang, ...rest } = parsed.data;
    input = { ...rest, lang: language ?? lang };
  }
  return scoreInput(input);
}

/** The analysis of a line's fields, or the error of a language hint Earshot does not know. */
function scoreInput(input: ScoreInput): ScoredLine {
  let lang: string | undefined;
  if (input.lang !== undefined) {
    // A wrong hint is refused, not ignored: a text scored in the wrong language gets the wrong cues.
    const code = normalizeLanguageHint(input.lang);
    if (code === null) return { id: input.id, error: unknownLanguage(input.lang) };
    lang = code;
  }
  try {
    const { id, text, title, rating } = input;
    return { id, analysis: analyze({ text, lang, title, rating }) };
  } catch (error) {
    return { id: input.id, error: `analysis failed: ${(error as Error).message}` };
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The source text of the top-level `"id"` when it is a number (the last one, as JSON.parse keeps the last key).
 * A small scanner, not a regex: `"id"` inside a string or a nested object must not count.
 */
export function rawNumericId(line: string): string | undefined {
  let depth = 0;
  let found: string | undefined;
  let lastKey: string | undefined;
  let expectValue = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      const literal = line.slice(i, j + 1);
      if (depth === 1 && !expectValue) lastKey = literal;
      expectValue = false;
      i = j;
    } else if (c === ':') {
      expectValue = depth === 1;
    } else if (c === '{' || c === '[') {
      depth++;
      expectValue = false;
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === ',') {
      expectValue = false;
      lastKey = undefined;
    } else if (expectValue && /[-0-9]/.test(c)) {
      const number = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(line.slice(i))?.[0] ?? c;
      if (lastKey === '"id"') found = number;
      expectValue = false;
      i += number.length - 1;
    } else if (expectValue && /\S/.test(c)) {
      if (lastKey === '"id"') found = undefined; // true, null…: not a number
      expectValue = false;
    }
  }
  return found;
}

/** Longest input line (characters); a longer one gets a per-line error and is dropped as it streams in. */
export const MAX_LINE_CHARS = 1024 * 1024;

function idOf(raw: unknown): string | null {
  if (raw && typeof raw === 'object' && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  }
  return null;
}

/** String(k / 10^places) for k in [-10^places, 10^places]: the scores are rounded to 3 or 4 places. */
function decimals(places: number): string[] {
  const scale = 10 ** places;
  return Array.from({ length: 2 * scale + 1 }, (_, k) => String((k - scale) / scale));
}
const THOUSANDTHS = decimals(3);
const TEN_THOUSANDTHS = decimals(4);

/**
 * JSON of a number as JSON.stringify writes it (non-finite numbers become null, as there). Scores in [-1, 1]
 * with 3 or 4 decimals come from a table: formatting a double is the costly part of writing an analysis.
 */
function num(x: number): string {
  if (x >= -1 && x <= 1) {
    const k = Math.round(x * 1000);
    if (k / 1000 === x) return THOUSANDTHS[k + 1000];
    const k4 = Math.round(x * 10000);
    if (k4 / 10000 === x) return TEN_THOUSANDTHS[k4 + 10000];
  }
  return Number.isFinite(x) ? String(x) : 'null';
}

/** What JSON.stringify escapes in a string: a quote, a backslash, a control character, a (lone) surrogate. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON.stringify(text). A string with nothing to escape (nearly every id, language and evidence excerpt) is only
 * quoted: one regex test costs less than a call into the generic serializer.
 */
function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : '"' + text + '"';
}

/** JSON.stringify of an array of strings. */
function jsonStrings(list: readonly string[]): string {
  if (list.length === 0) return '[]';
  let out = '[' + jsonString(list[0]);
  for (let i = 1; i < list.length; i++) out += ',' + jsonString(list[i]);
  return out + ']';
}

function cues(list: readonly Cue[]): string {
  let out = '[';
  for (let i = 0; i < list.length; i++) {
    const cue = list[i];
    out +=
      (i > 0 ? ',{"name":"' : '{"name":"') +
      cue.name +
      '","strength":' +
      num(cue.strength) +
      ',"evidence":' +
      jsonStrings(cue.evidence) +
      '}';
  }
  return out + ']';
}

/** The aspects' JSON: they are plain identifiers, like cue names. */
function aspects(list: readonly Aspect[]): string {
  if (list.length === 0) return '[]';
  let out = '["' + list[0];
  for (let i = 1; i < list.length; i++) out += '","' + list[i];
  return out + '"]';
}

/** The keys of an analysis, in order: an output with any other shape is written by JSON.stringify. */
const ANALYSIS_KEYS = 'id,language,sentiment,polarity,complaint,memorable,memorability,severity,cues,aspects,cxLevel';

/**
 * One output line, byte for byte what JSON.stringify writes, built from the known shape of an analysis (about
 * three times faster than the generic walk). Anything else, an error or an analysis with fields this writer does
 * not know, goes through JSON.stringify.
 */
export function serializeScore(out: ScoreOutput): string {
  if ('error' in out || Object.keys(out).join(',') !== ANALYSIS_KEYS) return JSON.stringify(out);
  return analysisJson(out.id, out);
}

/**
 * JSON of `{id, ...analysis}` for an analysis of the known shape. Cue names, languages, polarities, severities,
 * aspects and CX levels are plain identifiers (nothing to escape); ids, languages and evidence through jsonString.
 * Joined with `+`, not a template: `+` learns that its operands are strings, a template converts each one by call.
 */
function analysisJson(id: string, a: Analysis): string {
  const s = a.sentiment;
  return (
    '{"id":' +
    jsonString(id) +
    ',"language":' +
    jsonString(a.language) +
    ',"sentiment":{"neg":' +
    num(s.neg) +
    ',"neu":' +
    num(s.neu) +
    ',"pos":' +
    num(s.pos) +
    ',"compound":' +
    num(s.compound) +
    '},"polarity":"' +
    a.polarity +
    (a.complaint ? '","complaint":true' : '","complaint":false') +
    (a.memorable ? ',"memorable":true,"memorability":' : ',"memorable":false,"memorability":') +
    num(a.memorability) +
    ',"severity":"' +
    a.severity +
    '","cues":' +
    cues(a.cues) +
    ',"aspects":' +
    aspects(a.aspects) +
    (a.cxLevel === null ? ',"cxLevel":null}' : ',"cxLevel":"' + a.cxLevel + '"}')
  );
}

/** Whether analyze's results have the shape analysisJson writes (checked on the first one: it is one literal). */
let analysisShape: boolean | null = null;

/**
 * An error line, `{"id", "error"}`; in a stream the error starts with the input line's number (`line 12: …`), so
 * a line without a usable id can still be found.
 */
function errorJson(scored: { id: string | null; error: string }, lineNumber: number | undefined): string {
  return JSON.stringify(
    lineNumber === undefined ? scored : { id: scored.id, error: `line ${lineNumber}: ${scored.error}` },
  );
}

/** One output line for one input line: serializeScore(scoreJsonLine(line)), errors with `line N: ` when given N. */
export function scoreJsonLineToJson(line: string, lineNumber?: number): string {
  return scoredJson(scoreLineParts(line), lineNumber);
}

/** The output line of a scored line (errors with `line N: ` when given N). */
function scoredJson(scored: ScoredLine, lineNumber: number | undefined): string {
  if ('error' in scored) return errorJson(scored, lineNumber);
  analysisShape ??= `id,${Object.keys(scored.analysis).join(',')}` === ANALYSIS_KEYS;
  return analysisShape
    ? analysisJson(scored.id, scored.analysis)
    : JSON.stringify({ id: scored.id, ...scored.analysis });
}

/** Whether bytes [from, to) start with the UTF-8 byte order mark, EF BB BF. */
function startsWithBom(bytes: Buffer, from: number, to: number): boolean {
  return to - from >= 3 && bytes[from] === 0xef && bytes[from + 1] === 0xbb && bytes[from + 2] === 0xbf;
}

/** Output is encoded into a byte block of this size and written one block per write call, not one line per call. */
const WRITE_BLOCK_BYTES = 256 * 1024;

/**
 * Stream stdin JSONL to stdout JSONL; blank lines are ignored. Input is split on '\n' by hand (a '\r' before it is
 * dropped). Each output line is encoded straight into a byte block (UTF-8 at most 3 bytes per UTF-16 code unit),
 * so no large string is built and flattened per write; a full block is written, waiting for 'drain' when the
 * reader is slower.
 */
export async function scoreJsonlStream(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<number> {
  let count = 0;
  /** The bytes of a line whose newline has not arrived yet. */
  let pending: Buffer | null = null;
  let block = Buffer.allocUnsafe(WRITE_BLOCK_BYTES);
  let used = 0;
  /** Lines too long for a block, written as they are after the block before them. */
  let oversized: string[] = [];
  const flush = async (): Promise<void> => {
    const chunk = block.subarray(0, used);
    const late = oversized;
    block = Buffer.allocUnsafe(WRITE_BLOCK_BYTES);
    used = 0;
    oversized = [];
    let ready = chunk.length === 0 ? true : output.write(chunk);
    for (const line of late) ready = output.write(line);
    if (!ready) await new Promise((resolve) => output.once('drain', resolve));
  };
  const emit = (line: string): void => {
    if (oversized.length === 0 && used + line.length * 3 + 1 <= WRITE_BLOCK_BYTES) {
      used += block.write(line, used);
      block[used++] = 10;
    } else oversized.push(line + '\n');
    count++;
  };
  let lineNumber = 0;
  let overlong = false;
  const scoreLine = (line: string): void => {
    lineNumber++;
    if (overlong || line.length > MAX_LINE_CHARS) {
      overlong = false;
      emit(errorJson({ id: null, error: 'longer than 1 MB: skipped' }, lineNumber));
      return;
    }
    if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (line.trim() === '') return;
    emit(scoreJsonLineToJson(line, lineNumber));
  };
  /** A line cut from the input bytes: read from them when it has the common shape, else decoded and parsed. */
  const scoreBytes = (data: Buffer, from: number, to: number): void => {
    const input =
      overlong || to - from > MAX_LINE_CHARS
        ? null
        : readPlainLine(data, startsWithBom(data, from, to) ? from + 3 : from, to);
    if (input === null) return scoreLine(data.toString('utf8', from, to));
    lineNumber++;
    emit(scoredJson(scoreInput(input), lineNumber));
  };
  /** A block is written once it may not hold the next line (lines of review length take a few hundred bytes). */
  const FLUSH_AT = WRITE_BLOCK_BYTES - 16 * 1024;
  // Lines are cut from the bytes ('\n' never occurs inside a UTF-8 sequence) and decoded one by one, so an ASCII
  // line becomes a one-byte string: a chunk decoded whole is a two-byte string as soon as one of its lines is
  // Vietnamese, and so would every line cut from it be, which makes parsing, analysis and output slower.
  for await (const piece of input as AsyncIterable<Buffer | string>) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    const data: Buffer = pending === null ? chunk : Buffer.concat([pending, chunk]);
    let from = 0;
    for (let at = data.indexOf(10); at >= 0; at = data.indexOf(10, from)) {
      scoreBytes(data, from, at);
      from = at + 1;
      if (used >= FLUSH_AT || oversized.length > 0) await flush();
    }
    pending = from < data.length ? data.subarray(from) : null;
    // A line that is already too long is not kept: its bytes are dropped until its newline arrives. A line has at
    // most as many UTF-16 code units as UTF-8 bytes, and at least a third as many.
    if (pending !== null && pending.length > MAX_LINE_CHARS) {
      if (pending.length > 3 * MAX_LINE_CHARS || pending.toString('utf8').length > MAX_LINE_CHARS) {
        overlong = true;
        pending = null;
      }
    }
  }
  if (pending !== null || overlong) scoreLine(pending === null ? '' : pending.toString('utf8'));
  if (used > 0 || oversized.length > 0) await flush();
  return count;
}

/**
 * The person-readable form of `earshot score "text"`. The text is shown on one line, and it and the evidence lose
 * their control characters (escape sequences, bidi overrides) as in `triage show`: a text must not drive the terminal.
 */
export function formatScore(text: string, analysis: Analysis): string {
  const s = analysis.sentiment;
  const shown = truncate(stripControls(text).replace(/\s+/g, ' ').trim(), 160);
  const lines = [
    `text:         ${shown}`,
    `language:     ${analysis.language}`,
    `sentiment:    compound ${s.compound.toFixed(4)}  (neg ${s.neg} · neu ${s.neu} · pos ${s.pos})`,
    `polarity:     ${analysis.polarity}  (neutral band ±0.05)`,
    `complaint:    ${analysis.complaint ? 'yes' : 'no'}`,
    `memorable:    ${analysis.memorable ? 'YES' : 'no'}  (memorability ${analysis.memorability.toFixed(2)})`,
    `severity:     ${analysis.severity}`,
    `aspects:      ${analysis.aspects.join(', ') || '-'}`,
    `CX level:     ${analysis.cxLevel ?? '-'}`,
  ];
  const why = explain(analysis);
  lines.push(why.length > 0 ? 'why:' : 'why:          no cues fired');
  for (const reason of why) lines.push(`  - ${stripControls(reason).replace(/\s+/g, ' ')}`);
  return lines.join('\n');
}

import { z } from 'zod';
import { analyze, explain } from '../../lambdas/core/analysis/analyze';
import type { Analysis } from '../../lambdas/core/analysis/types';

/** One input line of `earshot score --jsonl` (DESIGN.md contract). */
const scoreLine = z.object({
  id: z.union([z.string().min(1, 'must not be empty'), z.number()]).transform(String),
  text: z.string({ error: 'text must be a string' }),
  lang: z.string().optional(),
  title: z.string().optional(),
  rating: z.number().optional(),
});

export type ScoreOutput = ({ id: string } & Analysis) | { id: string | null; error: string };

/** Score one JSONL line; never throws: a bad line becomes `{id, error}`. */
export function scoreJsonLine(line: string): ScoreOutput {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    // Old Mac exports leave raw CRs inside strings: read them as the \r they meant rather than lose the line.
    const retried = line.includes('\r') ? parseOrUndefined(line.replace(/\r(?!$)/g, '\\r')) : undefined;
    if (retried === undefined) return { id: null, error: `not valid JSON: ${(error as Error).message}` };
    raw = retried;
  }
  // Numbers keep their source text: 9007199254740993 must not come back as …992 (another line's id).
  const numericId = rawNumericId(line);
  if (numericId !== undefined && raw && typeof raw === 'object') (raw as { id: unknown }).id = numericId;
  const id = idOf(raw);
  const parsed = scoreLine.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { id, error: `${issue.path.join('.') || 'line'}: ${issue.message}` };
  }
  try {
    const { id: lineId, ...input } = parsed.data;
    return { id: lineId, ...analyze(input) };
  } catch (error) {
    return { id, error: `analysis failed: ${(error as Error).message}` };
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function idOf(raw: unknown): string | null {
  if (raw && typeof raw === 'object' && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  }
  return null;
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

/** Longest input line; a longer one gets a per-line error and is skipped without being held in memory. */
export const MAX_LINE_BYTES = 1024 * 1024;

/**
 * JSONL lines from a byte stream: split on \n only (a raw CR inside a line is part of it; a CRLF ending is
 * tolerated by JSON itself), a BOM dropped, and lines over `maxBytes` reported as `{ tooLong }` while their bytes
 * are discarded as they arrive.
 */
export async function* jsonLines(
  input: AsyncIterable<Buffer | string>,
  maxBytes = MAX_LINE_BYTES,
): AsyncGenerator<{ line: string } | { tooLong: number }> {
  let parts: Buffer[] = [];
  let size = 0;
  let overflow = false;
  const finish = (): { line: string } | { tooLong: number } => {
    const out = overflow
      ? { tooLong: size }
      : {
          line: Buffer.concat(parts)
            .toString('utf8')
            .replace(/^\uFEFF/, ''),
        };
    parts = [];
    size = 0;
    overflow = false;
    return out;
  };
  for await (const chunk of input) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (let nl = buf.indexOf(0x0a); ; nl = buf.indexOf(0x0a)) {
      const piece = nl < 0 ? buf : buf.subarray(0, nl);
      size += piece.length;
      if (size > maxBytes) overflow = true;
      if (!overflow) parts.push(piece);
      if (nl < 0) break;
      yield finish();
      buf = buf.subarray(nl + 1);
    }
  }
  if (size > 0 || parts.length > 0) yield finish();
}

/** Stream stdin JSONL to stdout JSONL; blank lines are ignored. */
export async function scoreJsonlStream(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<number> {
  let count = 0;
  let lineNumber = 0;
  let buffer: string[] = [];
  for await (const entry of jsonLines(input as AsyncIterable<Buffer | string>)) {
    lineNumber++;
    let result: ScoreOutput;
    if ('tooLong' in entry) {
      result = { id: null, error: `line ${lineNumber} is longer than ${MAX_LINE_BYTES / 1024 / 1024} MB: skipped` };
    } else {
      if (entry.line.trim() === '') continue;
      result = scoreJsonLine(entry.line);
    }
    buffer.push(JSON.stringify(result));
    count++;
    if (buffer.length >= 256) {
      if (!output.write(buffer.join('\n') + '\n')) await new Promise((resolve) => output.once('drain', resolve));
      buffer = [];
    }
  }
  if (buffer.length > 0) output.write(buffer.join('\n') + '\n');
  return count;
}

/** The person-readable form of `earshot score "text"`. */
export function formatScore(text: string, analysis: Analysis): string {
  const s = analysis.sentiment;
  const lines = [
    `text:         ${text.length > 160 ? text.slice(0, 157) + '…' : text}`,
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
  for (const reason of why) lines.push(`  - ${reason}`);
  return lines.join('\n');
}

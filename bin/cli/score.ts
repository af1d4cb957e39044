import { createInterface } from 'node:readline';
import { z } from 'zod';
import { analyze, explain } from '../../lambdas/core/analysis/analyze';
import type { Analysis } from '../../lambdas/core/analysis/types';

/** One input line of `earshot score --jsonl` (DESIGN.md contract). */
const scoreLine = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
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
    return { id: null, error: `not valid JSON: ${(error as Error).message}` };
  }
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

function idOf(raw: unknown): string | null {
  if (raw && typeof raw === 'object' && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  }
  return null;
}

/** Stream stdin JSONL to stdout JSONL; blank lines are ignored. */
export async function scoreJsonlStream(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<number> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let count = 0;
  let buffer: string[] = [];
  for await (const line of lines) {
    if (line.trim() === '') continue;
    buffer.push(JSON.stringify(scoreJsonLine(line)));
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

import { scoreJsonLine } from '../../bin/cli/score';
import { readSharedJsonl } from '../shared-data';

/**
 * The contract path, not just the scorer: `earshot score --jsonl` without a language hint must give Python
 * vaderSentiment's scores for the reference tweets, so language detection may not send English elsewhere.
 */

const TOLERANCE = { compound: 0.0001, share: 0.001 };

interface Row {
  id: string;
  text: string;
  neg: number;
  neu: number;
  pos: number;
  compound: number;
}

function rows(file: string): Row[] {
  return readSharedJsonl<Row>(file);
}

it('earshot score --jsonl (no hint) matches the VADER reference on >= 99.9% of the reference texts', () => {
  const all = [...rows('vader-reference-tweets.jsonl'), ...rows('vader-reference-rules.jsonl')];
  const mismatches: string[] = [];
  for (const row of all) {
    const out = scoreJsonLine(JSON.stringify({ id: row.id, text: row.text }));
    if ('error' in out) throw new Error(`${row.id}: ${out.error}`);
    const s = out.sentiment;
    const ok =
      Math.abs(s.compound - row.compound) <= TOLERANCE.compound &&
      Math.abs(s.neg - row.neg) <= TOLERANCE.share &&
      Math.abs(s.neu - row.neu) <= TOLERANCE.share &&
      Math.abs(s.pos - row.pos) <= TOLERANCE.share;
    if (!ok) mismatches.push(`${row.id} [${out.language}] ${row.text.slice(0, 60)}`);
  }
  const share = 1 - mismatches.length / all.length;
  console.log(`score --jsonl VADER parity: ${(share * 100).toFixed(2)}% of ${all.length}`);
  // Those left are Spanish and Dutch tweets in the reference, scored by their own language's scorer.
  if (share < 0.999) throw new Error(`parity ${share.toFixed(4)}; mismatches:\n${mismatches.join('\n')}`);
  expect(share).toBeGreaterThanOrEqual(0.999);
});

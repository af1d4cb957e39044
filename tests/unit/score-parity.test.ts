import { polarityScores } from '../../lambdas/core/analysis/vader';
import { scoreJsonLine } from '../../bin/cli/score';

/**
 * The contract path, not just the scorer: `earshot score --jsonl` without a language hint must give English text
 * VADER's scores, so language detection may not send English elsewhere. Hand-written sentences of the kinds that
 * trip detectors (short, slangy, brand names, numbers, emoji, a foreign word or two); parity on the 4,242 reference
 * texts through the same path is measured by `npm run eval -- --check`.
 */
const ENGLISH = [
  'The book was good.',
  'Today SUX!',
  'lol ok',
  'Acme Air lost my bag on AC123, nobody answers the phone 😡',
  'I paid for premium and waited 3 hours. Cancelling.',
  'Not bad at all, would fly again',
  'Gracias for nothing, Acme. Worst support ever.',
  'meh',
  'Delivery was late but the driver was lovely :)',
  'Is the store in District 1 open on Sundays?',
  'WORST. APP. EVER!!!',
  'My order #4411 arrived damaged, again.',
];

describe('earshot score --jsonl on English with no hint', () => {
  it.each(ENGLISH)('scores %j as English with the VADER port', (text) => {
    const out = scoreJsonLine(JSON.stringify({ id: 'x', text }));
    if ('error' in out) throw new Error(out.error);
    expect(out.language).toBe('en');
    expect(out.sentiment).toEqual(polarityScores(text));
  });
});

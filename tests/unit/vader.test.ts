import { polarityScores } from '../../lambdas/core/analysis/vader';
import { parseLexiconSource, VADER_LEXICON } from '../../lambdas/core/analysis/vader-lexicon';
import type { Sentiment } from '../../lambdas/core/analysis/types';
import { readSharedJsonl } from '../shared-data';

/** Scores that Python vaderSentiment 3.3.x gave for a text (the oracle files in ../shared/data). */
interface ReferenceRow extends Sentiment {
  id: string;
  text: string;
}

function readReference(file: string): ReferenceRow[] {
  return readSharedJsonl<ReferenceRow>(file);
}

function matches(actual: Sentiment, expected: Sentiment): boolean {
  const eps = 1e-9; // float noise in the comparison itself
  return (
    Math.abs(actual.compound - expected.compound) <= 0.0001 + eps &&
    Math.abs(actual.pos - expected.pos) <= 0.001 + eps &&
    Math.abs(actual.neu - expected.neu) <= 0.001 + eps &&
    Math.abs(actual.neg - expected.neg) <= 0.001 + eps
  );
}

const rules = new Map(readReference('vader-reference-rules.jsonl').map((row) => [row.id, row]));

/** The oracle's scores for one of the rule sentences, checked to be the text we think it is. */
function oracle(id: string, text: string): Sentiment {
  const row = rules.get(id);
  if (!row || row.text !== text) throw new Error(`reference row ${id} is not ${JSON.stringify(text)}`);
  return { neg: row.neg, neu: row.neu, pos: row.pos, compound: row.compound };
}

describe('polarityScores parity with Python vaderSentiment 3.3.x', () => {
  it.each(['vader-reference-tweets.jsonl', 'vader-reference-rules.jsonl'])(
    'matches %s on >= 99.9%% of texts',
    (file) => {
      const rows = readReference(file);
      const mismatches = rows
        .map((row) => ({ row, got: polarityScores(row.text) }))
        .filter(({ row, got }) => !matches(got, row))
        .map(({ row, got }) => {
          const want = { neg: row.neg, neu: row.neu, pos: row.pos, compound: row.compound };
          return `${row.id} ${JSON.stringify(row.text)}\n  want ${JSON.stringify(want)}\n  got  ${JSON.stringify(got)}`;
        });
      const parity = 1 - mismatches.length / rows.length;
      if (parity < 0.999) {
        throw new Error(
          `parity ${(parity * 100).toFixed(2)}% (${mismatches.length} of ${rows.length} differ):\n` +
            mismatches.slice(0, 25).join('\n'),
        );
      }
      expect(rows.length).toBeGreaterThan(0);
    },
  );
});

describe('polarityScores rules', () => {
  it('negation flips the sentiment, whatever its case', () => {
    const shouting = polarityScores('VADER is NOT smart, handsome, nor funny.');
    expect(shouting).toEqual(oracle('rules-8', 'VADER is NOT smart, handsome, nor funny.'));
    expect(shouting.compound).toBeLessThan(0);
    expect(polarityScores('VADER is smart, handsome, and funny.').compound).toBeGreaterThan(0);
  });

  it('ALL-CAPS words count for more when the rest of the text is not in caps', () => {
    const plain = polarityScores('VADER is very smart, handsome, and funny.');
    const caps = polarityScores('VADER is VERY SMART, handsome, and FUNNY.');
    expect(plain).toEqual(oracle('rules-3', 'VADER is very smart, handsome, and funny.'));
    expect(caps).toEqual(oracle('rules-4', 'VADER is VERY SMART, handsome, and FUNNY.'));
    expect(caps.compound).toBeGreaterThan(plain.compound);
    // A text entirely in caps gets no emphasis.
    expect(polarityScores('THE BOOK WAS GOOD.').compound).toBe(polarityScores('The book was good.').compound);
  });

  it('exclamation marks amplify', () => {
    const calm = polarityScores('VADER is smart, handsome, and funny.');
    const excited = polarityScores('VADER is smart, handsome, and funny!');
    expect(excited).toEqual(oracle('rules-2', 'VADER is smart, handsome, and funny!'));
    expect(excited.compound).toBeGreaterThan(calm.compound);
  });

  it('"but" makes what follows dominate', () => {
    const text = 'The plot was good, but the characters are uncompelling and the dialog is not great.';
    const scores = polarityScores(text);
    expect(scores).toEqual(oracle('rules-12', text));
    expect(scores.compound).toBeLessThan(0);
  });

  it('"kind of" dampens', () => {
    const plain = polarityScores('The book was good.');
    const dampened = polarityScores('The book was only kind of good.');
    expect(plain).toEqual(oracle('rules-9', 'The book was good.'));
    expect(dampened).toEqual(oracle('rules-11', 'The book was only kind of good.'));
    expect(dampened.compound).toBeLessThan(plain.compound);
  });

  it('"least" negates, except in "at least"', () => {
    const text = "At least it isn't a horrible book.";
    expect(polarityScores(text)).toEqual(oracle('rules-10', text));
    const compelling = 'Roger Dodger is one of the most compelling variations on this theme.';
    const leastCompelling = 'Roger Dodger is one of the least compelling variations on this theme.';
    expect(polarityScores(compelling).compound).toBeGreaterThan(0);
    expect(polarityScores(leastCompelling).compound).toBeLessThan(0);
  });

  it('emoji are scored through their descriptions', () => {
    expect(polarityScores('😍').compound).toBeGreaterThan(0);
    const loved = 'Absolutely love the new design 😍😍';
    expect(polarityScores(loved)).toEqual(oracle('rules-28', loved));
    // The reference describes 😡 as "pouting face", which carries no sentiment.
    const angry = 'Waited two hours on hold 😡 and then they hung up on me';
    expect(polarityScores(angry)).toEqual(oracle('rules-29', angry));
    const mixed = 'Catch utf-8 emoji such as 💘 and 💋 and 😁';
    expect(polarityScores(mixed)).toEqual(oracle('rules-16', mixed));
  });

  it('emoticons and slang come from the lexicon', () => {
    const text = 'Make sure you :) or :D today!';
    expect(polarityScores(text)).toEqual(oracle('rules-15', text));
    expect(polarityScores('Today SUX!')).toEqual(oracle('rules-13', 'Today SUX!'));
  });

  it('gives all zeros for text without tokens', () => {
    expect(polarityScores('')).toEqual({ neg: 0, neu: 0, pos: 0, compound: 0 });
    expect(polarityScores('  \n\t ')).toEqual({ neg: 0, neu: 0, pos: 0, compound: 0 });
  });
});

describe('vader lexicon', () => {
  it('parses the npm package lexicon source, quoted keys and escapes included', () => {
    const source = [
      'export const lexicon = {',
      "  '$:': -1.5,",
      `  "( '}{' )": 1.6,`,
      "  ':-\\\\': -0.9,",
      '  1337: 2.1,',
      '  abandon: -1.9',
      '};',
    ].join('\n');
    expect(parseLexiconSource(source)).toEqual(
      new Map([
        ['$:', -1.5],
        ["( '}{' )", 1.6],
        [':-\\', -0.9],
        ['1337', 2.1],
        ['abandon', -1.9],
      ]),
    );
  });

  it('carries the Python 3.3.x corrections', () => {
    expect(VADER_LEXICON.get('badass')).toBe(1.4);
    expect(VADER_LEXICON.get('heart')).toBe(3.2);
    expect(VADER_LEXICON.get('good')).toBe(1.9);
    expect(VADER_LEXICON.get(':-\\')).toBe(-0.9);
  });
});

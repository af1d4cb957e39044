import { polarityScores, whitespaceTokensOf } from '../../lambdas/core/analysis/vader';
import { VADER_LEXICON } from '../../lambdas/core/analysis/vader-lexicon';
import { parseLexiconSource } from '../../lambdas/core/analysis/vader-lexicon-source';
import type { Sentiment } from '../../lambdas/core/analysis/types';

/**
 * Regression cases pinned from Python vaderSentiment 3.3.x: each expected score below was read from the reference
 * data (shared/data/vader-reference-rules.jsonl, the rule sentences of VADER's own README) and checked against it
 * before being pinned here, so `npm test` needs no data beside the clone. Full parity on all 4,242 reference texts
 * is measured by `npm run eval -- --check`.
 */
const PINNED: Record<string, Sentiment & { text: string }> = {
  'rules-2': { text: 'VADER is smart, handsome, and funny!', neg: 0.0, neu: 0.248, pos: 0.752, compound: 0.8439 },
  'rules-3': { text: 'VADER is very smart, handsome, and funny.', neg: 0.0, neu: 0.299, pos: 0.701, compound: 0.8545 },
  'rules-4': { text: 'VADER is VERY SMART, handsome, and FUNNY.', neg: 0.0, neu: 0.246, pos: 0.754, compound: 0.9227 },
  'rules-8': { text: 'VADER is NOT smart, handsome, nor funny.', neg: 0.646, neu: 0.354, pos: 0.0, compound: -0.7424 },
  'rules-9': { text: 'The book was good.', neg: 0.0, neu: 0.508, pos: 0.492, compound: 0.4404 },
  'rules-10': { text: "At least it isn't a horrible book.", neg: 0.0, neu: 0.678, pos: 0.322, compound: 0.431 },
  'rules-11': { text: 'The book was only kind of good.', neg: 0.0, neu: 0.697, pos: 0.303, compound: 0.3832 },
  'rules-12': {
    text: 'The plot was good, but the characters are uncompelling and the dialog is not great.',
    neg: 0.327,
    neu: 0.579,
    pos: 0.094,
    compound: -0.7042,
  },
  'rules-13': { text: 'Today SUX!', neg: 0.779, neu: 0.221, pos: 0.0, compound: -0.5461 },
  'rules-15': { text: 'Make sure you :) or :D today!', neg: 0.0, neu: 0.294, pos: 0.706, compound: 0.8633 },
  'rules-16': { text: 'Catch utf-8 emoji such as 💘 and 💋 and 😁', neg: 0.0, neu: 0.583, pos: 0.417, compound: 0.875 },
  'rules-28': { text: 'Absolutely love the new design 😍😍', neg: 0.0, neu: 0.488, pos: 0.512, compound: 0.8883 },
  'rules-29': {
    text: 'Waited two hours on hold 😡 and then they hung up on me',
    neg: 0.0,
    neu: 1.0,
    pos: 0.0,
    compound: 0.0,
  },
};

/** The reference's scores for one of the pinned sentences, checked to be the text we think it is. */
function oracle(id: string, text: string): Sentiment {
  const row = PINNED[id];
  if (!row || row.text !== text) throw new Error(`pinned case ${id} is not ${JSON.stringify(text)}`);
  return { neg: row.neg, neu: row.neu, pos: row.pos, compound: row.compound };
}

describe('polarityScores on the pinned reference cases', () => {
  it.each(Object.entries(PINNED))('%s matches Python vaderSentiment', (_id, row) => {
    const got = polarityScores(row.text);
    expect(Math.abs(got.compound - row.compound)).toBeLessThanOrEqual(0.0001 + 1e-9);
    for (const key of ['neg', 'neu', 'pos'] as const)
      expect(Math.abs(got[key] - row[key])).toBeLessThanOrEqual(0.001 + 1e-9);
  });
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

describe('polarityScores reading of the text', () => {
  // 😊 is "smiling face with smiling eyes" in the reference's emoji table.
  const smiling = 'smiling face with smiling eyes';

  it('reads an emoji as its description, glued to what follows it and spaced from what precedes it', () => {
    // The scan stops at the emoji and reads the rest of the replaced text from the start of the emoji's token.
    expect(polarityScores('great!!😊 day')).toEqual(polarityScores(`great!! ${smiling} day`));
    expect(polarityScores('Good job 😊!')).toEqual(polarityScores(`Good job ${smiling}!`));
    expect(polarityScores('so bad😊good')).toEqual(polarityScores(`so bad ${smiling}good`));
    expect(polarityScores('NOT good but 😊😊 ok?? really??')).toEqual(
      polarityScores(`NOT good but ${smiling} ${smiling} ok?? really??`),
    );
  });

  it('keeps the tokens of a text without emoji for the cue scanner, and not those of a replaced text', () => {
    const accented = 'The café was great, but the crème brûlée was not';
    polarityScores(accented);
    const shared = whitespaceTokensOf(accented);
    expect(shared).not.toBeNull();
    expect(shared?.count).toBe(10);
    expect(shared?.ascii).toBe(false);
    expect([shared?.starts[1], shared?.ends[1]]).toEqual([4, 8]);

    const ascii = 'Is it good?  Really?';
    polarityScores(ascii);
    expect(whitespaceTokensOf(ascii)).toMatchObject({ count: 4, ascii: true, questions: 2 });
    expect(whitespaceTokensOf(accented)).toBeNull();

    polarityScores('Thanks 😊');
    expect(whitespaceTokensOf('Thanks 😊')).toBeNull();
  });

  it('treats characters above the emoji range that have no description as word characters', () => {
    // © is the lowest code point with a description; é has none, so "goodé" is one word in no lexicon.
    expect(polarityScores('good©')).toEqual(polarityScores('good copyright'));
    expect(polarityScores('so goodé')).toEqual({ neg: 0, neu: 1, pos: 0, compound: 0 });
    expect(polarityScores('so good é').compound).toBeGreaterThan(0);
  });

  it('counts words whose sentiment comes out 0 as neutral', () => {
    // "no" before a lexicon word scores 0 itself and negates that word: sentiments [0, 1.9 * -0.74].
    expect(polarityScores('no good')).toEqual({ neg: 0.706, neu: 0.294, pos: 0, compound: -0.3412 });
  });

  it('"but" halves the sentiments before it and raises those after it by half', () => {
    // good = 1.9: sentiments [0.95, 0.95, 0, 2.85], sum 4.75, compound 4.75 / sqrt(4.75² + 15).
    expect(polarityScores('good good but good')).toEqual({ neg: 0, neu: 0.114, pos: 0.886, compound: 0.775 });
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

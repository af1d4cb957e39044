import { detectCues, scanText, type CueContext } from '../../lambdas/core/analysis/cues';
import type { Cue, CueName, Sentiment } from '../../lambdas/core/analysis/types';

const NEUTRAL: Sentiment = { neg: 0, neu: 1, pos: 0, compound: 0 };

function cues(text: string, context: Partial<CueContext> = {}): Cue[] {
  return detectCues(text, { sentiment: NEUTRAL, language: 'en', ...context }).cues;
}

function cue(text: string, name: CueName, context: Partial<CueContext> = {}): Cue | undefined {
  return cues(text, context).find((c) => c.name === name);
}

describe('cue detection (English)', () => {
  it('negativity comes from the compound and names the problem words', () => {
    const found = cue('The app stopped working and it is the worst.', 'negativity', {
      sentiment: { neg: 0.4, neu: 0.6, pos: 0, compound: -0.7 },
    });
    expect(found?.strength).toBeGreaterThan(0.4);
    expect(found?.evidence).toEqual(expect.arrayContaining(['the worst', 'stopped working', 'compound -0.70']));
  });

  it('intensity: shouted words, !!!, angry emoji and profanity', () => {
    const found = cue('This is BROKEN AGAIN!!! 😡 wtf', 'intensity');
    expect(found?.evidence).toEqual(expect.arrayContaining(['BROKEN', 'AGAIN', '!!!', '😡', 'wtf']));
    expect(found?.strength).toBeGreaterThan(0.8);
    // Usual acronyms, handles and hashtags are not shouting.
    expect(cue('My USB cable from @ACME arrived #UPS', 'intensity')).toBeUndefined();
  });

  it('expectation gap', () => {
    const found = cue('I paid for premium and expected better. Not as described.', 'expectationGap');
    expect(found?.evidence).toEqual(
      expect.arrayContaining(['paid for premium', 'expected better', 'Not as described']),
    );
    expect(found?.strength).toBeGreaterThan(0.9);
  });

  it('effort: numbers with time units, repetition and "still"', () => {
    const found = cue('It took 3 hours, called 5 times, 3rd time this month, for weeks again and again', 'effort');
    expect(found?.evidence).toEqual(
      expect.arrayContaining(['3 hours', '5 times', '3rd time', 'for weeks', 'again and again']),
    );
    expect(cue('I have 1 day off', 'effort')).toBeUndefined();
  });

  it('unanswered question', () => {
    const found = cue('Emailed twice, no reply. Nobody answered the phone, still waiting.', 'unanswered');
    expect(found?.evidence).toEqual(expect.arrayContaining(['no reply', 'Nobody answered', 'still waiting']));
  });

  it('churn intent', () => {
    const found = cue("I'm cancelling and switching to another bank. Never again. I want a refund.", 'churn');
    expect(found?.evidence).toEqual(
      expect.arrayContaining(['cancelling', 'switching to', 'Never again', 'want a refund']),
    );
  });

  it('amplification: warnings, scams, #fail and @tags', () => {
    const found = cue('Beware, this is a scam. Do not buy! #fail @AcmeHelp', 'amplification');
    expect(found?.evidence).toEqual(expect.arrayContaining(['Beware', 'scam', 'Do not buy', '#fail', '@AcmeHelp']));
  });

  it('reach and engagement are log-scaled', () => {
    const small = cue('meh', 'reach', { authorReach: 100 });
    const big = cue('meh', 'reach', { authorReach: 1_000_000, engagement: { likes: 50 } });
    expect(small?.strength).toBeGreaterThan(0);
    expect(big?.strength).toBeGreaterThan(small?.strength ?? 1);
    expect(big?.evidence).toEqual(['1,000,000 followers', '50 likes']);
    expect(cue('meh', 'reach')).toBeUndefined();
  });

  it('low rating only for 1–2 stars', () => {
    expect(cue('ok', 'lowRating', { rating: 1 })).toEqual({ name: 'lowRating', strength: 1, evidence: ['1★'] });
    expect(cue('ok', 'lowRating', { rating: 2 })?.strength).toBeLessThan(1);
    expect(cue('ok', 'lowRating', { rating: 4 })).toBeUndefined();
  });

  it('phrases that only look negative hide their words', () => {
    const signals = scanText("Can't wait for the new season, no problems at all", 'en').signals;
    expect(signals.problem.strength).toBe(0);
  });

  it('a plain positive text has no cues', () => {
    expect(cues('Lovely weather today, had a great walk.')).toEqual([]);
  });
});

describe('cue detection (Vietnamese)', () => {
  it('finds phrases with diacritics', () => {
    const found = detectCues('Hàng không như hình, thất vọng. Chờ mãi không ai trả lời. Không bao giờ mua nữa!', {
      sentiment: NEUTRAL,
      language: 'vi',
    }).cues;
    const names = found.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['expectationGap', 'effort', 'unanswered', 'churn']));
    expect(found.find((c) => c.name === 'expectationGap')?.evidence).toContain('không như hình');
  });

  it('finds the same phrases without diacritics', () => {
    const found = detectCues('hang khong nhu hinh, lua dao, moi nguoi dung mua', {
      sentiment: NEUTRAL,
      language: 'vi',
    });
    expect(found.cues.find((c) => c.name === 'expectationGap')?.evidence).toContain('khong nhu hinh');
    expect(found.cues.find((c) => c.name === 'amplification')?.evidence).toEqual(
      expect.arrayContaining(['lua dao', 'moi nguoi dung mua']),
    );
  });

  it('does not look for Vietnamese phrases in English text', () => {
    expect(scanText('hang gia at the door', 'en').signals.expectationGap.strength).toBe(0);
    expect(scanText('hàng giả', 'vi').signals.expectationGap.strength).toBeGreaterThan(0);
  });
});

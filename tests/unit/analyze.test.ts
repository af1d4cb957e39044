import { analyze, explain } from '../../lambdas/core/analysis/analyze';
import { polarityScores } from '../../lambdas/core/analysis/vader';
import { SEVERITIES, type Analysis, type Cue, type CueName, type Sentiment } from '../../lambdas/core/analysis/types';
import {
  COMBINATION_BONUS,
  complaintScore,
  MEMORABILITY_WEIGHTS,
  MEMORABLE_THRESHOLD,
  memorability,
  UNANCHORED_CAP,
} from '../../lambdas/core/analysis/classify';
import { detectCues, scanText } from '../../lambdas/core/analysis/cues';

function cueNames(a: Analysis): CueName[] {
  return a.cues.map((c) => c.name);
}

function severityRank(a: Analysis): number {
  return SEVERITIES.indexOf(a.severity);
}

describe('analyze', () => {
  it('scores English sentiment exactly as VADER does on the text field', () => {
    const text = 'The service was terrible and nobody answered my emails!!';
    const a = analyze({ text, title: 'Awful, awful experience', lang: 'en' });
    expect(a.language).toBe('en');
    expect(a.sentiment).toEqual(polarityScores(text));
  });

  it('a plain question is not a complaint', () => {
    for (const text of [
      'Can I return online purchases to a store if I have the order details?',
      'Which store near me has this wallet in stock?',
      'What time does the shop open on Sunday?',
    ]) {
      const a = analyze({ text });
      expect(a.complaint).toBe(false);
      expect(a.memorable).toBe(false);
      expect(a.severity).toBe('none');
      expect(a.cxLevel).toBeNull();
    }
  });

  it('a strong complaint with expectation gap and churn is memorable, severity medium or worse', () => {
    const a = analyze({
      text:
        'I paid for premium and expected better. The app stopped working and I waited 3 hours on hold, ' +
        'no reply from support. Worst service ever. I am cancelling and switching to another provider.',
    });
    expect(a.complaint).toBe(true);
    expect(a.memorable).toBe(true);
    expect(severityRank(a)).toBeGreaterThanOrEqual(SEVERITIES.indexOf('medium'));
    expect(cueNames(a)).toEqual(
      expect.arrayContaining(['negativity', 'expectationGap', 'effort', 'unanswered', 'churn']),
    );
    expect(a.aspects).toEqual(expect.arrayContaining(['function', 'time', 'service', 'price']));
    expect(a.cxLevel).not.toBeNull();
    expect(explain(a)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^expectation gap: 'paid for premium', 'expected better'/)]),
    );
  });

  it('a positive review is neither a complaint nor memorable', () => {
    const a = analyze({ text: 'Love it! Setup took two minutes and it works great. Highly recommend.', rating: 5 });
    expect(a.complaint).toBe(false);
    expect(a.memorable).toBe(false);
    expect(a.severity).toBe('none');
    expect(a.sentiment.compound).toBeGreaterThan(0.5);
  });

  it('reach raises severity of the same complaint', () => {
    const text = 'My order never arrived, no response from support for 2 weeks. Never ordering again. Scam.';
    const quiet = analyze({ text });
    const loud = analyze({ text, authorReach: 2_000_000, engagement: { likes: 5000, shares: 800 } });
    expect(quiet.complaint).toBe(true);
    expect(severityRank(loud)).toBeGreaterThanOrEqual(severityRank(quiet));
    expect(cueNames(loud)).toContain('reach');
  });

  it('uses the rating when the mention carries one', () => {
    const a = analyze({ text: 'It broke after a week.', rating: 1 });
    expect(cueNames(a)).toContain('lowRating');
    expect(explain(a)).toContain("low rating: '1★'");
  });

  it('detects a Vietnamese complaint', () => {
    const a = analyze({
      text: 'Hàng không như hình, giao hàng chậm, nhắn tin shop không trả lời. Thất vọng, không bao giờ mua nữa.',
      lang: 'vi',
    });
    expect(a.language).toBe('vi');
    expect(a.complaint).toBe(true);
    expect(cueNames(a)).toEqual(expect.arrayContaining(['expectationGap', 'unanswered', 'churn']));
  });

  it('detects a Vietnamese complaint written without diacritics', () => {
    const a = analyze({ text: 'hang khong nhu hinh, that vong, moi nguoi dung mua, lua dao', lang: 'vi' });
    expect(a.complaint).toBe(true);
    expect(cueNames(a)).toEqual(expect.arrayContaining(['expectationGap', 'amplification']));
  });

  it('a language it cannot score gets neutral sentiment and a notScored cue', () => {
    const a = analyze({ text: 'Η εφαρμογή δεν λειτουργεί καθόλου μετά την τελευταία ενημέρωση.', lang: 'el' });
    expect(a.language).toBe('el');
    const notScored = a.cues.find((c) => c.name === 'notScored');
    if (notScored !== undefined) {
      expect(a.sentiment).toEqual({ neg: 0, neu: 1, pos: 0, compound: 0 });
      expect(notScored.evidence[0]).toMatch(/el/);
      expect(explain(a).some((line) => line.startsWith('not scored'))).toBe(true);
    } else {
      // Scored by the other-languages scorer: then it must be a real score.
      expect(a.sentiment.compound).toBeGreaterThanOrEqual(-1);
    }
  });

  it('survives empty, huge, control-character and mixed-script texts', () => {
    const empty = analyze({ text: '' });
    expect(empty.complaint).toBe(false);
    expect(empty.memorability).toBe(0);

    const huge = analyze({ text: 'This is broken and nobody answered. '.repeat(3000) });
    expect(huge.complaint).toBe(true);
    expect(huge.memorability).toBeLessThanOrEqual(1);

    const control = analyze({ text: 'broken\u0000\u0007 again\u001b[31m!!! no\u0008 reply' });
    expect(control.cues.length).toBeGreaterThan(0);

    const mixed = analyze({ text: 'App 壊れた!!! không hoạt động, doesn’t work 😡 مرحبا' });
    expect(mixed.memorability).toBeGreaterThanOrEqual(0);
    expect(mixed.memorability).toBeLessThanOrEqual(1);

    // Not a string at all (a bad JSON line): analysed as empty rather than throwing.
    expect(analyze({ text: undefined as unknown as string }).complaint).toBe(false);
  });
});

describe('memorability and complaint rules', () => {
  const cue = (name: CueName, strength: number): Cue => ({ name, strength, evidence: [] });
  const signalsOf = (text: string) => scanText(text, 'en').signals;

  it('two strong experience cues earn the combination bonus on top of their weights', () => {
    const signals = signalsOf('');
    const alone = memorability([cue('effort', 1)], signals);
    const together = memorability([cue('effort', 1), cue('unanswered', 1)], signals);
    expect(alone).toBeCloseTo(MEMORABILITY_WEIGHTS.effort, 3);
    expect(together).toBeCloseTo(MEMORABILITY_WEIGHTS.effort + MEMORABILITY_WEIGHTS.unanswered + COMBINATION_BONUS, 3);
    // A weak hint ("still") does not count as a second cue.
    expect(memorability([cue('effort', 1), cue('unanswered', 0.3)], signals)).toBeCloseTo(
      MEMORABILITY_WEIGHTS.effort + 0.3 * MEMORABILITY_WEIGHTS.unanswered,
      3,
    );
  });

  it('negativity that names nothing it is about stays below the memorable threshold', () => {
    expect(UNANCHORED_CAP).toBeLessThan(MEMORABLE_THRESHOLD);
    const negativity = [cue('negativity', 1)];
    expect(memorability(negativity, signalsOf('I hate it'))).toBe(UNANCHORED_CAP);
    expect(memorability(negativity, signalsOf('I hate the app'))).toBeCloseTo(MEMORABILITY_WEIGHTS.negativity, 3);
  });

  it('VADER positivity counts against a complaint only without strong experience cues', () => {
    const neutral: Sentiment = { neg: 0, neu: 1, pos: 0, compound: 0 };
    const positive: Sentiment = { neg: 0, neu: 0.7, pos: 0.3, compound: 0.5 };
    const score = (text: string, sentiment: Sentiment) =>
      complaintScore(detectCues(text, { sentiment, language: 'en' }), sentiment);
    const strong = 'Waited 3 weeks, support never replied.';
    expect(score(strong, positive)).toBeCloseTo(score(strong, neutral), 6);
    const single = 'Waited 3 weeks for support.';
    expect(score(single, positive)).toBeLessThan(score(single, neutral));
  });

  it('praise of a resolution outweighs the word "issue"', () => {
    const a = analyze({ text: 'Acme support is great, they fixed my issue in minutes.' });
    expect(a.complaint).toBe(false);
    expect(analyze({ text: 'Acme support never fixed my issue.' }).complaint).toBe(true);
  });
});

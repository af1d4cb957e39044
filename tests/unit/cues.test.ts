import { detectCues, scanText, type CueContext } from '../../lambdas/core/analysis/cues';
import type { Cue, CueName, Sentiment } from '../../lambdas/core/analysis/types';
import { polarityScores } from '../../lambdas/core/analysis/vader';

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

  it('effort: an ordinal is digits and st/nd/rd/th; other words starting with digits count nothing', () => {
    expect(cue('the 2nd call, the 11th attempt', 'effort')?.evidence).toEqual(['2nd call', '11th attempt']);
    expect(cue('my 1st call', 'effort')).toBeUndefined(); // a first attempt is no repetition
    for (const text of ['the 5am call', 'the 2nds call', 'the 3r time', 'flight ac5866 times', '2x times']) {
      expect(cue(text, 'effort')).toBeUndefined();
    }
  });

  it('unanswered question', () => {
    const found = cue('Emailed twice, no reply. Nobody answered the phone, still waiting.', 'unanswered');
    expect(found?.evidence).toEqual(expect.arrayContaining(['no reply', 'Nobody answered', 'still waiting']));
  });

  it('churn intent', () => {
    const found = cue("I'm cancelling and switching to another bank. Never again. I want my money back.", 'churn');
    expect(found?.evidence).toEqual(
      expect.arrayContaining(['cancelling', 'switching to', 'Never again', 'want my money back']),
    );
  });

  it('a refund, asked for or waited for, is not churn: it is a failed purchase', () => {
    expect(cue('thanks for the quick refund!', 'churn')).toBeUndefined();
    expect(cue('Still waiting for my refund.', 'churn')).toBeUndefined();
    expect(scanText('I want a refund, still no refund', 'en').signals.problem.evidence).toEqual(
      expect.arrayContaining(['want a refund', 'still no refund']),
    );
    expect(cue('Been waiting for my refund since May.', 'effort')?.evidence).toContain('waiting for my refund');
  });

  it('uninstalling to reinstall is troubleshooting (effort), not leaving', () => {
    const text = 'I uninstalled and reinstalled the app, then tried uninstalling it again.';
    expect(cue(text, 'churn')).toBeUndefined();
    expect(cue(text, 'effort')?.evidence).toContain('uninstalled and reinstalled');
    expect(cue('Uninstalled. Done with this app.', 'churn')?.evidence).toEqual(['Uninstalled', 'Done with']);
  });

  it('money paid raises the expectation, more for a big amount', () => {
    const big = cue('Paid $1,200 for this laptop', 'expectationGap');
    const small = cue('I spent $5 on it', 'expectationGap');
    expect(big?.evidence).toEqual(['Paid $1']);
    expect(small?.evidence).toEqual(['spent $5']);
    expect(big?.strength).toBeGreaterThan(small?.strength ?? 1);
    expect(cue('paid 300 dollars', 'expectationGap')?.evidence).toEqual(['paid 300 dollars']);
    // A number alone, or money not spent by the writer, is no expectation.
    expect(cue('Paid in 3 parts', 'expectationGap')).toBeUndefined();
    expect(cue('It costs $1200 now', 'expectationGap')).toBeUndefined();
  });

  it('a product failing soon after purchase is an expectation gap', () => {
    expect(cue('The screen died after a week', 'expectationGap')?.evidence).toEqual(['died after']);
  });

  it('nobody ... answering words: unanswered even with words in between', () => {
    expect(cue('Nobody from customer service responds', 'unanswered')?.evidence).toEqual([
      'Nobody from customer service responds',
    ]);
    expect(cue('no one will give me an answer', 'unanswered')?.evidence).toEqual(['no one will give me an answer']);
    expect(cue('I never got a reply', 'unanswered')?.evidence).toEqual(['never got a reply']);
    // Too far apart, or "never" with mere help, is no unanswered question.
    expect(cue('Nobody I know has ever had a problem they could not answer', 'unanswered')).toBeUndefined();
    expect(cue('I never needed any help', 'unanswered')).toBeUndefined();
  });

  it('repeated attempts and counted days are effort', () => {
    const found = cue('Day 5 without power. This is my third call and 4th email.', 'effort');
    expect(found?.evidence).toEqual(expect.arrayContaining(['Day 5', 'third call', '4th email']));
    expect(cue('Day 1 of the sale', 'effort')).toBeUndefined();
  });

  it('praise of a resolution is satisfaction, unless negated or sarcastic', () => {
    const signals = (text: string) => scanText(text, 'en').signals;
    expect(signals('Support fixed my issue in minutes, thanks for the quick reply').satisfaction.evidence).toEqual(
      expect.arrayContaining(['fixed my issue', 'thanks for the quick']),
    );
    expect(signals('They never fixed my issue').satisfaction.strength).toBe(0);
    expect(signals('Thanks for nothing').satisfaction.strength).toBe(0);
    expect(signals('Thanks for nothing').problem.evidence).toEqual(['Thanks for nothing']);
  });

  it('plain statements of a service failure are problems', () => {
    const problem = scanText('My package says delivered but it is not here', 'en').signals.problem;
    expect(problem.evidence).toEqual(['says delivered', 'is not here']);
    expect(problem.strength).toBeGreaterThan(0.9);
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

  it('short words whose unaccented form is another word match only with their marks', () => {
    // "điện thoại" (phone) is not "điên" (mad), "tiếp tục" (go on) is not "tức" (angry), "hồng" (pink) is not "hỏng".
    const signals = scanText('Mua điện thoại màu hồng, tiếp tục ủng hộ shop', 'vi').signals;
    expect(signals.profanity.strength).toBe(0);
    expect(signals.emotion.strength).toBe(0);
    expect(signals.problem.strength).toBe(0);
    expect(scanText('dien thoai bi hong', 'vi').signals.problem.evidence).toEqual(['bi hong']);
  });

  it('money paid and negated praise in Vietnamese', () => {
    const found = detectCues('Mua giá 20 triệu mà không hài lòng', { sentiment: NEUTRAL, language: 'vi' });
    expect(found.cues.find((c) => c.name === 'expectationGap')?.evidence).toEqual(['Mua giá 20 triệu']);
    expect(found.signals.satisfaction.strength).toBe(0);
    expect(found.signals.problem.evidence).toContain('không hài lòng');
  });

  it('does not look for Vietnamese phrases in English text', () => {
    expect(scanText('hang gia at the door', 'en').signals.expectationGap.strength).toBe(0);
    expect(scanText('hàng giả', 'vi').signals.expectationGap.strength).toBeGreaterThan(0);
  });
});

describe('cue words taken from the VADER tokens of the same text', () => {
  test('scanning finds the same cues whether or not VADER read the text just before', () => {
    const texts = [
      "@AcmeSupport I've waited 3 hours, nobody answered!!! Cancelling my plan. #fail",
      "Don't buy it: broke after 2 days,paid $1,200 (won't work) -- worst.purchase.ever",
      'Ordered on the 5th... 3rd time calling. STILL no refund\tafter two weeks\u001fof waiting',
      // Where shouting and signals may start is read from the tokens: at the edges, inside words, after marks.
      'WORST service EVER',
      '!!NOT OK!! sentOK ABCdef xABC A.B.C. (USB) "NEVER", #BoycottAcme and @x',
      'ok? fine?? @@ ## !! x@YYY #1 e-mail me@acme.com',
      'nothing to see here at all',
      '   ',
      // Not ASCII (VADER reads it as it is, below its emoji range): the scanner reads the text itself.
      'café BROKEN!!! naïve #FAIL über ÀÉÎ',
    ];
    for (const text of texts) {
      polarityScores('something else entirely');
      const alone = scanText(text, 'en');
      polarityScores(text);
      expect(scanText(text, 'en')).toEqual(alone);
    }
  });
});

describe('the ASCII tokenizer and the Unicode one', () => {
  test('an ASCII text scans as it does once a word beyond ASCII sends it through the Unicode tokenizer', () => {
    const texts = [
      "@AcmeSupport I've waited 3 hours, nobody answered!!! Cancelling my plan. #fail",
      "DON'T buy it: broke after 2 days,paid $1,200 -- WORST.purchase.EVER?",
      'USB-C cable from ACME, called 5 times, Day 4 of no internet, still NO refund',
      'khong ai tra loi, doi 3 ngay roi, THAT VONG',
    ];
    for (const text of texts) {
      for (const language of ['en', 'vi']) {
        // "é" is a word in no list, after the last one: the scan finds the same words, shouting and signals.
        expect(scanText(`${text} é`, language)).toEqual(scanText(text, language));
      }
    }
  });

  test('shouting beyond ASCII: capitals of any script, not runs of other letters or emoji', () => {
    const intensity = (text: string) => scanText(text, 'vi').intensity.evidence;
    expect(intensity('được rồi, THẤT VỌNG quá')).toEqual(['THẤT', 'VỌNG']);
    expect(intensity('đường được người')).toEqual([]); // three code units beyond ASCII, no capital
    expect(intensity('😡😡😡 được')).toEqual(['😡', '😡', '😡']);
    expect(intensity('𝐀𝐁𝐂 và ĐƯỢC')).toEqual(['𝐀𝐁𝐂', 'ĐƯỢC']); // astral capitals (mathematical bold) too
    expect(intensity('ĐƯợc')).toEqual([]);
  });
});

describe('evidence is kept once whatever its case', () => {
  test('ASCII evidence in another case is the same evidence', () => {
    expect(scanText('It is BROKEN, broken, Broken', 'en').signals.problem.evidence).toEqual(['is BROKEN', 'broken']);
  });

  test('evidence with letters beyond ASCII compares by its lower case', () => {
    const signals = scanText('Thất vọng, THẤT VỌNG, thất vọng', 'vi').signals;
    expect(signals.expectationGap.evidence).toEqual(['Thất vọng']);
  });
});

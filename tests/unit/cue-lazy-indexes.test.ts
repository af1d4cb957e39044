/**
 * The Vietnamese and Romance phrase indexes are built on the first text that needs them, after English texts may
 * have cached their words (cue word table, VADER's tokens) while those words were in no list. Scoring English first
 * must change nothing: each module copy below is a fresh load of the analysis code, as in a new process.
 */
type Cues = typeof import('../../lambdas/core/analysis/cues');
type Vader = typeof import('../../lambdas/core/analysis/vader');

/** ASCII words that are (parts of) Vietnamese, Spanish, Portuguese or French phrases, in an English text. */
const ENGLISH_FIRST = [
  'That was so bad that I said vong and hong, the lag, bi hong, mal servicio, no funciona, roto, sucio, estafa.',
  'Nunca mais, nao funciona, arnaque, service nul, toujours pas, that vong qua, khong ai tra loi, doi 3 ngay.',
];

const OTHER_LANGUAGES: [string, string][] = [
  ['that vong qua, dien thoai bi hong, lag lien tuc', 'vi'],
  ['Thất vọng quá, điện thoại bị hỏng, không ai trả lời', 'vi'],
  ['khong ai tra loi, doi 3 ngay roi', 'vi'],
  ['mal servicio, no funciona y llegó roto, una estafa', 'es'],
  ['nunca mais compro, não funciona, péssimo atendimento', 'pt'],
  ['service nul, toujours pas livré, une arnaque', 'fr'],
  ['hong that vong', 'und'],
];

/** A fresh copy of the analysis modules (own word tables, own vocabulary, no index built yet). */
function freshModules(): { cues: Cues; vader: Vader } {
  let loaded: { cues: Cues; vader: Vader } | undefined;
  jest.isolateModules(() => {
    loaded = { cues: require('../../lambdas/core/analysis/cues'), vader: require('../../lambdas/core/analysis/vader') };
  });
  return loaded!;
}

/** Scores a text as analyze does: VADER first (the cue scan reuses its tokens for ASCII text), then the cues. */
function score({ cues, vader }: { cues: Cues; vader: Vader }, text: string, language: string): unknown {
  const sentiment = vader.polarityScores(text);
  return { cues: cues.detectCues(text, { sentiment, language }), scan: cues.scanText(text, language) };
}

describe('cue phrase indexes built on first use', () => {
  it('Vietnamese and Romance texts score the same after English texts as in a fresh process', () => {
    const fresh = freshModules();
    const expected = OTHER_LANGUAGES.map(([text, language]) => score(fresh, text, language));

    const warm = freshModules();
    for (const text of ENGLISH_FIRST) score(warm, text, 'en');
    const actual = OTHER_LANGUAGES.map(([text, language]) => score(warm, text, language));

    expect(actual).toEqual(expected);
    // The texts do find phrases, so a stale "no such word" would show as missing evidence.
    const evidence = JSON.stringify(expected);
    for (const phrase of ['that vong', 'bi hong', 'mal servicio', 'no funciona', 'arnaque']) {
      expect(evidence).toContain(phrase);
    }
  });

  it('English texts score the same before and after the other indexes are built', () => {
    const fresh = freshModules();
    const expected = ENGLISH_FIRST.map((text) => score(fresh, text, 'en'));
    for (const [text, language] of OTHER_LANGUAGES) score(fresh, text, language);
    expect(ENGLISH_FIRST.map((text) => score(fresh, text, 'en'))).toEqual(expected);
  });
});

import {
  MIN_EMOJI_CODE_POINT,
  VADER_EMOJI_DESCRIPTIONS,
  VADER_LEXICON,
} from '../../lambdas/core/analysis/vader-lexicon';
import { buildEmojiDescriptions, buildVaderLexicon } from '../../lambdas/core/analysis/vader-lexicon-source';

// The VADER tables are built from the packages by the build (scripts/generate-tables.js) and parsed at module load:
// what the code reads must be exactly what the builders make from the installed packages today (a stale or
// hand-edited generated file fails here). Entry order is the bundled package's (integer-like keys first), which
// jest's text parse of the package does not reproduce, so the lexicon is compared as a map.
describe('generated VADER tables', () => {
  it('hold the lexicon the builder makes', () => {
    const built = buildVaderLexicon();
    expect(built.size).toBeGreaterThan(7000);
    expect(VADER_LEXICON.size).toBe(built.size);
    expect(VADER_LEXICON).toEqual(built);
  });

  it('hold the emoji descriptions the builder makes, in the same order', () => {
    const built = buildEmojiDescriptions();
    expect(built.get(0x1f621)).toBe('pouting face');
    expect([...VADER_EMOJI_DESCRIPTIONS]).toEqual([...built]);
    expect(MIN_EMOJI_CODE_POINT).toBe(Math.min(...built.keys()));
  });
});

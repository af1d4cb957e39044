import { ASPECTS, CUE_NAMES, type Cue } from '../../lambdas/core/analysis/types';
import {
  aspectsOf,
  aspectStrength,
  isExperienceCue,
  MEMORABILITY_WEIGHTS,
  memorability,
} from '../../lambdas/core/analysis/classify';
import { scanText, type TextSignals } from '../../lambdas/core/analysis/cues';

/** classify reads aspects, experience cues and weights without computed keys: the same answers as by key. */

const TEXTS = [
  'The app keeps crashing, support never answered and the price went up. Waited 3 hours at the store.',
  'Giao hàng chậm, nhân viên thô lỗ, giá quá đắt',
  'Lovely staff, clean room, fair price, quick check-in',
  '',
];

describe('classify lookups', () => {
  it('aspectStrength reads the family of each aspect, in ASPECTS order', () => {
    for (const text of TEXTS) {
      const signals = scanText(text, 'en').signals;
      ASPECTS.forEach((aspect, index) => {
        expect(aspectStrength(signals, index)).toBe(signals[`aspect:${aspect}`].strength);
      });
    }
  });

  it('aspectsOf puts the strongest first and keeps ASPECTS order between equals', () => {
    const signals = scanText('', 'en').signals;
    const withStrengths = (strengths: Partial<Record<(typeof ASPECTS)[number], number>>): TextSignals => {
      const out = { ...signals };
      for (const [aspect, strength] of Object.entries(strengths)) {
        out[`aspect:${aspect as (typeof ASPECTS)[number]}`] = { strength: strength!, evidence: [] };
      }
      return out;
    };
    expect(aspectsOf(withStrengths({}))).toEqual([]);
    expect(aspectsOf(withStrengths({ price: 0.3, time: 0.9, function: 0.3 }))).toEqual(['time', 'function', 'price']);
  });

  it('the experience cues are the broken promise, the time and struggle, no answer and leaving', () => {
    expect(CUE_NAMES.filter(isExperienceCue)).toEqual(['expectationGap', 'effort', 'unanswered', 'churn']);
  });

  it('memorability weighs each cue by MEMORABILITY_WEIGHTS', () => {
    const signals = scanText('the app crashed', 'en').signals;
    for (const name of CUE_NAMES) {
      if (name === 'notScored') continue;
      const cue: Cue = { name, strength: 0.5, evidence: [] };
      const anchoredBy: Cue = { name: 'lowRating', strength: 0, evidence: [] };
      expect(memorability([cue, anchoredBy], signals)).toBeCloseTo(Math.min(1, 0.5 * MEMORABILITY_WEIGHTS[name]), 3);
    }
  });
});

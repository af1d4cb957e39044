import { hasOtherLanguageVocabulary, scoreOtherLanguage } from '../../lambdas/core/analysis/other-languages';
import type { Sentiment } from '../../lambdas/core/analysis/types';

// natural's SentimentAnalyzer also requires the English AFINN lists, which ship as ES modules that jest does not
// transform (Node 20 itself loads them with require(esm)). No language scored here uses them.

function score(text: string, lang: string): Sentiment {
  const sentiment = scoreOtherLanguage(text, lang);
  if (!sentiment) throw new Error(`no vocabulary for ${lang}`);
  return sentiment;
}

describe('scoreOtherLanguage', () => {
  it('scores Spanish', () => {
    expect(score('El servicio fue excelente y la comida muy buena', 'es').compound).toBeGreaterThan(0.3);
    expect(score('El servicio fue terrible, la comida mala', 'es').compound).toBeLessThan(-0.3);
  });

  it('applies negation within a clause (Spanish "no", German "nicht")', () => {
    expect(score('es bueno', 'es').compound).toBeGreaterThan(0);
    expect(score('no es bueno', 'es').compound).toBeLessThan(0);
    expect(score('Das ist nicht gut', 'de').compound).toBeLessThan(0);
    expect(score('no llegó, pero es bueno', 'es').compound).toBeGreaterThan(0);
  });

  it('scores French', () => {
    expect(score('Le service était excellent et le personnel très agréable', 'fr').compound).toBeGreaterThan(0.3);
    expect(score('Le service était horrible et le produit est mauvais', 'fr').compound).toBeLessThan(-0.3);
  });

  it('scores German', () => {
    expect(score('Der Service war sehr gut und das Essen ausgezeichnet', 'de').compound).toBeGreaterThan(0.3);
    expect(score('Der Service war schrecklich und das Produkt ist schlecht', 'de').compound).toBeLessThan(-0.3);
  });

  it('scores Portuguese, Italian and Dutch', () => {
    expect(score('O serviço foi péssimo e o produto é horrível', 'pt').compound).toBeLessThan(-0.3);
    expect(score('Il servizio è ottimo e il prodotto bellissimo', 'it').compound).toBeGreaterThan(0.3);
    expect(score('De service was slecht en het product is verschrikkelijk', 'nl').compound).toBeLessThan(-0.3);
  });

  it('returns VADER-shaped proportions that sum to 1 and compound in [-1, 1]', () => {
    const s = score('El producto es malo, malo, malo y horrible', 'es');
    expect(s.neg + s.neu + s.pos).toBeCloseTo(1, 2);
    expect(s.compound).toBeGreaterThanOrEqual(-1);
    expect(s.compound).toBeLessThan(-0.5);
    expect(score('', 'fr')).toEqual({ neg: 0, neu: 0, pos: 0, compound: 0 });
    expect(score('la mesa', 'es')).toEqual({ neg: 0, neu: 1, pos: 0, compound: 0 });
  });

  it('returns null for a language without a vocabulary', () => {
    expect(scoreOtherLanguage('Сервис ужасный', 'ru')).toBeNull();
    expect(scoreOtherLanguage('whatever', 'xx')).toBeNull();
    expect(hasOtherLanguageVocabulary('en')).toBe(false);
    expect(hasOtherLanguageVocabulary('ca')).toBe(true);
  });
});

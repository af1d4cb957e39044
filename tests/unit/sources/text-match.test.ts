import { brandSchema, sourceSchema } from '../../../lambdas/config/schema';
import { brandMatcher, foldText, isRelevant } from '../../../lambdas/sources/match';
import { truncate } from '../../../lambdas/core/text';
import { htmlToText } from '../../../lambdas/sources/text';

const acme = brandSchema.parse({ id: 'acme', name: 'Acme', keywords: ['acme', 'acme air'], exclude: ['acme museum'] });
const pho = brandSchema.parse({ id: 'pho', name: 'Phở Hòa', keywords: ['Phở Hòa'] });

describe('htmlToText', () => {
  it('strips tags, keeps paragraphs and decodes entities', () => {
    const html =
      '<p>Flight <b>AC123</b> &amp; my bag&#x27;s gone</p><p>Line<br>two &gt; one &hellip;</p><script>x()</script>';
    expect(htmlToText(html)).toBe("Flight AC123 & my bag's gone\n\nLine\ntwo > one …");
  });
  it('caps length on a word boundary', () => {
    const text = truncate('word '.repeat(100).trim(), 50);
    expect(text.length).toBeLessThanOrEqual(50);
    expect(text.endsWith('…')).toBe(true);
  });
  it('handles empty input', () => {
    expect(htmlToText(null)).toBe('');
  });
});

describe('brand matching', () => {
  const m = brandMatcher(acme);
  it('matches keywords case-insensitively at word boundaries', () => {
    expect(m.match('Flew ACME Air yesterday').relevant).toBe(true);
    expect(m.match('acme-air lost my bag').relevant).toBe(true);
    expect(m.match('#AcmeAir never again').relevant).toBe(true);
    expect(m.match('the acmeology conference').relevant).toBe(false);
    expect(m.match('pseudoacme').relevant).toBe(false);
  });
  it('an exclusion phrase makes the item irrelevant', () => {
    expect(m.match('Visited the Acme Museum today')).toEqual({ relevant: false, excluded: true });
    expect(m.match('acme-museum gift shop, then acme air').relevant).toBe(false);
    expect(m.match('Acme Air museum-grade service').relevant).toBe(true);
  });
  it('is diacritics-insensitive (Vietnamese)', () => {
    expect(foldText('Phở Hòa Đà Nẵng')).toBe('pho hoa da nang');
    expect(brandMatcher(pho).match('ăn ở pho hoa rất ngon').relevant).toBe(true);
    expect(brandMatcher(pho).match('PHỞ HÒA quá tệ').relevant).toBe(true);
    expect(brandMatcher(pho).match('phở bò').relevant).toBe(false);
  });
  it('treats listing-scoped sources as relevant by construction', () => {
    const appstore = sourceSchema.parse({ id: 'ios', kind: 'appstore', brand: 'acme', appId: '1' });
    const hn = sourceSchema.parse({ id: 'hn', kind: 'hackernews', brand: 'acme' });
    const rss = sourceSchema.parse({
      id: 'rs',
      kind: 'rss',
      brand: 'acme',
      url: 'https://x.test/f',
      relevantByConstruction: true,
    });
    expect(isRelevant(appstore, acme, 'app crashes')).toBe(true);
    expect(isRelevant(rss, acme, 'app crashes')).toBe(true);
    expect(isRelevant(hn, acme, 'app crashes')).toBe(false);
  });
});

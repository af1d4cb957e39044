import { brandSchema, sourceSchemaOf } from '../../../lambdas/config/schema';
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
  describe('Vietnamese keywords, with and without diacritics', () => {
    const dmx = brandSchema.parse({ id: 'dmx', name: 'Điện Máy Xanh', keywords: ['Điện Máy Xanh', 'Tiki'] });
    const plain = brandSchema.parse({ id: 'dmx2', name: 'DMX', keywords: ['dien may xanh'] });
    const m = brandMatcher(dmx);
    it('a keyword written with marks matches text written without, and the other way round', () => {
      expect(m.match('mua tủ lạnh ở dien may xanh bị lỗi').keyword).toBe('Điện Máy Xanh');
      expect(m.match('ĐIỆN MÁY XANH giao trễ').relevant).toBe(true);
      expect(brandMatcher(plain).match('Điện máy xanh hủy đơn của tôi').relevant).toBe(true);
    });
    it('folds đ/Đ and its look-alikes on both sides', () => {
      expect(foldText('Đơn đặt hàng')).toBe('don dat hang');
      // Ð (U+00D0, Icelandic eth) is often typed for Đ.
      expect(m.match('Ðiện Máy Xanh làm ăn kém').relevant).toBe(true);
      expect(brandMatcher(plain).match('đIỆN mÁY xANH').relevant).toBe(true);
    });
    it('matches decomposed (NFD) text and keywords as well as composed (NFC)', () => {
      const nfd = 'Điện Máy Xanh'.normalize('NFD');
      expect(nfd).not.toBe('Điện Máy Xanh');
      expect(m.match(`${nfd} tệ quá`).relevant).toBe(true);
      const nfdBrand = brandSchema.parse({ id: 'nfd', name: 'x', keywords: [nfd] });
      expect(brandMatcher(nfdBrand).match('điện máy xanh'.normalize('NFC')).relevant).toBe(true);
    });
    it('respects word boundaries after folding', () => {
      expect(m.match('tikitaka là gì').relevant).toBe(false);
      expect(m.match('đặt trên Tiki.vn hôm qua').relevant).toBe(true);
      expect(m.match('#dienmayxanh lại giao trễ').relevant).toBe(true);
      expect(m.match('điện máy xanhh').relevant).toBe(false);
      expect(m.match('mua điện máy, xanh lá').relevant).toBe(false);
    });
    it('soft hyphens and zero-width joiners inside a word do not hide it; a zero-width space separates words', () => {
      expect(m.match('Ti\u00adki giao chậm').relevant).toBe(true);
      expect(m.match('Ti\u200dki giao chậm').relevant).toBe(true);
      expect(m.match('Tiki\u200bgiao chậm').relevant).toBe(true);
    });
  });
  it('treats listing-scoped sources as relevant by construction', () => {
    const appstore = sourceSchemaOf().parse({ id: 'ios', kind: 'appstore', brand: 'acme', appId: '1' });
    const hn = sourceSchemaOf().parse({ id: 'hn', kind: 'hackernews', brand: 'acme' });
    const rss = sourceSchemaOf().parse({
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

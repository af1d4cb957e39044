import { detectLanguage, FUNCTION_WORD_COUNTERS, normalizeLanguageHint } from '../../lambdas/core/analysis/language';

describe('normalizeLanguageHint', () => {
  it('normalises region tags, ISO 639-3 codes and names to ISO 639-1', () => {
    expect(normalizeLanguageHint('vi-VN')).toBe('vi');
    expect(normalizeLanguageHint('vi_VN')).toBe('vi');
    expect(normalizeLanguageHint('eng')).toBe('en');
    expect(normalizeLanguageHint('FRA')).toBe('fr');
    expect(normalizeLanguageHint('pt-BR')).toBe('pt');
    expect(normalizeLanguageHint('English')).toBe('en');
  });

  it('rejects empty, undetermined and unknown hints', () => {
    expect(normalizeLanguageHint(undefined)).toBeNull();
    expect(normalizeLanguageHint('')).toBeNull();
    expect(normalizeLanguageHint('und')).toBeNull();
    expect(normalizeLanguageHint('zz')).toBeNull();
    expect(normalizeLanguageHint('klingon')).toBeNull();
  });
});

describe('detectLanguage', () => {
  it('lets a valid hint win over the text', () => {
    expect(detectLanguage('The delivery was late', 'vi-VN')).toBe('vi');
    expect(detectLanguage('giao hàng chậm', 'eng')).toBe('en');
  });

  it('ignores an invalid hint and looks at the text', () => {
    expect(detectLanguage('giao hàng chậm quá, thất vọng', 'und')).toBe('vi');
    expect(detectLanguage('The delivery was late and the box was damaged', 'xx')).toBe('en');
  });

  it('detects Vietnamese from its letters, even in one word', () => {
    expect(detectLanguage('Sản phẩm tốt, giao hàng nhanh')).toBe('vi');
    expect(detectLanguage('Tốt')).toBe('vi');
    expect(detectLanguage('đẹp')).toBe('vi');
  });

  it('detects unaccented Vietnamese and teencode', () => {
    expect(detectLanguage('sp ko dc nhu hinh')).toBe('vi');
    expect(detectLanguage('hang dep lam, giao hang nhanh, cam on shop')).toBe('vi');
    expect(detectLanguage('khong giong hinh, rat that vong')).toBe('vi');
  });

  it('settles Vietnamese letters early only when the rest of the text cannot bring their share under 3%', () => {
    // Enough of them near the end of a short text: settled before the last characters are read.
    expect(detectLanguage('Hàng đẹp, giao nhanh, đóng gói cẩn thận. Ủng hộ shop lần sau')).toBe('vi');
    // The same letters before a long English text: read on, and the share they end with is too small.
    const english = ' The rest of this review is in English, and it goes on for quite a while about the product.';
    expect(detectLanguage('Tuyệt vời, cảm ơn shop!' + english.repeat(3))).toBe('en');
  });

  it('keeps English with a Vietnamese name or dish as English', () => {
    expect(detectLanguage('The phở here is great and the staff were lovely')).toBe('en');
    expect(detectLanguage('I met Nguyễn yesterday')).toBe('en');
    expect(detectLanguage('The shop did not ship my order')).toBe('en');
  });

  it('detects English from its function words', () => {
    expect(detectLanguage('The service was terrible and nobody replied to my email.')).toBe('en');
    expect(detectLanguage('Very good product, highly recommend! 👍')).toBe('en');
  });

  it('detects other Latin-script languages with franc', () => {
    expect(detectLanguage('El servicio fue terrible y nadie respondió a mi correo')).toBe('es');
    expect(detectLanguage("Le service était horrible et personne ne m'a répondu")).toBe('fr');
    expect(detectLanguage('Der Service war schrecklich und niemand hat geantwortet')).toBe('de');
    expect(detectLanguage('O serviço foi péssimo e ninguém respondeu ao meu email')).toBe('pt');
    expect(detectLanguage('Il servizio è stato terribile e nessuno ha risposto')).toBe('it');
    expect(detectLanguage('De service was verschrikkelijk en niemand heeft gereageerd')).toBe('nl');
  });

  it('detects non-Latin scripts by Unicode range', () => {
    expect(detectLanguage('这个产品很好')).toBe('zh');
    expect(detectLanguage('この製品はとても良いです')).toBe('ja');
    expect(detectLanguage('이 제품은 정말 좋아요')).toBe('ko');
    expect(detectLanguage('Сервис ужасный, никто не ответил')).toBe('ru');
    expect(detectLanguage('Сервіс жахливий, ніхто не відповів')).toBe('uk');
    expect(detectLanguage('الخدمة سيئة جدا')).toBe('ar');
    expect(detectLanguage('บริการแย่มาก')).toBe('th');
    expect(detectLanguage('Η εξυπηρέτηση ήταν απαίσια')).toBe('el');
  });

  it('defaults short texts without signal, emoji and emoticons to English', () => {
    expect(detectLanguage('ok')).toBe('en');
    expect(detectLanguage('lol')).toBe('en');
    expect(detectLanguage(':)')).toBe('en');
    expect(detectLanguage('😍😍😍')).toBe('en');
  });

  it('returns und for empty or blank text', () => {
    expect(detectLanguage('')).toBe('und');
    expect(detectLanguage('   \n\t')).toBe('und');
  });

  it('handles control characters, mixed scripts and 100 KB texts', () => {
    expect(detectLanguage('\u0000\u0001 the box was broken \u0007')).toBe('en');
    expect(detectLanguage('Mua ở 京东 nhưng hàng bị lỗi, rất thất vọng')).toBe('vi');
    expect(detectLanguage('This is a long English text about a product. '.repeat(2300))).toBe('en');
    expect(detectLanguage('hàng bị lỗi, giao chậm. '.repeat(4500))).toBe('vi');
  });
  it('settles Vietnamese typed without diacritics by its syllables', () => {
    // Few marker words here: each word is a Vietnamese syllable ("nhan" = nh + an), which franc reads as Malay or Dutch.
    expect(detectLanguage('Nhan vien tu van nhiet tinh gia hop ly, se ung ho tiep. Cam on shop nhieu')).toBe('vi');
    expect(detectLanguage('Dat phong khach san qua app vai mong, duong may xau')).toBe('vi');
    expect(detectLanguage('Di may bay chuyen AC123 may bi loi, doi tra rat met')).toBe('vi');
    // Other languages with short words are not all Vietnamese syllables.
    expect(detectLanguage('saya tidak suka produk ini karena pengiriman sangat lambat')).not.toBe('vi');
    expect(detectLanguage('ik ben niet blij met de bezorging van dit pakket')).not.toBe('vi');
    expect(detectLanguage('hindi ko gusto ang produkto dahil sira ito pagdating')).not.toBe('vi');
  });

  it('settles short unaccented Vietnamese too, and leaves short English English', () => {
    expect(detectLanguage('phong nho xiu ma gia dat')).toBe('vi');
    expect(detectLanguage('I love it so much')).toBe('en');
    expect(detectLanguage('go home now')).toBe('en');
  });
});

describe('function word counting', () => {
  const { asIs, inLowerCase } = FUNCTION_WORD_COUNTERS;

  it('skips handles and hashtags as the lower-case path blanks them, without handing over', () => {
    const texts = [
      'Refund for order #8512 still has not shown up',
      'Thanks @support_team for the help with #the.and.with issue',
      'shop giao hang nhanh #the @and #with #from',
      'The box#was broken and @ the ## end # with #',
      'Order##8512 and #_the @.with @@from',
      'WAS #THE Case, and #The end',
      'tag at the very end #abc',
    ];
    for (const text of texts) {
      const counts = asIs(text);
      expect(counts).not.toBeNull();
      expect(counts).toEqual(inLowerCase(text));
    }
    // English words inside tags are not English evidence.
    expect(asIs('shop giao hang nhanh #the @and #with #from')?.englishHits).toBe(0);
    expect(detectLanguage('shop giao hang nhanh #the @and #with #from')).toBe('vi');
  });

  it('counts the unaccented Vietnamese syllables of the whole sample, unless it stopped at clear English', () => {
    const { syllablesOf } = FUNCTION_WORD_COUNTERS;
    const vietnamese = 'Nhan vien tu van nhiet tinh #shop gia hop ly, se ung ho tiep';
    const counts = asIs(vietnamese);
    expect(counts?.wholeSample).toBe(true);
    expect(counts?.syllables).toBe(13);
    expect(syllablesOf(vietnamese)).toEqual({ words: counts?.words, syllables: 13 });
    expect(asIs('The box was broken and the shop did not reply at all')?.wholeSample).toBe(false);
  });

  it('hands links and letters whose lower case is ASCII to the lower-case path', () => {
    for (const text of [
      'see https://example.com/the for the details',
      'go to www.example.com now',
      'İstanbul the city',
    ]) {
      expect(asIs(text)).toBeNull();
    }
    expect(inLowerCase('see https://example.com/the for the details').englishHits).toBe(2);
  });
});

describe('function word counting on generated text', () => {
  it('gives the lower-case path counts whenever the as-is scan does not hand over', () => {
    const { asIs, inLowerCase, syllablesOf } = FUNCTION_WORD_COUNTERS;
    // Pieces that meet every rule of both paths: words, tags, dots, "www", links, case, letters beyond ASCII.
    const pieces = [
      'the ',
      'The',
      'and',
      'khong',
      'ship',
      ' ',
      '#',
      '@',
      '.',
      '_',
      '7',
      'w',
      'W',
      '/',
      'é',
      'İ',
      'ok ',
    ];
    let seed = 12345;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    let scanned = 0;
    for (let t = 0; t < 3000; t++) {
      let text = '';
      const length = 1 + random(24);
      for (let k = 0; k < length; k++) text += pieces[random(pieces.length)];
      const counts = asIs(text);
      if (counts === null) continue;
      scanned++;
      expect(counts).toEqual(inLowerCase(text));
      if (counts.wholeSample) expect(syllablesOf(text)).toEqual({ words: counts.words, syllables: counts.syllables });
    }
    expect(scanned).toBeGreaterThan(500);
  });
});

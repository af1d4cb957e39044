import { readsAsWritten, scoreVietnamese } from '../../lambdas/core/analysis/vietnamese';

const isNegative = (text: string): boolean => scoreVietnamese(text).compound <= -0.05;

describe('scoreVietnamese', () => {
  it('returns VADER-shaped scores with compound in [-1, 1] and proportions summing to 1', () => {
    const texts = ['hàng rất đẹp, giao nhanh, cảm ơn shop', 'thất vọng quá, hàng lỗi, lừa đảo!!!', 'mình mua hôm qua'];
    for (const text of texts) {
      const s = scoreVietnamese(text);
      expect(s.compound).toBeGreaterThanOrEqual(-1);
      expect(s.compound).toBeLessThanOrEqual(1);
      expect(s.neg + s.neu + s.pos).toBeCloseTo(1, 2);
    }
  });

  it('scores empty and sentiment-free text as neutral', () => {
    expect(scoreVietnamese('')).toEqual({ neg: 0, neu: 0, pos: 0, compound: 0 });
    expect(scoreVietnamese('mình mua cái này hôm qua')).toEqual({ neg: 0, neu: 1, pos: 0, compound: 0 });
  });

  it('uses VADER normalisation: a lone positive word of valence 1.9 gives compound 0.4404', () => {
    expect(scoreVietnamese('tốt').compound).toBe(0.4404);
  });

  it('flips a negated positive word ("không tốt") to negative', () => {
    expect(scoreVietnamese('tốt').compound).toBeGreaterThan(0);
    expect(scoreVietnamese('không tốt').compound).toBeLessThan(-0.05);
    expect(scoreVietnamese('sản phẩm chưa tốt lắm').compound).toBeLessThan(-0.05);
  });

  it('does not treat a negated negative word ("không tệ") as negative', () => {
    expect(scoreVietnamese('tệ').compound).toBeLessThan(-0.05);
    expect(scoreVietnamese('không tệ').compound).toBeGreaterThan(-0.05);
    expect(scoreVietnamese('cũng không tệ lắm').compound).toBeGreaterThan(-0.05);
  });

  it('gives the same sign with and without diacritics', () => {
    const pairs = [
      ['hàng rất đẹp, chất lượng tốt', 'hang rat dep, chat luong tot'],
      ['thất vọng, giao hàng chậm', 'that vong, giao hang cham'],
      ['không giống hình, hàng giả', 'khong giong hinh, hang gia'],
      ['sản phẩm tuyệt vời, đáng tiền', 'san pham tuyet voi, dang tien'],
    ];
    for (const [accented, plain] of pairs) {
      const a = scoreVietnamese(accented).compound;
      const b = scoreVietnamese(plain).compound;
      expect(Math.abs(a)).toBeGreaterThan(0.05);
      expect(Math.sign(b)).toBe(Math.sign(a));
    }
  });

  it('understands teencode: "sp ko dc nhu hinh" is negative, "sp ok, tks shop" positive', () => {
    expect(isNegative('sp ko dc nhu hinh')).toBe(true);
    expect(isNegative('sp k giống hình')).toBe(true);
    expect(scoreVietnamese('sp ok, tks shop').compound).toBeGreaterThan(0.05);
  });

  it('prefers the accented reading: "bẩn" is negative, unaccented "ban" (bạn/bán) is not', () => {
    expect(isNegative('áo bẩn')).toBe(true);
    expect(scoreVietnamese('ban oi').compound).toBe(0);
    expect(scoreVietnamese('hàng hỏng').compound).toBeLessThan(-0.05);
    expect(scoreVietnamese('mau hong').compound).toBe(0); // màu hồng: pink
  });

  it('matches phrases longest first', () => {
    expect(isNegative('hàng không như hình')).toBe(true);
    expect(isNegative('tiền nào của nấy')).toBe(true);
    expect(scoreVietnamese('rất đáng đồng tiền').compound).toBeGreaterThan(0.5);
    expect(isNegative('hàng giả, lừa đảo')).toBe(true);
    expect(scoreVietnamese('chuẩn bị đi làm').compound).toBe(0); // "chuẩn bị" (prepare) is not "chuẩn" + "bị"
  });

  it('finds a phrase by its second syllable written either way, and the word alone when none follows', () => {
    // "không như hình" (not as pictured) starts at "không", one of the 65 phrases that do.
    const phrase = scoreVietnamese('không như hình').compound;
    expect(phrase).toBeLessThan(-0.05);
    for (const spelling of ['khong nhu hinh', 'không nhu hình', 'khong như hinh']) {
      expect(scoreVietnamese(spelling).compound).toBe(phrase);
    }
    // No phrase goes on with "đẹp", or a break, and none is left at the end: "không" is a negation alone.
    expect(isNegative('không đẹp')).toBe(true);
    expect(scoreVietnamese('không, đẹp').compound).toBe(scoreVietnamese('đẹp').compound);
    expect(isNegative('không như')).toBe(true);
  });

  it('raises magnitude with intensifiers and lowers it with "hơi"', () => {
    const plain = scoreVietnamese('đẹp').compound;
    expect(scoreVietnamese('rất đẹp').compound).toBeGreaterThan(plain);
    expect(scoreVietnamese('đẹp lắm').compound).toBeGreaterThan(plain);
    expect(scoreVietnamese('cực kỳ đẹp').compound).toBeGreaterThan(plain);
    expect(scoreVietnamese('hơi chật').compound).toBeGreaterThan(scoreVietnamese('chật').compound);
    expect(scoreVietnamese('hơi chật').compound).toBeLessThan(0);
  });

  it('treats repeated letters and "!" as emphasis', () => {
    expect(scoreVietnamese('đẹp quáaaa').compound).toBeGreaterThan(scoreVietnamese('đẹp quá').compound);
    expect(scoreVietnamese('tốttttt').compound).toBeGreaterThan(scoreVietnamese('tốt').compound);
    expect(scoreVietnamese('tệ!!!').compound).toBeLessThan(scoreVietnamese('tệ').compound);
  });

  it('weighs the clause after "nhưng" more than the clause before', () => {
    expect(isNegative('hàng đẹp nhưng giao hàng chậm')).toBe(true);
    expect(scoreVietnamese('giao hàng chậm nhưng hàng đẹp').compound).toBeGreaterThan(0.05);
  });

  it('scores emoji and emoticons', () => {
    expect(scoreVietnamese('😍😍').compound).toBeGreaterThan(0.5);
    expect(scoreVietnamese('😡').compound).toBeLessThan(-0.5);
    expect(scoreVietnamese('shop giao hàng :(').compound).toBeLessThan(-0.05);
    expect(scoreVietnamese('cảm ơn shop :)))').compound).toBeGreaterThan(scoreVietnamese('cảm ơn shop').compound);
  });

  it('reads a negation that ends in "được" as a failure ("xay không được, thất vọng")', () => {
    expect(isNegative('mới mua mà xay không được')).toBe(true);
    expect(isNegative('xay không được, thất vọng')).toBe(true);
  });

  it('reads a speed word next to a fault as how fast it happens ("pin tụt nhanh", "nhanh hỏng")', () => {
    expect(scoreVietnamese('giao hàng nhanh').compound).toBeGreaterThan(0.05);
    expect(isNegative('pin tụt nhanh')).toBe(true);
    expect(isNegative('pin tuot nhanh qua')).toBe(true);
    expect(isNegative('máy nhanh hỏng')).toBe(true);
    expect(scoreVietnamese('pin tụt nhanh').compound).toBeLessThan(scoreVietnamese('pin tụt').compound);
  });

  it('reads "hay" as "often" before a verb and as "good" after what it judges', () => {
    expect(scoreVietnamese('phim hay').compound).toBeGreaterThan(0.05);
    expect(scoreVietnamese('rất hay').compound).toBeGreaterThan(0.05);
    expect(isNegative('máy hay bị đơ')).toBe(true);
    expect(scoreVietnamese('máy hay tắt nguồn').compound).toBeLessThanOrEqual(0);
  });

  it('does not read "lâu lâu" (now and then) as slow', () => {
    expect(scoreVietnamese('lâu lâu mình mới dùng').compound).toBe(0);
  });

  it('weighs a question less than a statement of the same words', () => {
    const statement = scoreVietnamese('máy nóng quá').compound;
    const question = scoreVietnamese('máy nóng quá có sao không?').compound;
    expect(question).toBeLessThan(0);
    expect(question).toBeGreaterThan(statement);
    expect(scoreVietnamese('cho mình hỏi máy nóng quá').compound).toBeGreaterThan(statement);
  });

  it('applies "nhưng" within its own sentence', () => {
    // The second sentence's contrast does not reweigh the first sentence's verdict.
    const a = scoreVietnamese('máy rất tốt. pin ổn nhưng loa hơi rè').compound;
    expect(a).toBeGreaterThan(0.05);
    expect(isNegative('máy ổn nhưng pin tụt nhanh quá')).toBe(true);
  });

  it('knows common comparisons and regrets ("thua xa", "biết vậy không mua")', () => {
    expect(isNegative('camera thua xa máy cũ')).toBe(true);
    expect(isNegative('biết vậy không mua')).toBe(true);
    expect(scoreVietnamese('hiệu năng ăn đứt máy cùng giá').compound).toBeGreaterThan(0.05);
    expect(isNegative('không như mong đợi')).toBe(true);
  });

  it('accepts decomposed (NFD) input and either tone placement', () => {
    expect(scoreVietnamese('thất vọng'.normalize('NFD'))).toEqual(scoreVietnamese('thất vọng'));
    expect(scoreVietnamese('khoẻ').compound).toBe(scoreVietnamese('khỏe').compound);
  });

  it('copes with long and odd input', () => {
    const long = 'hàng đẹp giao nhanh, '.repeat(5000);
    expect(scoreVietnamese(long).compound).toBeGreaterThan(0.9);
    expect(scoreVietnamese('\u0000\u0007 tốt \uffff').compound).toBeGreaterThan(0);
    expect(scoreVietnamese('😀'.repeat(3) + '\ud800').compound).toBeGreaterThan(0);
  });
});

describe('text read as written', () => {
  // Every character readsAsWritten lets through, as a code point, and the lone surrogates it lets through.
  const elements: string[] = [];
  const highs: number[] = [];
  const lows: number[] = [];
  for (let unit = 0; unit < 0x10000; unit++) {
    const char = String.fromCharCode(unit);
    if (!readsAsWritten(char)) continue;
    if (unit >= 0xd800 && unit <= 0xdbff) highs.push(unit);
    else if (unit >= 0xdc00 && unit <= 0xdfff) lows.push(unit);
    elements.push(char);
  }
  for (const high of highs) for (const low of lows) elements.push(String.fromCharCode(high, low));
  const isWordChar = (char: string): boolean => /^[\p{L}\p{N}\p{M}]$/u.test(char);

  it('lets through only characters NFC leaves alone, whatever their neighbours', () => {
    expect(elements.length).toBeGreaterThan(4000);
    // What NFC composes onto a character before it: the last character of every canonical decomposition (planes
    // 0 and 1 hold all of them but CJK compatibility singletons, which compose with nothing).
    const composeOntoPrevious = new Set<string>();
    for (let code = 0; code < 0x20000; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const decomposed = [...String.fromCodePoint(code).normalize('NFD')];
      if (decomposed.length > 1) composeOntoPrevious.add(decomposed[decomposed.length - 1]);
    }
    const changed = elements.filter(
      (char) =>
        char.normalize('NFC') !== char || // a singleton (U+2126 Ω → Ω)
        composeOntoPrevious.has(char) ||
        (/\p{M}/u.test(char) && !/[\ufe00-\ufe0f]/.test(char)), // combining marks (variation selectors are class 0)
    );
    expect(changed).toEqual([]);
    // So text of them is NFC already.
    const all = elements.join('');
    expect(all.normalize('NFC') === all).toBe(true);
  });

  it('lets through only characters whose lower case is one character, the same in any context', () => {
    const wrong = elements.filter((char) => {
      const lower = char.toLowerCase();
      // After and before a letter, and between two (the contexts of Greek final sigma).
      const sameInContext = `A${char} ${char}A${char}A`.toLowerCase() === `a${lower} ${lower}a${lower}a`;
      // The tokenizer tells words from the rest before lower-casing: lower case must not change which it is.
      const sameClass = isWordChar(char) ? isWordChar(lower) : lower === char;
      return lower.length !== char.length || !sameInContext || !sameClass;
    });
    expect(wrong).toEqual([]);
    expect(readsAsWritten('İstanbul')).toBe(false);
    expect(readsAsWritten('ΟΔΟΣ')).toBe(false);
    expect(readsAsWritten('thất vọng'.normalize('NFD'))).toBe(false);
    expect(readsAsWritten('Thất vọng quá 😡 ❤️ “ok”…')).toBe(true);
  });

  it('scores text read as written as its normalised lower case', () => {
    // NFD spellings are normalised and lower-cased first: the reference for the same text read as written.
    const texts = [
      'Hàng Rất ĐẸP, Giao Nhanh! Cảm Ơn Shop :D',
      'KHÔNG NHƯ HÌNH, THẤT VỌNG XD 😡',
      'Sp Ko Dc Như Hình :((( Ức Chế',
      'Ổn Áp, Giá Hợp Lý ❤️, nhưng Ship CHẬM Quá…',
      'Được LẮM Ạ =))',
    ];
    for (const text of texts) {
      expect(readsAsWritten(text)).toBe(true);
      expect(scoreVietnamese(text)).toEqual(scoreVietnamese(text.normalize('NFD')));
    }
    // Generated mixes of case, marks, teencode, emoticons and punctuation (each starts with "Đẹp": its NFD differs).
    const words = 'Không KHÔNG tốt TỐT Đẹp quá Ko DC sp Thất VỌNG Ư ơi Lắm nhưng HÀNG giao chậm 😡 ❤️'.split(' ');
    const pieces = [...words, ' ', ', ', '!', '?', '\n', ' :D ', ' XD ', ' :((( ', '=))'];
    let seed = 2024;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    for (let t = 0; t < 2000; t++) {
      let text = 'Đẹp ';
      const length = 1 + random(16);
      for (let k = 0; k < length; k++) text += pieces[random(pieces.length)] + (random(3) === 0 ? '' : ' ');
      expect(scoreVietnamese(text)).toEqual(scoreVietnamese(text.normalize('NFD')));
    }
  });
});

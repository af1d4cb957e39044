import { finishHash, HASH_SEED, hashOf, hashStep, TokenTable } from '../../lambdas/core/analysis/token-table';

/** Hash of text[start, end) the way a tokenizer computes it while scanning. */
function hashRange(text: string, start: number, end: number): number {
  let hash = HASH_SEED;
  for (let i = start; i < end; i++) hash = hashStep(hash, text.charCodeAt(i));
  return finishHash(hash);
}

describe('TokenTable', () => {
  test('finds a word by its characters inside a longer text, and only that word', () => {
    const table = new TokenTable<string>(4, 6);
    table.set('dont', hashOf('dont'), 'negation');
    table.set('do', hashOf('do'), 'verb');
    const text = 'I dont do it';
    expect(hashRange(text, 2, 6)).toBe(hashOf('dont'));
    expect(table.get(text, 2, 6, hashRange(text, 2, 6))).toBe('negation');
    expect(table.get(text, 7, 9, hashRange(text, 7, 9))).toBe('verb');
    expect(table.get(text, 2, 4, hashRange(text, 2, 4))).toBe('verb'); // "do" of "dont"
    expect(table.get(text, 10, 12, hashRange(text, 10, 12))).toBeUndefined();
  });

  test('with asciiLowerCase, finds a lower-case word in ASCII text as written (A-Z hashed and compared as a-z)', () => {
    const table = new TokenTable<string>(4, 6);
    table.set('dont', hashOf('dont'), 'negation');
    const lowerHash = hashOf('dont');
    expect(table.get('I DoNT care', 2, 6, lowerHash, true)).toBe('negation');
    expect(table.get('I DoNT care', 2, 6, lowerHash)).toBeUndefined(); // compared as written by default
    expect(table.get('I DONE care', 2, 6, lowerHash, true)).toBeUndefined();
  });

  test('words whose hashes collide are told apart by their characters', () => {
    const table = new TokenTable<number>(3, 4);
    // Same (forced) hash for every word: all of them probe the same slots.
    table.set('ab', 7, 1);
    table.set('ba', 7, 2);
    table.set('abc', 7, 3);
    expect(table.get('xbay', 1, 3, 7)).toBe(2);
    expect(table.get('abc', 0, 2, 7)).toBe(1);
    expect(table.get('abc', 0, 3, 7)).toBe(3);
    expect(table.get('abd', 0, 3, 7)).toBeUndefined();
  });

  test('forgets everything once full, and keeps working', () => {
    const table = new TokenTable<number>(4, 3);
    for (const [i, word] of ['a', 'b', 'c'].entries()) table.set(word, hashOf(word), i);
    expect(table.size).toBe(3);
    table.set('d', hashOf('d'), 3);
    expect(table.size).toBe(1);
    expect(table.get('a', 0, 1, hashOf('a'))).toBeUndefined();
    expect(table.get('d', 0, 1, hashOf('d'))).toBe(3);
    table.set('a', hashOf('a'), 9);
    expect(table.get('a', 0, 1, hashOf('a'))).toBe(9);
  });

  test('grows from a small slot array as words arrive, finding every word before and after each doubling', () => {
    const table = new TokenTable<number>(14, 6000);
    const words = Array.from({ length: 5000 }, (_, k) => `w${k}${'x'.repeat(k % 7)}`);
    words.forEach((word, k) => {
      table.set(word, hashOf(word), k);
      // The newest word and a few older ones, every time (doublings happen at 512, 1024, 2048 and 4096 words).
      for (const j of [k, k >> 1, 0]) expect(table.get(words[j], 0, words[j].length, hashOf(words[j]))).toBe(j);
    });
    expect(table.size).toBe(5000);
    expect(table.get('nope', 0, 4, hashOf('nope'))).toBeUndefined();
  });
});

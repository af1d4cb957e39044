import { PooledTokenTable } from '../../lambdas/core/analysis/pooled-token-table';
import { hashOf } from '../../lambdas/core/analysis/token-table';

/** Looks `word` up where it stands in `text`, hashed as a tokenizer hashes it. */
function lookUp<T>(table: PooledTokenTable<T>, text: string, word: string): T | undefined {
  const start = text.indexOf(word);
  return table.get(text, start, start + word.length, hashOf(word));
}

/** Stores `word` from where it stands in `text`, after making room for the text as a tokenizer does. */
function store<T>(table: PooledTokenTable<T>, text: string, word: string, value: T): void {
  const start = text.indexOf(word);
  table.set(text, start, start + word.length, hashOf(word), value);
}

describe('PooledTokenTable', () => {
  it('finds a token by its characters wherever it stands, not by the string it was stored from', () => {
    const table = new PooledTokenTable<number>(17, 1000, 1 << 16);
    const text = 'the café was great';
    table.reserve(text.length);
    store(table, text, 'café', 1);
    store(table, text, 'great', 2);
    expect(lookUp(table, 'a great café', 'café')).toBe(1);
    expect(lookUp(table, 'so great', 'great')).toBe(2);
    expect(lookUp(table, 'cafe', 'cafe')).toBeUndefined();
    expect(lookUp(table, 'grea', 'grea')).toBeUndefined();
    expect(table.size).toBe(2);
  });

  it('tells apart tokens of the same hash and length by their characters', () => {
    const table = new PooledTokenTable<string>(17, 1000, 1 << 16);
    table.reserve(10);
    // Both stored under one hash: the characters decide which one a lookup finds.
    table.set('abc def', 0, 3, 42, 'abc');
    table.set('abc def', 4, 7, 42, 'def');
    expect(table.get('xx def', 3, 6, 42)).toBe('def');
    expect(table.get('abc', 0, 3, 42)).toBe('abc');
    expect(table.get('abd', 0, 3, 42)).toBeUndefined();
  });

  it('grows its slots and pool as texts are reserved, keeping every token', () => {
    const table = new PooledTokenTable<number>(17, 50_000, 1 << 20);
    const words = Array.from({ length: 5000 }, (_, k) => `word${k}`);
    for (let k = 0; k < words.length; k += 10) {
      const text = words.slice(k, k + 10).join(' ');
      table.reserve(text.length);
      for (const word of words.slice(k, k + 10)) store(table, text, word, Number(word.slice(4)));
    }
    expect(table.size).toBe(5000);
    expect(words.every((word, k) => lookUp(table, word, word) === k)).toBe(true);
  });

  it('forgets everything before a text that could overflow its limits', () => {
    const table = new PooledTokenTable<number>(10, 8, 1 << 16);
    table.reserve(6);
    store(table, 'one two', 'one', 1);
    store(table, 'one two', 'two', 2);
    // Up to 6 more tokens could not fit beside these 2 under the limit of 8: the table starts again.
    table.reserve(12);
    expect(table.size).toBe(0);
    expect(lookUp(table, 'one', 'one')).toBeUndefined();
  });

  it('stores nothing it has no room for: a text longer than the whole pool clears nothing', () => {
    const table = new PooledTokenTable<number>(10, 100, 16);
    table.reserve(8);
    store(table, 'kept', 'kept', 1);
    const long = 'x'.repeat(40);
    table.reserve(long.length);
    table.set(long, 0, long.length, hashOf(long), 2);
    expect(lookUp(table, long, long)).toBeUndefined();
    expect(lookUp(table, 'kept', 'kept')).toBe(1);
  });
});

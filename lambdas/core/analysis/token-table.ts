/**
 * A cache of what a tokenizer worked out about each word it has seen, found by the word's characters where they
 * stand in the text: the tokenizer hashes the characters as it scans them (hashStep, then finishHash), so a word
 * seen before costs no substring, no lower-casing and no Map lookup on a fresh string. Words are what a text's
 * vocabulary repeats; the table forgets everything when it holds `limit` words, so memory stays bounded.
 */
export class TokenTable<T> {
  /** Entry index + 1 per slot (0: empty), open addressing with linear probing. */
  private slots: Int32Array;
  private readonly mask: number;
  /** Hash per entry (int32: a plain array would box those beyond the small-integer range). */
  private readonly hashes: Int32Array;
  private readonly words: string[] = [];
  private readonly values: T[] = [];

  /** `bitsLog2` sizes the slot array; keep 2^bitsLog2 at least twice `limit`. */
  constructor(
    bitsLog2: number,
    private readonly limit: number,
  ) {
    this.slots = new Int32Array(1 << bitsLog2);
    this.mask = (1 << bitsLog2) - 1;
    this.hashes = new Int32Array(limit);
  }

  /** The value stored for text[start, end) (hashed to `hash` by finishHash), or undefined. */
  get(text: string, start: number, end: number, hash: number): T | undefined {
    const length = end - start;
    const slots = this.slots;
    const mask = this.mask;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot] - 1;
      if (entry < 0) return undefined;
      if (this.hashes[entry] !== hash) continue;
      const word = this.words[entry];
      if (word.length !== length) continue;
      let k = 0;
      while (k < length && word.charCodeAt(k) === text.charCodeAt(start + k)) k++;
      if (k === length) return this.values[entry];
    }
  }

  /** Stores the value of a word not in the table (get returned undefined for it). */
  set(word: string, hash: number, value: T): void {
    if (this.words.length >= this.limit) this.clear();
    const entry = this.words.length;
    this.words.push(word);
    this.hashes[entry] = hash;
    this.values.push(value);
    const mask = this.mask;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry + 1;
  }

  get size(): number {
    return this.words.length;
  }

  private clear(): void {
    this.slots.fill(0);
    this.words.length = 0;
    this.values.length = 0;
  }
}

/** The hash before the first character. */
export const HASH_SEED = 0x811c9dc5 | 0;

/** FNV-1a over UTF-16 code units: one step per character, as the tokenizer scans it. */
export function hashStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193);
}

/** The final mix, so the low bits (the slot) depend on every character. */
export function finishHash(hash: number): number {
  return hash ^ (hash >>> 15);
}

/** The hash of a whole string, as a tokenizer computes it for the same characters. */
export function hashOf(word: string): number {
  let hash = HASH_SEED;
  for (let i = 0; i < word.length; i++) hash = hashStep(hash, word.charCodeAt(i));
  return finishHash(hash);
}

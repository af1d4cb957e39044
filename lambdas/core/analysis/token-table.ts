/**
 * A cache of what a tokenizer worked out about each word it has seen, found by the word's characters where they
 * stand in the text: the tokenizer hashes the characters as it scans them (hashStep, then finishHash), so a word
 * seen before costs no substring, no lower-casing and no Map lookup on a fresh string. Words are what a text's
 * vocabulary repeats; the table forgets everything when it holds `limit` words, so memory stays bounded.
 * The slot array starts small and doubles as words arrive (kept at most half full): a text's vocabulary is
 * usually far below the limit, and a small table stays in the processor's cache, which a lookup per word feels.
 */
export class TokenTable<T> {
  /** Entry index + 1 per slot (0: empty), open addressing with linear probing. */
  private slots: Int32Array;
  private mask: number;
  /** Hash per entry (int32: a plain array would box those beyond the small-integer range). */
  private readonly hashes: Int32Array;
  private readonly words: string[] = [];
  private readonly values: T[] = [];

  /** `bitsLog2` bounds the slot array (2^bitsLog2 slots at most); keep that at least twice `limit`. */
  constructor(
    private readonly bitsLog2: number,
    private readonly limit: number,
  ) {
    const bits = Math.min(bitsLog2, INITIAL_BITS_LOG2);
    this.slots = new Int32Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.hashes = new Int32Array(limit);
  }

  /**
   * The value stored for text[start, end) (hashed to `hash` by finishHash), or undefined. With `asciiLowerCase`,
   * A-Z in the text compare as a-z: a tokenizer can then find lower-cased words in ASCII text as written.
   */
  get(text: string, start: number, end: number, hash: number, asciiLowerCase = false): T | undefined {
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
      for (; k < length; k++) {
        let code = text.charCodeAt(start + k);
        if (asciiLowerCase && code >= 65 && code <= 90) code += 32;
        if (word.charCodeAt(k) !== code) break;
      }
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
    if (2 * (entry + 1) > this.slots.length && this.slots.length < 1 << this.bitsLog2) this.grow();
    else this.place(entry);
  }

  /** Puts an entry in the first free slot from its hash. */
  private place(entry: number): void {
    const mask = this.mask;
    let slot = this.hashes[entry] & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry + 1;
  }

  /** Doubles the slot array and places every entry again (the hashes are kept, so nothing is rehashed). */
  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    for (let entry = 0; entry < this.words.length; entry++) this.place(entry);
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

/** Slots of a new table: 2^10 (4 KB). */
const INITIAL_BITS_LOG2 = 10;

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

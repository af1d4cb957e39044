/**
 * A cache of what a tokenizer worked out about each word it has seen, found by the word's characters where they
 * stand in the text: the tokenizer hashes the characters as it scans them (hashStep, then finishHash), so a word
 * seen before costs no substring, no lower-casing and no Map lookup on a fresh string. Words are what a text's
 * vocabulary repeats; the table forgets everything when it holds `limit` words, so memory stays bounded.
 * The slot array starts small and doubles as words arrive (kept at most half full): a text's vocabulary is
 * usually far below the limit, and a small table stays in the processor's cache, which a lookup per word feels.
 */
export class TokenTable<T> {
  /**
   * SLOT_WIDTH int32 per slot: the entry's hash and entry index + 1 (0: empty), open addressing with linear
   * probing. The hash sits in the slot, so a probe that is not the word is told apart without reading the entry.
   */
  private slots: Int32Array;
  private mask: number;
  private readonly words: string[] = [];
  private readonly values: T[] = [];

  /** `bitsLog2` bounds the slot array (2^bitsLog2 slots at most); keep that at least twice `limit`. */
  constructor(
    private readonly bitsLog2: number,
    private readonly limit: number,
  ) {
    const bits = Math.min(bitsLog2, INITIAL_BITS_LOG2);
    this.slots = new Int32Array(SLOT_WIDTH << bits);
    this.mask = (1 << bits) - 1;
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
      const at = slot * SLOT_WIDTH;
      const entry = slots[at + 1] - 1;
      if (entry < 0) return undefined;
      if (slots[at] !== hash) continue;
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
    this.values.push(value);
    if (2 * (entry + 1) > this.mask + 1 && this.mask + 1 < 1 << this.bitsLog2) this.grow();
    this.place(hash, entry + 1);
  }

  /** Fills the first free slot from the hash. */
  private place(hash: number, entryPlusOne: number): void {
    const mask = this.mask;
    let slot = hash & mask;
    while (this.slots[slot * SLOT_WIDTH + 1] !== 0) slot = (slot + 1) & mask;
    this.slots[slot * SLOT_WIDTH] = hash;
    this.slots[slot * SLOT_WIDTH + 1] = entryPlusOne;
  }

  /** Doubles the slot array and places every entry again (the slots keep the hashes, so nothing is rehashed). */
  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    for (let at = 0; at < old.length; at += SLOT_WIDTH) if (old[at + 1] !== 0) this.place(old[at], old[at + 1]);
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

/** Int32 per slot: hash, entry + 1 (8 bytes). */
const SLOT_WIDTH = 2;
/** Slots of a new table: 2^10 (8 KB). */
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

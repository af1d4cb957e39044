/**
 * A Bloom-style bit set over a fixed word list: `mightContain` is a cheap "certainly not in the list" test.
 * Looking a freshly sliced word up in a large Map costs a hash plus cache misses; most words of a text are in no
 * lexicon, so testing this small bit set first skips most of those lookups. No false negatives: a word the test
 * rejects is never in the list, so a lookup guarded by it returns exactly what the lookup alone would.
 */
export class WordFilter {
  private readonly bits: Int32Array;
  private readonly mask: number;

  /** `bitsLog2` sizes the set: keep 2^bitsLog2 well above the number of words (few false positives). */
  constructor(words: Iterable<string>, bitsLog2: number) {
    this.mask = (1 << bitsLog2) - 1;
    this.bits = new Int32Array(1 << Math.max(0, bitsLog2 - 5));
    for (const word of words) {
      const h = hashWord(word) & this.mask;
      this.bits[h >>> 5] |= 1 << (h & 31);
    }
  }

  mightContain(word: string): boolean {
    return this.mightContainHash(hashWord(word));
  }

  /** mightContain for a word whose hashWord is known (one hash serves several filters). */
  mightContainHash(hash: number): boolean {
    const h = hash & this.mask;
    return (this.bits[h >>> 5] & (1 << (h & 31))) !== 0;
  }
}

/** FNV-1a over UTF-16 code units, with a final mix so the low bits depend on every character. */
export function hashWord(word: string): number {
  let h = 0x811c9dc5 ^ word.length;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 15);
}

/**
 * A cache of what a tokenizer worked out about each token it has seen, found by the token's characters where they
 * stand in the text, like TokenTable (./token-table.ts, same hashes), but laid out for a lookup with as few memory
 * reads as possible: one slot holds the token's hash, its entry and where its characters are, and the characters
 * of every token sit in one shared pool. A lookup reads one slot, one run of the pool and the value; TokenTable's
 * reads a slot, the entry's hash, its string object and then the value, each elsewhere in memory. VADER looks a
 * token up for every token of every English text, between scans that push its tables out of the processor's
 * caches, so the fewer places a lookup touches the better.
 * Room is made before each text (`reserve`), never while storing a token: the per-token path stays small and
 * never meets code it has not run before, which would make V8 compile the tokenizer around it again.
 * The table forgets everything when it would hold more than `limit` tokens or `poolLimit` characters, so memory
 * stays bounded; a token that does not fit (only in a text longer than the pool) is simply not stored.
 */
export class PooledTokenTable<T> {
  /** SLOT_WIDTH int32 per slot: hash, entry + 1 (0: empty slot), pool offset, length. Linear probing. */
  private slots: Int32Array;
  private mask: number;
  /** The characters of every stored token, one after the other. */
  private pool: Uint16Array;
  private poolEnd = 0;
  private readonly values: T[] = [];

  /** `bitsLog2` bounds the slots (2^bitsLog2 at most): keep that at least twice `limit`. */
  constructor(
    private readonly bitsLog2: number,
    private readonly limit: number,
    private readonly poolLimit: number,
  ) {
    const bits = Math.min(bitsLog2, INITIAL_BITS_LOG2);
    this.slots = new Int32Array(SLOT_WIDTH << bits);
    this.mask = (1 << bits) - 1;
    this.pool = new Uint16Array(Math.min(poolLimit, INITIAL_POOL));
  }

  /** The value stored for text[start, end) (hashed to `hash` by finishHash), or undefined. */
  get(text: string, start: number, end: number, hash: number): T | undefined {
    const length = end - start;
    const slots = this.slots;
    const mask = this.mask;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = slot * SLOT_WIDTH;
      const entry = slots[at + 1] - 1;
      if (entry < 0) return undefined;
      if (slots[at] !== hash || slots[at + 3] !== length) continue;
      const pool = this.pool;
      const offset = slots[at + 2] - start;
      let k = start;
      while (k < end && pool[offset + k] === text.charCodeAt(k)) k++;
      if (k === end) return this.values[entry];
    }
  }

  /**
   * Makes room, before a text is read, for the tokens of `chars` more characters (at most one new token per two
   * characters): forgets everything if they could overflow the limits, and grows the slots and pool they may need.
   * A text too long to fit even in an empty table clears nothing: what does not fit is just not stored.
   */
  reserve(chars: number): void {
    const tokens = (chars >>> 1) + 1;
    const overflows = this.values.length + tokens > this.limit || this.poolEnd + chars > this.poolLimit;
    if (overflows && tokens <= this.limit && chars <= this.poolLimit) this.clear();
    const slotsNeeded = 2 * (this.values.length + tokens);
    while (this.mask + 1 < slotsNeeded && this.mask + 1 < 1 << this.bitsLog2) this.growSlots();
    const poolNeeded = Math.min(this.poolEnd + chars, this.poolLimit);
    if (this.pool.length < poolNeeded) this.growPool(poolNeeded);
  }

  /** Stores the value of text[start, end), a token get did not find, if reserve made room for it. */
  set(text: string, start: number, end: number, hash: number, value: T): void {
    const length = end - start;
    const entry = this.values.length;
    const offset = this.poolEnd;
    if (offset + length > this.pool.length || 2 * (entry + 1) > this.mask + 1 || entry >= this.limit) return;
    for (let k = 0; k < length; k++) this.pool[offset + k] = text.charCodeAt(start + k);
    this.poolEnd += length;
    this.values.push(value);
    this.place(hash, entry + 1, offset, length);
  }

  get size(): number {
    return this.values.length;
  }

  /** Fills the first free slot from the hash. */
  private place(hash: number, entryPlusOne: number, offset: number, length: number): void {
    const mask = this.mask;
    let slot = hash & mask;
    while (this.slots[slot * SLOT_WIDTH + 1] !== 0) slot = (slot + 1) & mask;
    const at = slot * SLOT_WIDTH;
    this.slots[at] = hash;
    this.slots[at + 1] = entryPlusOne;
    this.slots[at + 2] = offset;
    this.slots[at + 3] = length;
  }

  /** Doubles the slots and places every entry again (slots keep the hashes: nothing is rehashed). */
  private growSlots(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    for (let at = 0; at < old.length; at += SLOT_WIDTH) {
      if (old[at + 1] !== 0) this.place(old[at], old[at + 1], old[at + 2], old[at + 3]);
    }
  }

  private growPool(needed: number): void {
    let size = this.pool.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint16Array(Math.min(size, this.poolLimit));
    grown.set(this.pool.subarray(0, this.poolEnd));
    this.pool = grown;
  }

  private clear(): void {
    this.slots.fill(0);
    this.values.length = 0;
    this.poolEnd = 0;
  }
}

/** Int32 per slot: hash, entry + 1, pool offset, length (16 bytes: four slots share a cache line). */
const SLOT_WIDTH = 4;
/** Slots of a new table: 2^10 (16 KB). */
const INITIAL_BITS_LOG2 = 10;
/** Characters of a new pool (16 KB). */
const INITIAL_POOL = 8192;

/**
 * Phrase matching over interned tokens. Every word of every phrase list gets a small integer id in one shared
 * vocabulary; a text's tokens are looked up there once (one Map lookup per token, whatever the number of lists),
 * and each list is a trie over those ids. Matching at a position walks the trie as far as the text follows it, so
 * the phrases that end on that path are exactly the ones that match there, without trying any other phrase.
 */

/** Word → id; ids are dense from 0. Tokens not in it (most words of a text) get NO_WORD and start no phrase. */
export class Vocabulary {
  private readonly ids = new Map<string, number>();

  /** The id of a word, adding it (when a lexicon is built). */
  intern(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(word, id);
    }
    return id;
  }

  /** The id of a word, or NO_WORD. */
  idOf(word: string): number {
    const id = this.ids.get(word);
    return id === undefined ? NO_WORD : id;
  }

  get size(): number {
    return this.ids.size;
  }
}

export const NO_WORD = -1;

/**
 * Phrases of one index as a trie over vocabulary ids. A walk from a position reaches the nodes of every phrase
 * that matches there; read from the deepest back (`endsFrom`..`endsTo`), they come longest first, in the order
 * they were added for one length: the order in which a list sorted longest first (stably) would find them.
 *
 * Nodes are numbers and the trie lives in flat arrays: the first step reads a dense array by the token's id, each
 * later step one open-addressing table of (node, id) → child in a typed array (no Map lookup, no node objects), and
 * the phrases of all nodes sit in one array in node order. Phrases are added while the lexicons load; the tables
 * are laid out by `seal`, or on the first walk.
 */
export class PhraseTrie<T> {
  /** Root child + 1 by the first token's id (0: no phrase starts with that id), while building. */
  private readonly buildingRoots: number[] = [];
  /** The same, once sealed. */
  private roots = new Int32Array(0);
  /** Phrases that end at each node, in the order they were added (while building). */
  private ends: T[][] = [];
  /** Once sealed: the phrases of node n are values[endStart[n]] .. values[endStart[n + 1] - 1]. */
  private endStart = new Int32Array(1);
  private values: T[] = [];
  /** Children while phrases are added, by node * CHILD_KEY_SPAN + id; null once sealed. */
  private building: Map<number, number> | null = new Map();
  /** Whether each node has children (a walk stops at a leaf without probing). */
  private hasChildren = new Uint8Array(0);
  /**
   * Open addressing, linear probing: node + 1 (0: empty slot), token id and child, side by side per slot (one
   * probe reads one cache line).
   */
  private slots = new Int32Array(0);
  private mask = 0;
  private longest = 0;
  /** Scratch: the node reached after d + 1 tokens of the current walk (matching is synchronous). */
  private path = new Int32Array(0);

  add(ids: readonly number[], value: T): void {
    const building = this.building;
    if (building === null) throw new Error('PhraseTrie: phrases are added before the first walk');
    const first = ids[0];
    const roots = this.buildingRoots;
    while (roots.length <= first) roots.push(0);
    let node = roots[first] - 1;
    if (node < 0) {
      node = this.newNode();
      roots[first] = node + 1;
    }
    for (let k = 1; k < ids.length; k++) {
      const key = node * CHILD_KEY_SPAN + ids[k];
      let child = building.get(key);
      if (child === undefined) {
        child = this.newNode();
        building.set(key, child);
      }
      node = child;
    }
    this.ends[node].push(value);
    this.longest = Math.max(this.longest, ids.length);
  }

  /**
   * Walks from token `at` over the first `count` ids; returns how many tokens the deepest node reached covers (0:
   * no phrase starts with that token). `endsFrom(d)`..`endsTo(d)` then give the phrases of d + 1 tokens matching at `at` (read by `valueAt`), for d below
   * the returned depth.
   */
  walk(ids: ArrayLike<number>, at: number, count = ids.length): number {
    if (this.building !== null) this.seal();
    const first = ids[at];
    const roots = this.roots;
    if (first < 0 || first >= roots.length) return 0;
    let node = roots[first] - 1;
    if (node < 0) return 0;
    const path = this.path;
    const hasChildren = this.hasChildren;
    path[0] = node;
    let depth = 1;
    for (let j = at + 1; hasChildren[node] === 1 && j < count; j++) {
      const id = ids[j];
      if (id < 0) break;
      const child = this.child(node, id);
      if (child < 0) break;
      path[depth++] = node = child;
    }
    return depth;
  }

  /** Whether a phrase starts with the word of this id (walk returns more than 0 from it). */
  startsPhrase(id: number): boolean {
    if (this.building !== null) this.seal();
    return id >= 0 && id < this.roots.length && this.roots[id] !== 0;
  }

  /** The phrases of `depth + 1` tokens on the last walk's path are valueAt(k) for endsFrom(depth) <= k < endsTo(depth). */
  endsFrom(depth: number): number {
    return this.endStart[this.path[depth]];
  }

  endsTo(depth: number): number {
    return this.endStart[this.path[depth] + 1];
  }

  valueAt(k: number): T {
    return this.values[k];
  }

  /** How many phrases the trie holds (valueAt(k) for k below it), once sealed. */
  get valueCount(): number {
    return this.values.length;
  }

  /** The child of `node` by token `id`, or -1. */
  private child(node: number, id: number): number {
    const mask = this.mask;
    const slots = this.slots;
    for (let slot = slotOf(node, id) & mask; ; slot = (slot + 1) & mask) {
      const at = slot * SLOT_SPAN;
      const owner = slots[at];
      if (owner === 0) return -1;
      if (owner === node + 1 && slots[at + 1] === id) return slots[at + 2];
    }
  }

  private newNode(): number {
    this.ends.push([]);
    return this.ends.length - 1;
  }

  /**
   * Lays the children out in the typed tables, with at least twice as many slots as children (short probes). No
   * phrase can be added afterwards; sealing again does nothing.
   */
  seal(): void {
    const building = this.building;
    if (building === null) return;
    this.building = null;
    this.roots = Int32Array.from(this.buildingRoots);
    let size = 2;
    while (size < building.size * 2) size *= 2;
    this.mask = size - 1;
    const slots = (this.slots = new Int32Array(size * SLOT_SPAN));
    this.hasChildren = new Uint8Array(this.ends.length);
    for (const [key, child] of building) {
      const node = Math.floor(key / CHILD_KEY_SPAN);
      const id = key % CHILD_KEY_SPAN;
      this.hasChildren[node] = 1;
      let slot = slotOf(node, id) & this.mask;
      while (slots[slot * SLOT_SPAN] !== 0) slot = (slot + 1) & this.mask;
      slots[slot * SLOT_SPAN] = node + 1;
      slots[slot * SLOT_SPAN + 1] = id;
      slots[slot * SLOT_SPAN + 2] = child;
    }
    this.path = new Int32Array(Math.max(1, this.longest));
    this.endStart = new Int32Array(this.ends.length + 1);
    for (let node = 0; node < this.ends.length; node++) {
      for (const value of this.ends[node]) this.values.push(value);
      this.endStart[node + 1] = this.values.length;
    }
    this.ends = [];
  }
}

/** Int32 entries per child slot: owner node + 1, token id, child, and one unused (16 bytes: slots stay aligned). */
const SLOT_SPAN = 4;

/** Vocabulary ids stay below this (2^24), so node * CHILD_KEY_SPAN + id is exact in a double while building. */
const CHILD_KEY_SPAN = 1 << 24;

/** A slot for (node, id): both multiplied by odd constants and mixed, so neighbouring pairs spread out. */
function slotOf(node: number, id: number): number {
  const h = Math.imul(node, 0x9e3779b1) ^ Math.imul(id, 0x85ebca6b);
  return h ^ (h >>> 16);
}

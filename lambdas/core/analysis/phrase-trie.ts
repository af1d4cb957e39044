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
 * later step one open-addressing table of (node, id) → child in typed arrays (no Map lookup, no node objects), and
 * the phrases of all nodes sit in one array in node order. Phrases are added while the lexicons load; the tables
 * are laid out on the first walk (`seal`).
 */
export class PhraseTrie<T> {
  /** Root child + 1 by the first token's id (0: no phrase starts with that id). */
  private readonly roots: number[] = [];
  /** Phrases that end at each node, in the order they were added (while building). */
  private ends: T[][] = [];
  /** Once sealed: the phrases of node n are values[endStart[n]] .. values[endStart[n + 1] - 1]. */
  private endStart = new Int32Array(1);
  private values: T[] = [];
  /** Children while phrases are added, by node * CHILD_KEY_SPAN + id; null once sealed. */
  private building: Map<number, number> | null = new Map();
  /** Whether each node has children (a walk stops at a leaf without probing). */
  private hasChildren = new Uint8Array(0);
  /** Open addressing, linear probing: node + 1 (0: empty slot), token id and child, per slot. */
  private slotNode = new Int32Array(0);
  private slotId = new Int32Array(0);
  private slotChild = new Int32Array(0);
  private mask = 0;
  private longest = 0;
  /** Scratch: the node reached after d + 1 tokens of the current walk (matching is synchronous). */
  private path = new Int32Array(0);

  add(ids: readonly number[], value: T): void {
    const building = this.building;
    if (building === null) throw new Error('PhraseTrie: phrases are added before the first walk');
    const first = ids[0];
    while (this.roots.length <= first) this.roots.push(0);
    let node = this.roots[first] - 1;
    if (node < 0) {
      node = this.newNode();
      this.roots[first] = node + 1;
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
   * Walks from token `at`; returns how many tokens the deepest node reached covers (0: no phrase starts with that
   * token). `endsFrom(d)`..`endsTo(d)` then give the phrases of d + 1 tokens matching at `at` (read by `valueAt`), for d below
   * the returned depth.
   */
  walk(ids: readonly number[], at: number): number {
    if (this.building !== null) this.seal();
    const first = ids[at];
    if (first < 0 || first >= this.roots.length) return 0;
    let node = this.roots[first] - 1;
    if (node < 0) return 0;
    const path = this.path;
    const hasChildren = this.hasChildren;
    path[0] = node;
    let depth = 1;
    for (let j = at + 1; hasChildren[node] === 1 && j < ids.length; j++) {
      const id = ids[j];
      if (id < 0) break;
      const child = this.child(node, id);
      if (child < 0) break;
      path[depth++] = node = child;
    }
    return depth;
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

  /** The child of `node` by token `id`, or -1. */
  private child(node: number, id: number): number {
    const mask = this.mask;
    for (let slot = slotOf(node, id) & mask; ; slot = (slot + 1) & mask) {
      const owner = this.slotNode[slot];
      if (owner === 0) return -1;
      if (owner === node + 1 && this.slotId[slot] === id) return this.slotChild[slot];
    }
  }

  private newNode(): number {
    this.ends.push([]);
    return this.ends.length - 1;
  }

  /** Lays the children out in the typed tables, with at least twice as many slots as children (short probes). */
  private seal(): void {
    const building = this.building as Map<number, number>;
    this.building = null;
    let size = 2;
    while (size < building.size * 2) size *= 2;
    this.mask = size - 1;
    this.slotNode = new Int32Array(size);
    this.slotId = new Int32Array(size);
    this.slotChild = new Int32Array(size);
    this.hasChildren = new Uint8Array(this.ends.length);
    for (const [key, child] of building) {
      const node = Math.floor(key / CHILD_KEY_SPAN);
      const id = key % CHILD_KEY_SPAN;
      this.hasChildren[node] = 1;
      let slot = slotOf(node, id) & this.mask;
      while (this.slotNode[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slotNode[slot] = node + 1;
      this.slotId[slot] = id;
      this.slotChild[slot] = child;
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

/** Vocabulary ids stay below this (2^24), so node * CHILD_KEY_SPAN + id is exact in a double while building. */
const CHILD_KEY_SPAN = 1 << 24;

/** A slot for (node, id): both multiplied by odd constants and mixed, so neighbouring pairs spread out. */
function slotOf(node: number, id: number): number {
  const h = Math.imul(node, 0x9e3779b1) ^ Math.imul(id, 0x85ebca6b);
  return h ^ (h >>> 16);
}

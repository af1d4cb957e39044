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
 * Nodes are numbers and the trie lives in flat arrays: the first step reads a dense array by the token's id; each
 * node's phrases and children are one record of NODE_WIDTH int32 (no node objects), and its children sit side by
 * side, sorted by token id, in one typed array (no Map lookup): a step reads the node's record and its run of
 * children, usually in one or two cache lines. The phrases of all nodes sit in one array in node order. Phrases
 * are added while the lexicons load; the tables are laid out by `seal`, or on the first walk.
 */
export class PhraseTrie<T> {
  /** Root child + 1 by the first token's id (0: no phrase starts with that id), while building. */
  private readonly buildingRoots: number[] = [];
  /** The same, once sealed. */
  private roots = new Int32Array(0);
  /** Phrases that end at each node, in the order they were added (while building). */
  private ends: T[][] = [];
  /**
   * Once sealed, NODE_WIDTH int32 per node: its phrases are values[from] .. values[to - 1], its children the
   * (id, child) pairs children[2 * first] .. children[2 * last - 1], by increasing id.
   */
  private nodes = new Int32Array(0);
  private children = new Int32Array(0);
  private values: T[] = [];
  /** Children while phrases are added, by node * CHILD_KEY_SPAN + id; null once sealed. */
  private building: Map<number, number> | null = new Map();
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
    path[0] = node;
    let depth = 1;
    for (let j = at + 1; j < count; j++) {
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
    return this.nodes[this.path[depth] * NODE_WIDTH];
  }

  endsTo(depth: number): number {
    return this.nodes[this.path[depth] * NODE_WIDTH + 1];
  }

  valueAt(k: number): T {
    return this.values[k];
  }

  /** How many phrases the trie holds (valueAt(k) for k below it), once sealed. */
  get valueCount(): number {
    return this.values.length;
  }

  /** The child of `node` by token `id`, or -1: a scan of its few children, a binary search of many. */
  private child(node: number, id: number): number {
    const children = this.children;
    let first = this.nodes[node * NODE_WIDTH + 2];
    let last = this.nodes[node * NODE_WIDTH + 3];
    while (last - first > LINEAR_CHILDREN) {
      const middle = (first + last) >>> 1;
      if (children[2 * middle] <= id) first = middle;
      else last = middle;
    }
    for (let k = first; k < last; k++) {
      const childId = children[2 * k];
      if (childId === id) return children[2 * k + 1];
      if (childId > id) return -1;
    }
    return -1;
  }

  private newNode(): number {
    this.ends.push([]);
    return this.ends.length - 1;
  }

  /** Lays the nodes and their children out in the typed tables. No phrase can be added afterwards; sealing again does nothing. */
  seal(): void {
    const building = this.building;
    if (building === null) return;
    this.building = null;
    this.roots = Int32Array.from(this.buildingRoots);
    // Keys are node * CHILD_KEY_SPAN + id: in increasing order, the children of each node by increasing id.
    const keys = [...building.keys()].sort((a, b) => a - b);
    const nodeCount = this.ends.length;
    const nodes = (this.nodes = new Int32Array(nodeCount * NODE_WIDTH));
    const children = (this.children = new Int32Array(2 * keys.length));
    let k = 0;
    for (let node = 0; node < nodeCount; node++) {
      const record = node * NODE_WIDTH;
      nodes[record] = this.values.length;
      for (const value of this.ends[node]) this.values.push(value);
      nodes[record + 1] = this.values.length;
      nodes[record + 2] = k;
      for (; k < keys.length && Math.floor(keys[k] / CHILD_KEY_SPAN) === node; k++) {
        children[2 * k] = keys[k] % CHILD_KEY_SPAN;
        children[2 * k + 1] = building.get(keys[k]) as number;
      }
      nodes[record + 3] = k;
    }
    this.path = new Int32Array(Math.max(1, this.longest));
    this.ends = [];
  }
}

/** Int32 per node record: first and end phrase, first and end child (16 bytes: four records per cache line). */
const NODE_WIDTH = 4;
/** Up to this many children are scanned in order; more are binary-searched down to this many first. */
const LINEAR_CHILDREN = 8;

/** Vocabulary ids stay below this (2^24), so node * CHILD_KEY_SPAN + id is exact in a double while building. */
const CHILD_KEY_SPAN = 1 << 24;

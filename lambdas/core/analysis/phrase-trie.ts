/**
 * Phrase matching over interned tokens. Every word of every phrase list gets a small integer id in one shared
 * vocabulary; a text's tokens are looked up there once (one Map lookup per token, whatever the number of lists),
 * and each list is a trie over those ids. Matching at a position walks the trie as far as the text follows it, so
 * the phrases that end on that path are exactly the ones that match there, without trying any other phrase.
 */

/** Word → id; ids are dense from 0. Tokens not in it (most words of a text) get NO_WORD and start no phrase. */
export class Vocabulary {
  private readonly ids = new Map<string, number>();

  /** The id of a word, adding it (lexicons are built at module load). */
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

interface TrieNode<T> {
  /** Phrases that end at this node, in the order they were added. */
  readonly ends: T[];
  next: Map<number, TrieNode<T>> | null;
}

/**
 * Phrases of one index as a trie over vocabulary ids. `longestFirst` visits the phrases matching at a position
 * from the longest to the shortest (in the order they were added for one length), which is the order in which a
 * list sorted longest first (stably) would find them.
 */
export class PhraseTrie<T> {
  /** Root children by id of the first token (a dense array: no hashing for the first, most frequent, step). */
  private roots: Array<TrieNode<T> | null> = [];
  private longest = 0;
  /** Scratch: the node reached after d + 1 tokens of the current walk (matching is synchronous). */
  private path: TrieNode<T>[] = [];

  add(ids: readonly number[], value: T): void {
    const first = ids[0];
    while (this.roots.length <= first) this.roots.push(null);
    let node = this.roots[first];
    if (node === null) node = this.roots[first] = { ends: [], next: null };
    for (let k = 1; k < ids.length; k++) {
      node.next ??= new Map();
      let child = node.next.get(ids[k]);
      if (child === undefined) {
        child = { ends: [], next: null };
        node.next.set(ids[k], child);
      }
      node = child;
    }
    node.ends.push(value);
    this.longest = Math.max(this.longest, ids.length);
  }

  /**
   * Walks from token `at`; returns how many tokens the deepest node reached covers (0: no phrase starts with that
   * token). `endsAt(d)` then gives the phrases of d + 1 tokens matching at `at`, for d below the returned depth.
   */
  walk(ids: readonly number[], at: number): number {
    const first = ids[at];
    if (first < 0 || first >= this.roots.length) return 0;
    let node = this.roots[first];
    if (node === null) return 0;
    const path = this.path;
    path[0] = node;
    let depth = 1;
    for (let j = at + 1; node.next !== null && j < ids.length; j++) {
      const id = ids[j];
      if (id < 0) break;
      const child = node.next.get(id);
      if (child === undefined) break;
      path[depth++] = node = child;
    }
    return depth;
  }

  /** Phrases of `depth + 1` tokens on the last walk's path. */
  endsAt(depth: number): readonly T[] {
    return this.path[depth].ends;
  }
}

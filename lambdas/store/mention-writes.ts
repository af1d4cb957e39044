import { NotFoundError } from '../core/errors';
import type { Item, ItemKey } from './keys';
import { BATCH_GET_MAX, BATCH_WRITE_MAX, itemKeyOf, type TableClient } from './table-client';

/**
 * Mention writes of a process that is its store's only writer (a local store: its lock file says so), written
 * together. Every write of a mention item in the process passes through here, one round at a time, so a round
 * can check and then write without a condition: nobody else writes in between. Writes that arrive while a round
 * is under way are the next round (group commit): under concurrent pushes one BatchGetItem and a few
 * BatchWriteItems stand for one conditional put and one update per mention. On AWS (many writers) MentionStore
 * writes each mention with a condition instead, and nothing goes through here.
 */

/** One mention written at most once: `created`, or `duplicate` when its key is already stored. */
interface PutOp {
  kind: 'put';
  key: ItemKey;
  item: Item;
  /** Store the item under this round's condition: answered 'created' or 'duplicate'. */
  single: () => Promise<'created' | 'duplicate'>;
  resolve: (outcome: 'created' | 'duplicate') => void;
  reject: (error: unknown) => void;
}

/** A change to a stored mention (not found: NotFoundError). */
interface ChangeOp {
  kind: 'change';
  key: ItemKey;
  change: (item: Item) => Item;
  /** What to say when the mention is not stored. */
  notFound: string;
  /** The same change as one conditional update, for the rare round that cannot be batched. */
  single: () => Promise<void>;
  resolve: (outcome: void) => void;
  reject: (error: unknown) => void;
}

type Op = PutOp | ChangeOp;

/** Distinct mentions a round reads at most: one BatchGetItem. */
const ROUND_MAX = BATCH_GET_MAX;

/** The store's own refusal of a request (an oversize item or key): the batch is redone one write at a time. */
function isValidation(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ValidationException';
}

export class SoleWriterMentionWrites {
  private pending: Op[] = [];
  private scheduled = false;
  /** Rounds and exclusive work, one at a time. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly table: TableClient) {}

  put(key: ItemKey, item: Item, single: PutOp['single']): Promise<'created' | 'duplicate'> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'put', key, item, single, resolve, reject }));
  }

  change(key: ItemKey, notFound: string, change: ChangeOp['change'], single: ChangeOp['single']): Promise<void> {
    return new Promise((resolve, reject) =>
      this.enqueue({ kind: 'change', key, notFound, change, single, resolve, reject }),
    );
  }

  /** Run `work` (another write of a mention item, e.g. a conditional update) between rounds. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private enqueue(op: Op): void {
    this.pending.push(op);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    void this.exclusive(() => this.round());
  }

  private async round(): Promise<void> {
    this.scheduled = false;
    const ops = this.take();
    try {
      await this.write(ops);
    } catch (error) {
      for (const op of ops) op.reject(error); // a no-op for those already answered
    }
  }

  /** Everything that arrived until the round started, up to one read's worth of mentions. */
  private take(): Op[] {
    const ops: Op[] = [];
    const seen = new Set<string>();
    let i = 0;
    for (; i < this.pending.length; i++) {
      const id = itemKeyOf(this.pending[i].key);
      if (!seen.has(id) && seen.size >= ROUND_MAX) break;
      seen.add(id);
      ops.push(this.pending[i]);
    }
    this.pending = this.pending.slice(i);
    if (this.pending.length > 0) this.schedule();
    return ops;
  }

  private async write(ops: Op[]): Promise<void> {
    let stored: Map<string, Item>;
    try {
      stored = await this.table.batchGet(ops.map((op) => op.key));
    } catch (error) {
      if (isValidation(error)) return this.oneByOne(ops);
      for (const op of ops) op.reject(error);
      return;
    }
    // What each mention will be after the round, in arrival order; which ops ride on its write, and which put
    // creates it (a repeat of that put in the round is a duplicate only once the write succeeded).
    const next = new Map<string, { item: Item; ops: Op[]; creator?: PutOp }>();
    for (const op of ops) {
      const id = itemKeyOf(op.key);
      const entry = next.get(id);
      const current = entry?.item ?? stored.get(id);
      if (op.kind === 'put') {
        if (entry) entry.ops.push(op);
        else if (current) op.resolve('duplicate');
        else next.set(id, { item: op.item, ops: [op], creator: op });
      } else if (!current) {
        op.reject(new NotFoundError(op.notFound));
      } else {
        const changed = entry ?? { item: current, ops: [] };
        changed.item = op.change(changed.item);
        changed.ops.push(op);
        next.set(id, changed);
      }
    }
    const writes = [...next.values()];
    const chunks: (typeof writes)[] = [];
    for (let start = 0; start < writes.length; start += BATCH_WRITE_MAX) {
      chunks.push(writes.slice(start, start + BATCH_WRITE_MAX));
    }
    await Promise.all(
      chunks.map(async (chunk) => {
        const chunkOps = chunk.flatMap((w) => w.ops);
        const creators = new Set(chunk.map((w) => w.creator));
        try {
          await this.table.batchPut(chunk.map((w) => w.item));
        } catch (error) {
          if (isValidation(error)) return this.oneByOne(chunkOps);
          for (const op of chunkOps) op.reject(error);
          return;
        }
        for (const op of chunkOps) {
          if (op.kind === 'put') op.resolve(creators.has(op) ? 'created' : 'duplicate');
          else op.resolve();
        }
      }),
    );
  }

  /** Each op on its own, with its condition: an item the store refuses fails alone, with the store's error. */
  private async oneByOne(ops: Op[]): Promise<void> {
    for (const op of ops) {
      try {
        if (op.kind === 'put') op.resolve(await op.single());
        else op.resolve(await op.single());
      } catch (error) {
        op.reject(error);
      }
    }
  }
}

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './table-client';
import { createTableInput } from './table';

/**
 * An embedded DynamoDB-compatible store for `earshot run`, `earshot demo` and tests: dynalite in-process, on
 * loopback, reached through the real AWS SDK so the repository code is exactly the code that runs on AWS.
 */

export const LOCAL_TABLE_NAME = 'earshot';
/** Longest wait at close for requests dynalite is still answering. */
const CLOSE_WAIT_MS = 10_000;

export interface LocalStore {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  tableName: string;
  endpoint: string;
  close(): Promise<void>;
}

export type LocalStoreOptions = { path?: string; tableName?: string } | 'memory';

type DynaliteFactory = (options: Record<string, unknown>) => Server;

export async function startLocalStore(options: LocalStoreOptions = 'memory'): Promise<LocalStore> {
  const path = options === 'memory' ? undefined : options.path;
  const tableName = (options !== 'memory' && options.tableName) || LOCAL_TABLE_NAME;
  if (path) mkdirSync(path, { recursive: true });
  const releaseLock = path ? lockStore(path) : () => undefined;

  // Loaded lazily: the Lambda bundles never need it.
  compactMemoryStore();
  cacheTableDescriptions();
  const dynalite = require('dynalite') as DynaliteFactory;
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  // Requests in flight, counted until dynalite answers: one action is several LevelDB steps, and dynalite's close
  // waits only for the step under way, so closing mid-request crashed the process ("Database is closed").
  let inFlight = 0;
  let drained: (() => void) | undefined;
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    let answered = false;
    res.end = ((...args: unknown[]) => {
      if (!answered) {
        answered = true;
        if (--inFlight === 0) drained?.();
      }
      return end(...args);
    }) as typeof res.end;
  });
  const settle = () =>
    inFlight === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, CLOSE_WAIT_MS);
          drained = () => {
            clearTimeout(timer);
            resolve();
          };
        });

  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
    httpAuthSchemes: [loopbackAuthScheme],
  });
  const doc = documentClient(client);

  const close = async (): Promise<void> => {
    await settle();
    client.destroy();
    await new Promise<void>((resolve, reject) => server.close((err?: Error) => (err ? reject(err) : resolve())));
    releaseLock();
  };

  try {
    await ensureTable(client, tableName);
  } catch (err) {
    await close();
    throw err;
  }
  return { client, doc, tableName, endpoint, close };
}

/**
 * SigV4 for the loopback dynalite, which only checks that a request carries a SigV4-shaped Authorization header and
 * a date: signing each request (canonical request, HMAC chain, body hash) cost about 5 % of a busy local run's CPU.
 * The scheme keeps DynamoDB's id, so the SDK picks it as it would SigV4; only this client, on 127.0.0.1, uses it.
 */
const loopbackAuthScheme: NonNullable<DynamoDBClientConfig['httpAuthSchemes']>[number] = {
  schemeId: 'aws.auth#sigv4',
  identityProvider: (config) => config.getIdentityProvider('aws.auth#sigv4'),
  signer: {
    sign: async (request) => {
      const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
      request.headers['x-amz-date'] = date;
      request.headers.authorization =
        `AWS4-HMAC-SHA256 Credential=local/${date.slice(0, 8)}/local/dynamodb/aws4_request, ` +
        'SignedHeaders=host;x-amz-date, Signature=loopback';
      return request;
    },
  },
};

/** The pid in a store's lock file, if it holds one. */
function lockPid(lockFile: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(lockFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** The live process (not this one) that holds the store's lock, if any. */
export function storeOwner(path: string): number | undefined {
  const owner = lockPid(join(path, 'earshot.lock'));
  return owner !== undefined && owner !== process.pid && isAlive(owner) ? owner : undefined;
}

/**
 * One writer per store folder (LevelDB allows one process): a lock file holds the owner's pid. A live owner gets
 * one clear error; a lock left by a dead process is taken over. Returns the release function.
 */
function lockStore(path: string): () => void {
  const lockFile = join(path, 'earshot.lock');
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const owner = lockPid(lockFile);
    if (owner === process.pid) return () => undefined; // this process already holds it
    if (owner !== undefined && isAlive(owner)) {
      throw new Error(
        `store ${path} is in use by pid ${owner}; stop it first (earshot triage goes through a running earshot run or earshot serve)`,
      );
    }
    writeFileSync(lockFile, String(process.pid)); // stale: its owner is gone
  }
  return () => rmSync(lockFile, { force: true });
}

type LevelOperation = { type: string; key: unknown; value?: unknown };
interface LevelIterator {
  next(): Promise<unknown>;
  close(): Promise<void>;
  return?: () => Promise<void>;
}
interface MemoryLevelClass {
  new (options?: Record<string, unknown>): {
    _put(key: unknown, value: unknown, options: unknown): Promise<void>;
    _batch(operations: LevelOperation[], options: unknown): Promise<void>;
    keys(options?: unknown): LevelIterator;
    values(options?: unknown): LevelIterator;
  };
  compact?: true;
}

/**
 * dynalite reads through key and value streams that never close their iterator, at the end or when destroyed, and
 * an open memory-level iterator holds the tree as it was: every version of every item stayed reachable. This one
 * closes itself at its end, and on `return()` (which dynalite calls when it destroys a stream early).
 */
function selfClosing(iterator: LevelIterator): LevelIterator {
  const next = iterator.next.bind(iterator);
  iterator.next = async () => {
    const value = await next();
    if (value === undefined) await iterator.close();
    return value;
  };
  iterator.return = () => iterator.close();
  return iterator;
}

/** A new flat copy of a string: a rope (cons string) of many pieces costs several times its length. */
function flat(value: unknown): unknown {
  return typeof value === 'string' ? Buffer.from(value, 'utf8').toString('utf8') : value;
}

/**
 * dynalite's in-memory store (memory-level) kept ~10 KB of memory per stored mention (1.4 GB at 100k), for two
 * reasons. Its read streams leaked iterators (see selfClosing). And by default it holds each value as a Buffer, and a small Buffer is a slice of Node's shared 8 KB
 * allocation pool, so each long-lived item pinned a slab. Here values are held as strings (memory-level's documented
 * `storeEncoding: 'utf8'`), each copied flat as it is stored (the encoded item arrives as a rope of pieces): an item
 * costs about its JSON. Keys then compare as JS strings rather than UTF-8 bytes, which differ only between
 * characters above U+FFFF and U+E000–U+FFFF; the table's keys are slugs, ISO times and ids. Runs before dynalite is
 * first loaded: it takes the class at load.
 */
function compactMemoryStore(): void {
  const memoryLevel = require('memory-level') as { MemoryLevel: MemoryLevelClass };
  if (memoryLevel.MemoryLevel.compact) return;
  const Base = memoryLevel.MemoryLevel;
  class CompactMemoryLevel extends Base {
    static compact = true as const;
    constructor(options: Record<string, unknown> = {}) {
      super({ storeEncoding: 'utf8', ...options });
    }
    _put(key: unknown, value: unknown, options: unknown): Promise<void> {
      return super._put(key, flat(value), options);
    }
    keys(options?: unknown): LevelIterator {
      return selfClosing(super.keys(options));
    }
    values(options?: unknown): LevelIterator {
      return selfClosing(super.values(options));
    }
    _batch(operations: LevelOperation[], options: unknown): Promise<void> {
      return super._batch(
        operations.map((op) => (op.type === 'put' ? { ...op, value: flat(op.value) } : op)),
        options,
      );
    }
  }
  memoryLevel.MemoryLevel = CompactMemoryLevel;
}

type Callback = (err: unknown, value?: unknown) => void;
interface DynaliteStore {
  tableDb: { put: (...args: unknown[]) => void; del: (...args: unknown[]) => void };
  getTable: (name: string, checkStatus: boolean | Callback, cb?: Callback) => void;
}

/**
 * dynalite reads the table's description from LevelDB (and decodes its JSON) for every request and, in a batch,
 * for every item: about a sixth of its time under concurrent pushes. It changes only when dynalite writes it (create,
 * update, delete table), so it is kept from one read to the next write. Runs before dynalite is first loaded.
 */
function cacheTableDescriptions(): void {
  const dbModule = require('dynalite/db') as { create: (options: unknown) => DynaliteStore; cached?: true };
  if (dbModule.cached) return;
  const create = dbModule.create;
  dbModule.cached = true;
  dbModule.create = (options: unknown) => {
    const store = create(options);
    const known = new Map<string, unknown>();
    // Bumped by every write: a read that overlapped one is not kept.
    let writes = 0;
    const { tableDb } = store;
    for (const method of ['put', 'del'] as const) {
      const write = tableDb[method].bind(tableDb);
      tableDb[method] = (...args: unknown[]) => {
        writes++;
        known.clear();
        write(...args);
      };
    }
    const getTable = store.getTable.bind(store);
    store.getTable = (name, checkStatus, cb) => {
      const done = (typeof checkStatus === 'function' ? checkStatus : cb)!;
      const table = known.get(name);
      if (table !== undefined) return process.nextTick(done, null, table);
      const seen = writes;
      getTable(name, checkStatus === true, (err, value) => {
        const active = !err && (value as { TableStatus?: string }).TableStatus === 'ACTIVE';
        if (active && seen === writes) known.set(name, value);
        done(err, value);
      });
    };
    return store;
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  if ((await tableStatus(client, tableName)) === undefined) {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  }
  // createTableMs is 0, so this settles on the first or second look.
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await tableStatus(client, tableName)) === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`local table ${tableName} did not become ACTIVE`);
}

async function tableStatus(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return out.Table?.TableStatus;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}

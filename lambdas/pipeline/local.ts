import { setFlagsFromString } from 'node:v8';
import type { EarshotConfig } from '../config/schema';
import { createSinks, type AlertSink } from '../sinks';
import { HttpClient, type HttpClientOptions } from '../sources/http';
import { localSecrets } from '../sources/secrets';
import type { AdapterState } from '../sources/types';
import { startLocalStore, type LocalStore } from '../store/local';
import { Repository } from '../store/repository';
import type { PassDeps } from './run-pass';
import { webhookAlertingSettled } from './webhook-ingest';

/** Everything a local run needs, wired from the config: embedded store, sinks, HTTP, secrets from env vars. */
export interface LocalPipeline {
  deps: PassDeps;
  store: LocalStore;
  repo: Repository;
  close(): Promise<void>;
}

export interface LocalPipelineOptions {
  now?: () => Date;
  /** Replace the configured sinks (tests, demo). */
  sinks?: AlertSink[];
  consoleStream?: NodeJS.WritableStream;
  http?: Partial<HttpClientOptions>;
  env?: NodeJS.ProcessEnv;
  /** The config file, shown in the ack commands that alerts print. */
  configPath?: string;
}

/** Heap growth between full collections with an in-memory store, in percent of the live heap (V8's flag). */
const MEMORY_STORE_HEAP_GROWING_PERCENT = 30;

/**
 * For a process whose store is in memory (`earshot run` with `storage: memory`, the bench's pipeline worker): every
 * item lives on this process's heap, ~350 MB at 100k mentions, and V8 lets a heap grow up to 4× its live size between
 * full collections (1.3 GB peak RSS at 100k). 1.3× keeps the peak near the data, for a little more collecting. A
 * process-wide setting, so the CLI makes it, not the library.
 */
export function boundHeapForMemoryStore(config: Pick<EarshotConfig, 'storage'>): void {
  if (config.storage === 'memory') setFlagsFromString(`--heap-growing-percent=${MEMORY_STORE_HEAP_GROWING_PERCENT}`);
}

export async function openLocalPipeline(
  config: EarshotConfig,
  options: LocalPipelineOptions = {},
): Promise<LocalPipeline> {
  const store = await startLocalStore(config.storage === 'memory' ? 'memory' : { path: config.storage.path });
  // The store's lock makes this process its one writer: leases an earlier (killed) process left are void.
  const repo = new Repository(store.doc, store.tableName, { soleWriterSince: Date.now() });
  const now = options.now ?? (() => new Date());
  const secrets = localSecrets(options.env ?? process.env);
  const sinks =
    options.sinks ??
    createSinks(config.alerts.sinks, {
      consoleStream: options.consoleStream as never,
      clock: now,
      secrets,
    });
  const adapterState = new Map<string, AdapterState>();
  const deps: PassDeps = {
    repo,
    sinks,
    config,
    now,
    http: new HttpClient(options.http),
    secrets,
    adapterState,
    configPath: options.configPath,
    // The store's lock makes this process its one writer: what an earlier (killed) process left is finished here.
    soleDelivererSince: now(),
  };
  const close = async () => {
    await webhookAlertingSettled(repo); // pushes answered before the store goes away are alerted first
    await store.close();
  };
  return { deps, store, repo, close };
}

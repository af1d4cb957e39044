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

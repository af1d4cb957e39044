import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { EarshotConfig } from '../../lambdas/config/schema';

/** The variable that holds the bearer token required when serving on another host than loopback. */
export const SERVE_TOKEN_ENV = 'EARSHOT_SERVE_TOKEN';

export interface ServerFile {
  pid: number;
  url: string;
  startedAt: string;
  /** Set when the server needs a bearer token (the token itself is never written). */
  tokenRequired: boolean;
  /** Which command owns the store: `serve`, or a `run` that answers the triage routes while it polls. */
  command?: 'serve' | 'run';
}

/** `.earshot/db` → `.earshot/db.serve.json`: beside the store, not in it (the folder is dynalite's). */
export function serverFilePath(config: Pick<EarshotConfig, 'storage'>): string | undefined {
  if (config.storage === 'memory') return undefined;
  const store = path.resolve(config.storage.path);
  return path.join(path.dirname(store), `${path.basename(store)}.serve.json`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running server that owns this config's store, if any (a file left by a crashed one is ignored). */
export function findRunningServer(config: Pick<EarshotConfig, 'storage'>): ServerFile | undefined {
  const file = serverFilePath(config);
  if (!file || !existsSync(file)) return undefined;
  try {
    const found = JSON.parse(readFileSync(file, 'utf8')) as ServerFile;
    return typeof found.url === 'string' && processAlive(found.pid) ? found : undefined;
  } catch {
    return undefined;
  }
}

/** Name this process's address beside the store, so `earshot triage …` goes through it; returns the remover. */
export function publishServer(
  config: Pick<EarshotConfig, 'storage'>,
  record: Omit<ServerFile, 'pid' | 'startedAt'>,
): () => void {
  const file = serverFilePath(config);
  if (!file) return () => undefined;
  const full: ServerFile = { pid: process.pid, startedAt: new Date().toISOString(), ...record };
  writeFileSync(file, JSON.stringify(full));
  return () => rmSync(file, { force: true });
}

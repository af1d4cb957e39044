import { loadConfig } from '../../lambdas/config/load';
import { describeSources, SOURCE_KINDS_INFO } from '../../lambdas/sources/kinds';
import { startLocalStore } from '../../lambdas/store/local';
import { Repository } from '../../lambdas/store/repository';
import { documentClient } from '../../lambdas/store/table-client';
import type { EarshotConfig } from '../../lambdas/config/schema';
import type { SourceHealth } from '../../lambdas/core/source-state';
import { stripControls } from '../../lambdas/core/text';
import { findRunningServer, SERVE_TOKEN_ENV } from './serve-file';
import { remoteCall } from './triage-remote';
import { renderTable } from './table';

function ago(iso: string | undefined, now: Date): string {
  if (!iso) return 'never';
  const minutes = Math.round((now.getTime() - Date.parse(iso)) / 60_000);
  return minutes < 90 ? `${minutes} min ago` : `${Math.round(minutes / 60)} h ago`;
}

/**
 * The details cell of a source's health row. Notes, errors and rejections quote what a source sent, so they lose
 * control and bidi characters here, as everything else the CLI prints does.
 */
export function healthDetails(h: SourceHealth | null | undefined): string {
  return stripControls(
    [
      h?.lagSeconds !== undefined ? `lag ${Math.round(h.lagSeconds / 60)} min` : '',
      h?.note ?? '',
      h?.lastError ? `last error: ${h.lastError}` : '',
      h?.rejected ? `rejected ${h.rejected} (last: ${h.lastRejection})` : '',
    ]
      .filter(Boolean)
      .join(' · '),
  );
}

/** What `earshot sources --config` asks a running run or serve for (serve-triage.ts answers it). */
export const SOURCES_PATH = '/triage/sources';

/** One configured source instance with its health and cursor, as `sources --config --json` prints it. */
export interface SourceRow {
  id: string;
  kind: string;
  brand: string;
  enabled: boolean;
  schedule: string;
  health: SourceHealth | null;
  watermark: string | null;
}

/** The rows, read from a store; a running run or serve answers the same at SOURCES_PATH. */
export async function sourceRows(config: EarshotConfig, repo: Repository): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for (const source of config.sources) {
    const health = await repo.sources.getHealth(source.id);
    const cursor = await repo.sources.getCursor(source.id);
    rows.push({
      id: source.id,
      kind: source.kind,
      brand: source.brand,
      enabled: source.enabled,
      schedule: source.schedule,
      health: health ?? null,
      watermark: cursor?.watermark ?? null,
    });
  }
  return rows;
}

/** From the store, or through the running run or serve that holds it (as `earshot triage` goes). */
async function readRows(config: EarshotConfig, quiet: boolean): Promise<SourceRow[]> {
  const server = findRunningServer(config);
  if (server) {
    if (!quiet) {
      process.stderr.write(
        `(through the running earshot ${server.command ?? 'serve'}, pid ${server.pid}, at ${server.url})\n`,
      );
    }
    return remoteCall(server.url, process.env[SERVE_TOKEN_ENV])<SourceRow[]>('GET', SOURCES_PATH);
  }
  const store = await startLocalStore(config.storage === 'memory' ? 'memory' : { path: config.storage.path });
  try {
    return await sourceRows(config, new Repository(documentClient(store.client), store.tableName));
  } finally {
    await store.close();
  }
}

/** `earshot sources [--config FILE]`: the kinds and what each needs; with a config, each instance's health. */
export async function sourcesCommand(opts: { config?: string; json?: boolean }): Promise<void> {
  if (!opts.config) {
    console.log(opts.json ? JSON.stringify(SOURCE_KINDS_INFO, null, 2) : describeSources());
    return;
  }
  const config = loadConfig(opts.config);
  const rows = await readRows(config, opts.json === true);
  const now = new Date();
  if (opts.json) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  console.log(describeSources(), '\n');
  const cells = rows.map((row) => {
    const h = row.health;
    const state = !row.enabled
      ? 'disabled'
      : !h
        ? 'never polled'
        : h.consecutiveFailures > 0
          ? `FAILING ×${h.consecutiveFailures}`
          : 'ok';
    return [row.id, row.kind, state, ago(h?.lastSuccessAt, now), healthDetails(h)];
  });
  console.log(renderTable(['source', 'kind', 'state', 'last success', 'details'], cells).join('\n'));
}

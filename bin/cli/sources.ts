import { loadConfig } from '../../lambdas/config/load';
import { describeSources, SOURCE_KINDS_INFO } from '../../lambdas/sources/kinds';
import { startLocalStore } from '../../lambdas/store/local';
import { Repository } from '../../lambdas/store/repository';
import { documentClient } from '../../lambdas/store/table-client';
import { renderTable } from './table';

function ago(iso: string | undefined, now: Date): string {
  if (!iso) return 'never';
  const minutes = Math.round((now.getTime() - Date.parse(iso)) / 60_000);
  return minutes < 90 ? `${minutes} min ago` : `${Math.round(minutes / 60)} h ago`;
}

/** `earshot sources [--config FILE]`: the kinds and what each needs; with a config, each instance's health. */
export async function sourcesCommand(opts: { config?: string; json?: boolean }): Promise<void> {
  if (!opts.config) {
    console.log(opts.json ? JSON.stringify(SOURCE_KINDS_INFO, null, 2) : describeSources());
    return;
  }
  const config = loadConfig(opts.config);
  const store = await startLocalStore(config.storage === 'memory' ? 'memory' : { path: config.storage.path });
  try {
    const repo = new Repository(documentClient(store.client), store.tableName);
    const now = new Date();
    const rows = [];
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
      const details = [
        h?.lagSeconds !== undefined ? `lag ${Math.round(h.lagSeconds / 60)} min` : '',
        h?.note ?? '',
        h?.lastError ? `last error: ${h.lastError}` : '',
        h?.rejected ? `rejected ${h.rejected} (last: ${h.lastRejection})` : '',
      ].filter(Boolean);
      return [row.id, row.kind, state, ago(h?.lastSuccessAt, now), details.join(' · ')];
    });
    console.log(renderTable(['source', 'kind', 'state', 'last success', 'details'], cells).join('\n'));
  } finally {
    await store.close();
  }
}

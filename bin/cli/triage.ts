import { explain } from '../../lambdas/core/analysis/analyze';
import { sanitize } from '../../lambdas/core/alerting/format';
import { stripControls } from '../../lambdas/core/text';
import type { TriageStatus } from '../../lambdas/core/triage';
import { TRIAGE_STATUSES } from '../../lambdas/core/triage';
import { loadConfig } from '../../lambdas/config/load';
import { startLocalStore } from '../../lambdas/store/local';
import { Repository } from '../../lambdas/store/repository';
import { documentClient } from '../../lambdas/store/table-client';
import { TriageService, type AlertAck, type TriageItem } from '../../lambdas/pipeline/triage-service';
import type { StoredMention } from '../../lambdas/core/mention';
import type { PrecisionRow, TriageStats } from '../../lambdas/core/triage';
import { findRunningServer, SERVE_TOKEN_ENV } from './serve-file';
import { remoteTriage, type TriageOperations } from './triage-remote';
import { renderTable } from './table';

export interface TriageCliOptions {
  config: string;
  json?: boolean;
  brand?: string;
  status?: string;
  limit?: number;
  by?: string;
  note?: string;
  assignee?: string;
  /** The ids are percent-encoded, as alerts print ids that a shell or chat client would misread. */
  encoded?: boolean;
}

function decodeId(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new Error(`--encoded: "${value}" is not valid percent-encoding`);
  }
}

function formatQueue(items: TriageItem[]): string {
  if (items.length === 0) return 'The triage queue is empty.';
  return items
    .map(
      (item) =>
        `[${item.severity.toUpperCase()}] ${item.status.padEnd(14)} ${item.sourceId} ${item.id}` +
        `${item.assignee ? ` → ${item.assignee}` : ''}\n    ${item.excerpt}\n    cues: ${item.cues.join(', ') || '-'}` +
        `${item.url ? `\n    ${item.url}` : ''}`,
    )
    .map(stripControls)
    .join('\n');
}

/** `triage show`: what a source chose (text, author, title, link, reply) reaches the terminal without control codes. */
export function formatMention(m: StoredMention): string {
  const lines = [
    `${m.sourceId} ${m.id} · ${m.kind} · ${m.brandId} · ${m.createdAt}`,
    m.url ?? '',
    m.author ? `by ${m.author}${m.authorReach !== undefined ? ` (reach ${m.authorReach})` : ''}` : '',
    m.communitySize !== undefined ? `in a community of ${m.communitySize} members` : '',
    '',
    // The title once: Reddit and RSS texts often start with it.
    m.title && !m.text.startsWith(m.title) ? `${m.title}\n${m.text}` : m.text,
    // The brand's answer, as one line of plain text (a source chose it: no control characters reach the terminal).
    m.reply
      ? `↳ the brand replied${m.reply.createdAt ? ` at ${m.reply.createdAt}` : ''}: ${sanitize(m.reply.text, { html: false })}`
      : '',
    '',
    `severity ${m.analysis.severity} · memorability ${m.analysis.memorability.toFixed(2)} · aspects ${m.analysis.aspects.join(', ') || '-'} · CX level ${m.analysis.cxLevel ?? '-'}`,
    'why:',
    ...explain(m.analysis).map((reason) => `  - ${reason}`),
  ];
  if (m.triage) {
    lines.push(
      `status: ${m.triage.status}${m.triage.assignee ? ` · assigned to ${m.triage.assignee}` : ''}`,
      'history:',
    );
    for (const event of m.triage.history) {
      lines.push(
        `  ${event.at} ${event.action}${event.by ? ` by ${event.by}` : ''}${event.note ? `: ${event.note}` : ''}`,
      );
    }
  }
  return stripControls(lines.filter((line, i) => line !== '' || i === 4 || i === 7).join('\n'));
}

function formatStats(stats: TriageStats): string {
  const pct = (value: number | null) => (value === null ? '-' : `${Math.round(value * 100)}%`);
  const rows = (title: string, list: PrecisionRow[]) =>
    renderTable(
      [title, 'flagged', 'reviewed', 'false+', 'precision'],
      list.map((r) => [r.key, String(r.flagged), String(r.reviewed), String(r.falsePositives), pct(r.precision)]),
      { alignRight: [1, 2, 3, 4] },
    );
  const statuses = Object.entries(stats.byStatus)
    .map(([status, n]) => `${status} ${n}`)
    .join(' · ');
  return [
    `${stats.brandId ?? 'all brands'}: ${stats.flagged} flagged (${statuses}); precision ${pct(stats.precision).trim()} of ${stats.reviewed} reviewed`,
    '',
    ...rows('by cue', stats.byCue),
    '',
    ...rows('by source', stats.bySource),
  ].join('\n');
}

function formatAlertAck({ alert, acknowledgedNow, original }: AlertAck): string {
  const state = acknowledgedNow ? 'acknowledged' : 'already acknowledged';
  const lines = [
    `${alert.alertId}: ${state} by ${alert.acknowledgedBy} at ${alert.acknowledgedAt}`,
    `  ${alert.subject}`,
  ];
  if (original) lines.push(`  and the alert it escalates: ${original.alertId}`);
  return lines.join('\n');
}

/** "already acknowledged by lead at T": who made the mention acknowledged, from its history. */
function alreadyAcknowledged(mention: StoredMention): string {
  const event = [...(mention.triage?.history ?? [])]
    .reverse()
    .find((e) => e.action === 'acknowledged' || e.action === 'reopened');
  if (!event) return 'already acknowledged';
  const who = `${event.by ? ` by ${event.by}` : ''} at ${event.at}`;
  return event.action === 'reopened' ? `already acknowledged (reopened${who})` : `already acknowledged${who}`;
}

/** `earshot triage …` against the local store named by the config. */
export async function triageCommand(action: string, rawArgs: string[], opts: TriageCliOptions): Promise<void> {
  const args = opts.encoded ? rawArgs.map(decodeId) : rawArgs;
  const config = loadConfig(opts.config);
  if (opts.status && !TRIAGE_STATUSES.includes(opts.status as TriageStatus)) {
    throw new Error(`--status must be one of ${TRIAGE_STATUSES.join(', ')}`);
  }
  // An unknown brand would only show an empty queue, as if all were well.
  if (opts.brand !== undefined && !config.brands.some((brand) => brand.id === opts.brand)) {
    const known = config.brands.map((brand) => brand.id).join(', ');
    throw new Error(`--brand ${opts.brand}: unknown brand in ${opts.config} (known: ${known})`);
  }
  // A running `earshot serve` owns the store: go through its HTTP API (the same routes as on AWS).
  const server = findRunningServer(config);
  const store = server
    ? undefined
    : await startLocalStore(config.storage === 'memory' ? 'memory' : { path: config.storage.path });
  try {
    const service: TriageOperations = store
      ? new TriageService(new Repository(documentClient(store.client), store.tableName))
      : remoteTriage(server!.url, process.env[SERVE_TOKEN_ENV]);
    if (server && !opts.json) {
      process.stderr.write(
        `(through the running earshot ${server.command ?? 'serve'}, pid ${server.pid}, at ${server.url})\n`,
      );
    }
    // Every line for a person goes through the one rule for the screen: an id echoed back (`desk ctl…: acknowledged`)
    // is as much a source's choice as the text `triage show` prints.
    const print = (value: unknown, text: () => string) =>
      console.log(opts.json ? JSON.stringify(value, null, 2) : stripControls(text()));
    const actor = { by: opts.by, note: opts.note, assignee: opts.assignee };
    const [sourceId, id] = args;
    switch (action) {
      case 'list': {
        const brands = opts.brand ? [opts.brand] : config.brands.map((b) => b.id);
        const items: TriageItem[] = [];
        for (const brandId of brands) {
          items.push(
            ...(await service.list({ brandId, status: opts.status as TriageStatus | undefined, limit: opts.limit })),
          );
        }
        print(items, () => formatQueue(items));
        return;
      }
      case 'stats': {
        const stats = await service.stats(opts.brand);
        print(stats, () => formatStats(stats));
        return;
      }
      case 'show': {
        const mention = await service.show(sourceId, id);
        print(mention, () => formatMention(mention));
        return;
      }
      case 'ack-alert': {
        const ack = await service.ackAlert(args[0], actor);
        print(ack, () => formatAlertAck(ack));
        return;
      }
      case 'ack':
      case 'resolve':
      case 'false-positive':
      case 'reopen':
      case 'assign':
      case 'note': {
        const run = {
          ack: () => service.ack(sourceId, id, actor),
          resolve: () => service.resolve(sourceId, id, actor),
          'false-positive': () => service.falsePositive(sourceId, id, actor),
          reopen: () => service.reopen(sourceId, id, actor),
          assign: () => service.assign(sourceId, id, actor),
          note: () => service.note(sourceId, id, actor),
        }[action];
        let already = false;
        const mention = await run().catch(async (error: Error) => {
          // Running a printed ack line again: already acknowledged is what was asked for, so it succeeds and says so.
          const current = action === 'ack' ? await service.show(sourceId, id).catch(() => undefined) : undefined;
          if (current?.triage?.status !== 'acknowledged') throw error;
          already = true;
          return current;
        });
        if (already) {
          print(mention, () => `${sourceId} ${id}: ${alreadyAcknowledged(mention)}`);
          return;
        }
        print(
          mention,
          () =>
            `${sourceId} ${id}: ${mention.triage?.status}${mention.triage?.assignee ? ` (assigned to ${mention.triage.assignee})` : ''}`,
        );
        return;
      }
      default:
        throw new Error(`unknown triage action ${action}`);
    }
  } finally {
    await store?.close();
  }
}

import { ASPECTS, CUE_LABELS, CUE_NAMES, SEVERITIES, type Severity } from '../core/analysis/types';
import { addHours, hourOf, severityRank } from '../core/alerting/common';
import { detectSpike } from '../core/alerting/spikes';
import type { EarshotConfig } from '../config/schema';
import { parseMentionKey } from '../core/alert-id';
import type { Incident } from '../core/incident';
import type { StoredMention } from '../core/mention';
import { slaOf, type SlaPolicy, type SlaStatus } from '../core/sla';
import type { SourceHealth } from '../core/source-state';
import {
  TRIAGE_STATUSES,
  TriageInputError,
  type TriageAction,
  type TriageStats,
  type TriageStatus,
} from '../core/triage';
import { EarshotError, NotFoundError } from '../core/errors';
import { titleAndText } from '../core/alerting/format';
import { stripControls, truncate } from '../core/text';
import { toTriageItem, type TriageActor, type TriageItem, type TriageService } from './triage-service';

/**
 * What the web inbox reads and does beyond the CLI's triage operations: a filtered, paged queue with SLA states,
 * the mention view, incidents, bulk actions and the per-brand overview. Built on the TriageService (so every action
 * follows the same transition rules and acknowledges alerts the same way).
 */

export const QUEUE_STATUS_VIEWS = ['open', 'all', ...TRIAGE_STATUSES] as const;
export type QueueStatusView = (typeof QUEUE_STATUS_VIEWS)[number];
export const QUEUE_SORTS = ['priority', 'overdue'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
/** `assignee=-` asks for unassigned mentions. */
export const UNASSIGNED = '-';

/** The brand id that asks for every brand's queue or incidents at once (no brand id can be `*`). */
const ALL_BRANDS = '*';

export interface InboxQuery {
  /** A brand, or ALL_BRANDS. */
  brandId: string;
  /** Default `open` (new, then acknowledged). */
  status?: QueueStatusView;
  severity?: Severity;
  sourceId?: string;
  cue?: string;
  language?: string;
  assignee?: string;
  /** Words that must all appear in the title, text or author (case and accents ignored). */
  q?: string;
  sort?: QueueSort;
  limit?: number;
  cursor?: string;
}

export interface InboxRow extends TriageItem {
  language: string;
  title?: string;
  aspects: string[];
  sla?: SlaStatus;
}

export interface InboxPage {
  items: InboxRow[];
  /** Pass as `cursor` for the next page; absent at the end. */
  next?: string;
  /** The server's clock, so a browser shows SLA time left against the same clock. */
  now: string;
  /** True when the read budget ran out before the page filled (a very narrow filter): `next` goes on. */
  partial?: boolean;
}

export interface BulkResult {
  sourceId: string;
  id: string;
  ok: boolean;
  status?: TriageStatus;
  error?: string;
}

export interface HourPoint {
  hour: string;
  mentions: number;
  negative: number;
  flagged: number;
  spike: boolean;
}

export interface Overview {
  brandId: string;
  from: string;
  to: string;
  hourly: HourPoint[];
  totals: { fetched: number; mentions: number; negative: number; flagged: number; spikes: number };
  snrBySource: { sourceId: string; kind: string; fetched: number; relevant: number; snr: number | null }[];
  topCues: { key: string; label: string; count: number }[];
  topAspects: { key: string; count: number }[];
  precision: TriageStats;
  health: (SourceHealth & { brandId: string })[];
}

/** How much of a mention the incident timeline shows: enough to recognise it, short enough to scan. */
const EXCERPT_LENGTH = 180;

export interface IncidentView {
  incident: Incident;
  /** Oldest first; `excerpt` is the title and text as one line, the title once, cut to a timeline row. */
  mentions: (StoredMention & { sla?: SlaStatus; excerpt: string })[];
  languages: string[];
  /** When the customers posted (first and last mention), not when Earshot grouped them. */
  postedFrom?: string;
  postedTo?: string;
}

export const MAX_PAGE = 200;
export const MAX_BULK = 100;
/** Items read at most for one queue request; a narrower filter gets `partial` and a cursor. */
const READ_BUDGET = 5000;
const OPEN_VIEW: TriageStatus[] = ['new', 'acknowledged'];
const RANKED = [...SEVERITIES].reverse().filter((s) => s !== 'none');
const TOP_N = 8;
const TOP_WINDOW_HOURS = 7 * 24;
/** Mentions read at most for the top cues and aspects of the week. */
const TOP_READ_LIMIT = 2000;

interface Cursor {
  /** Index into the statuses of the view. */
  s: number;
  k?: Record<string, unknown>;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(value: string | undefined): Cursor {
  if (!value) return { s: 0 };
  try {
    const cursor = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Cursor;
    if (Number.isInteger(cursor.s) && cursor.s >= 0 && (cursor.k === undefined || typeof cursor.k === 'object')) {
      return cursor;
    }
  } catch {
    // fall through
  }
  throw new TriageInputError('cursor is not one this server gave out');
}

/** Where each brand's queue goes on in the all-brands view: its own cursor, '' to start, null when done. */
function encodeBrandCursors(cursors: Record<string, string | null>): string {
  return Buffer.from(JSON.stringify({ b: cursors })).toString('base64url');
}

function decodeBrandCursors(value: string | undefined, brands: string[]): Record<string, string | null | undefined> {
  if (!value) return Object.fromEntries(brands.map((id) => [id, undefined]));
  try {
    const { b } = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { b?: Record<string, unknown> };
    if (b && typeof b === 'object') {
      return Object.fromEntries(
        brands.map((id) => [id, typeof b[id] === 'string' ? (b[id] as string) || undefined : null]),
      );
    }
  } catch {
    // fall through
  }
  throw new TriageInputError('cursor is not one this server gave out');
}

/** Lower case, accents and đ folded, so "giao hang" finds "Giao hàng". */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

export function statusesOf(view: QueueStatusView | undefined): TriageStatus[] {
  if (view === undefined || view === 'open') return OPEN_VIEW;
  if (view === 'all') return [...TRIAGE_STATUSES];
  return [view];
}

/** Whether a mention passes the filters that the index cannot apply. */
export function matchesQuery(m: StoredMention, query: InboxQuery, words: string[]): boolean {
  if (query.sourceId && m.sourceId !== query.sourceId) return false;
  if (query.language && m.analysis.language !== query.language) return false;
  if (query.cue && !m.analysis.cues.some((cue) => cue.name === query.cue && cue.strength > 0)) return false;
  if (query.assignee) {
    const assignee = m.triage?.assignee;
    if (query.assignee === UNASSIGNED ? assignee : assignee !== query.assignee) return false;
  }
  if (words.length > 0) {
    const haystack = foldText([m.title ?? '', m.text, m.author ?? ''].join(' '));
    if (!words.every((word) => haystack.includes(word))) return false;
  }
  return true;
}

// What the inbox sends back to the server (ids, keys, links, cursors) stays as stored; every other string is text a
// source or a person chose, shown on a page.
const IDENTIFIERS = new Set(['id', 'sourceId', 'brandId', 'key', 'incidentKey', 'mentionKeys', 'url', 'next']);

/**
 * A view as the inbox shows it: control characters and bidi overrides, isolates and other invisible characters
 * removed from every text (titles, mention text, evidence, replies, notes, errors), by the rule `triage show` and
 * the alerts use, so a source cannot reorder or hide what the page says. Markup needs nothing here: the page
 * renders text as text.
 */
/** The overdue queue's order: the soonest due first (no SLA: last), then the most severe. */
function overdueOrder(a: InboxRow, b: InboxRow): number {
  const due = (row: InboxRow) => (row.sla ? Date.parse(row.sla.dueAt) : Infinity);
  return due(a) - due(b) || severityRank(b.severity as Severity) - severityRank(a.severity as Severity);
}

function forDisplay<T>(value: T, key?: string): T {
  if (key !== undefined && IDENTIFIERS.has(key)) return value;
  if (typeof value === 'string') return stripControls(value) as T;
  if (Array.isArray(value)) return value.map((item) => forDisplay(item)) as T;
  const plain =
    value !== null && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value));
  if (plain) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forDisplay(v, k)])) as T;
  }
  return value;
}

export class InboxService {
  constructor(
    readonly triage: TriageService,
    readonly config: Pick<EarshotConfig, 'brands' | 'sources' | 'alerts'> & { triage?: { sla: SlaPolicy } },
    private readonly now: () => Date = () => new Date(),
  ) {}

  get sla(): SlaPolicy {
    return this.config.triage?.sla ?? {};
  }

  row(m: StoredMention, now: Date): InboxRow {
    return forDisplay({
      ...toTriageItem(m),
      language: m.analysis.language,
      title: m.title,
      aspects: m.analysis.aspects,
      sla: slaOf({ severity: m.analysis.severity, storedAt: m.storedAt, triage: m.triage }, this.sla, now),
    });
  }

  async queue(query: InboxQuery): Promise<InboxPage> {
    const now = this.now();
    const words = foldText(query.q ?? '')
      .split(/\s+/)
      .filter(Boolean);
    const limit = Math.min(query.limit ?? 50, MAX_PAGE);
    if (query.brandId === ALL_BRANDS) return this.allBrandsQueue(query, limit, words, now);
    if (query.sort === 'overdue') return this.overdueQueue(query, limit, words, now);
    const { items, next, partial } = await this.brandQueue(query, limit, words, now);
    return { items, now: now.toISOString(), ...(next ? { next } : {}), ...(partial ? { partial } : {}) };
  }

  /** One brand's page; `after[i]` is the cursor that continues just after `items[i]`. */
  private async brandQueue(
    query: InboxQuery,
    limit: number,
    words: string[],
    now: Date,
  ): Promise<{ items: InboxRow[]; after: Cursor[]; next?: string; partial?: boolean }> {
    const statuses = statusesOf(query.status);
    const cursor = decodeCursor(query.cursor);
    const repo = this.triage.repo;
    const items: InboxRow[] = [];
    const after: Cursor[] = [];
    let read = 0;
    let startAfter = cursor.k;
    for (let s = cursor.s; s < statuses.length; s++, startAfter = undefined) {
      const partition = { brandId: query.brandId, status: statuses[s], severity: query.severity };
      for (;;) {
        const want = limit - items.length;
        // Unfiltered views read exactly one page; filtered ones read ahead.
        const pageSize = words.length || query.sourceId || query.cue || query.language || query.assignee ? 200 : want;
        const page = await repo.mentions.queuePage(partition, pageSize, startAfter);
        read += page.mentions.length;
        for (const [i, mention] of page.mentions.entries()) {
          if (!matchesQuery(mention, query, words)) continue;
          items.push(this.row(mention, now));
          after.push({ s, k: page.keys[i] });
          if (items.length === limit) {
            const atEnd = i === page.mentions.length - 1 && !page.next && s === statuses.length - 1;
            return { items, after, next: atEnd ? undefined : encodeCursor({ s, k: page.keys[i] }) };
          }
        }
        if (!page.next) break;
        startAfter = page.next;
        if (read >= READ_BUDGET) return { items, after, next: encodeCursor({ s, k: page.next }), partial: true };
      }
    }
    return { items, after };
  }

  /**
   * Every brand's queue as one, in queue order (status, severity, newest): a page of each brand from its own
   * cursor, merged, cut to the limit; the cursor holds where each brand goes on.
   */
  private async allBrandsQueue(query: InboxQuery, limit: number, words: string[], now: Date): Promise<InboxPage> {
    const brands = this.config.brands.map((b) => b.id);
    if (query.sort === 'overdue') {
      const pages = await Promise.all(
        brands.map((brandId) => this.overdueQueue({ ...query, brandId }, limit, words, now)),
      );
      const items = pages
        .flatMap((page) => page.items)
        .sort(overdueOrder)
        .slice(0, limit);
      return { items, now: now.toISOString() };
    }
    const cursors = decodeBrandCursors(query.cursor, brands);
    const pages = await Promise.all(
      brands.map((brandId) =>
        cursors[brandId] === null
          ? { items: [], after: [] }
          : this.brandQueue({ ...query, brandId, cursor: cursors[brandId] }, limit, words, now),
      ),
    );
    const statuses = statusesOf(query.status);
    const order = (a: InboxRow, b: InboxRow) =>
      statuses.indexOf(a.status) - statuses.indexOf(b.status) ||
      severityRank(b.severity as Severity) - severityRank(a.severity as Severity) ||
      b.createdAt.localeCompare(a.createdAt) ||
      `${b.sourceId}#${b.id}`.localeCompare(`${a.sourceId}#${a.id}`);
    const items = pages
      .flatMap((page) => page.items)
      .sort(order)
      .slice(0, limit);
    const shown = new Set(items);
    const next: Record<string, string | null> = {};
    for (const [i, brandId] of brands.entries()) {
      const page: { items: InboxRow[]; after: Cursor[]; next?: string } = pages[i];
      // A brand's rows are in order, so the shown ones are its first `taken`.
      const taken = page.items.filter((row) => shown.has(row)).length;
      if (taken === page.items.length) next[brandId] = page.next ?? null;
      else if (taken === 0) next[brandId] = cursors[brandId] ?? '';
      else next[brandId] = encodeCursor(page.after[taken - 1]);
    }
    const more = Object.values(next).some((cursor) => cursor !== null);
    const partial = pages.some((page) => 'partial' in page && page.partial);
    return {
      items,
      now: now.toISOString(),
      ...(more ? { next: encodeBrandCursors(next) } : {}),
      ...(partial ? { partial } : {}),
    };
  }

  /** Open mentions whose first response is most overdue first: per (status, severity), oldest first, merged. */
  private async overdueQueue(query: InboxQuery, limit: number, words: string[], now: Date): Promise<InboxPage> {
    const candidates: InboxRow[] = [];
    const severities = query.severity ? [query.severity] : RANKED;
    for (const status of statusesOf(query.status)) {
      for (const severity of severities) {
        let startAfter: Record<string, unknown> | undefined;
        let found = 0;
        let read = 0;
        do {
          const page = await this.triage.repo.mentions.queuePage(
            { brandId: query.brandId, status, severity, oldestFirst: true },
            100,
            startAfter,
          );
          read += page.mentions.length;
          for (const mention of page.mentions) {
            if (!matchesQuery(mention, query, words)) continue;
            candidates.push(this.row(mention, now));
            found++;
          }
          startAfter = page.next;
        } while (startAfter && found < limit && read < READ_BUDGET);
      }
    }
    candidates.sort(overdueOrder);
    return { items: candidates.slice(0, limit), now: now.toISOString() };
  }

  async mention(sourceId: string, id: string): Promise<StoredMention & { sla?: SlaStatus; incident?: Incident }> {
    const mention = await this.triage.show(sourceId, id);
    const sla = slaOf(
      { severity: mention.analysis.severity, storedAt: mention.storedAt, triage: mention.triage },
      this.sla,
      this.now(),
    );
    const incident = mention.incidentKey
      ? await this.triage.repo.incidents.get(mention.brandId, mention.incidentKey)
      : undefined;
    return forDisplay({ ...mention, sla, incident });
  }

  /** Open incidents of a brand (or of every brand, ALL_BRANDS): the biggest and most severe first. */
  async incidents(brandId: string): Promise<Incident[]> {
    const brands = brandId === ALL_BRANDS ? this.config.brands.map((b) => b.id) : [brandId];
    const lists = await Promise.all(
      brands.map((id) => this.triage.repo.incidents.listOpen(id, '1970-01-01T00:00:00.000Z')),
    );
    const open = lists.flat();
    return open
      .sort(
        (a, b) =>
          b.size - a.size || severityRank(b.severity) - severityRank(a.severity) || b.lastAt.localeCompare(a.lastAt),
      )
      .map((incident) => forDisplay(incident));
  }

  async incident(brandId: string, key: string): Promise<IncidentView> {
    const incident = await this.triage.repo.incidents.get(brandId, key);
    if (!incident) throw new NotFoundError(`no incident ${brandId}/${key}`);
    const now = this.now();
    const mentions: IncidentView['mentions'] = [];
    for (const mentionKey of incident.mentionKeys) {
      const ref = parseMentionKey(mentionKey);
      const mention = ref && (await this.triage.repo.mentions.get(ref.sourceId, ref.id));
      if (!mention) continue;
      const sla = slaOf(
        { severity: mention.analysis.severity, storedAt: mention.storedAt, triage: mention.triage },
        this.sla,
        now,
      );
      mentions.push({ ...mention, sla, excerpt: truncate(titleAndText(mention.title, mention.text), EXCERPT_LENGTH) });
    }
    mentions.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return forDisplay({
      incident,
      mentions,
      languages: [...new Set(mentions.map((m) => m.analysis.language))].sort(),
      postedFrom: mentions[0]?.createdAt,
      postedTo: mentions.at(-1)?.createdAt,
    });
  }

  /** Acknowledge every new mention of the incident, and with them its alerts (as acknowledging one mention does). */
  async ackIncident(
    brandId: string,
    key: string,
    actor: TriageActor = {},
  ): Promise<IncidentView & { acknowledged: number }> {
    const view = await this.incident(brandId, key);
    let acknowledged = 0;
    for (const mention of view.mentions) {
      if (mention.triage?.status !== 'new') continue;
      await this.triage.ack(mention.sourceId, mention.id, actor);
      acknowledged++;
    }
    // Also when none was new: the incident's own alerts stop escalating.
    const first = view.mentions[0];
    if (first) {
      const at = this.now().toISOString();
      for (const alertId of await this.triage.repo.alerts.linkedTo(first)) {
        await this.triage.repo.alerts.acknowledge(alertId, actor.by ?? 'triage', at);
      }
    }
    return { ...(await this.incident(brandId, key)), acknowledged };
  }

  /** One action on many mentions; each succeeds or fails on its own (a 409 on one does not stop the rest). */
  async bulk(
    action: TriageAction,
    refs: { sourceId: string; id: string }[],
    actor: TriageActor,
  ): Promise<BulkResult[]> {
    if (refs.length === 0) throw new TriageInputError('give at least one mention');
    if (refs.length > MAX_BULK) throw new TriageInputError(`at most ${MAX_BULK} mentions at once`);
    const results: BulkResult[] = [];
    for (const { sourceId, id } of refs) {
      try {
        const mention = await this.triage.apply(sourceId, id, action, actor);
        results.push({ sourceId, id, ok: true, status: mention.triage?.status });
      } catch (err) {
        // A mention that cannot take the action is reported in its row; anything unexpected stops the batch.
        if (!(err instanceof EarshotError) || err.httpStatus >= 500) throw err;
        results.push({ sourceId, id, ok: false, error: stripControls((err as Error).message) });
      }
    }
    return results;
  }

  async overview(brandId: string, hours = 72): Promise<Overview> {
    const repo = this.triage.repo;
    const now = this.now();
    const to = hourOf(now);
    const from = addHours(to, -(hours - 1));
    const spikes = this.config.alerts.spikes;
    const baselineFrom = addHours(from, -spikes.baselineHours);
    const totalsRows = await repo.counters.brandTotals(brandId, baselineFrom, to);
    const negatives = totalsRows.map((row) => ({ hour: row.hour, count: row.negative }));
    const historyStartHour = totalsRows[0]?.hour;
    const byHour = new Map(totalsRows.map((row) => [row.hour, row]));
    const hourly: HourPoint[] = [];
    const totals = { fetched: 0, mentions: 0, negative: 0, flagged: 0, spikes: 0 };
    for (let hour = from; hour <= to; hour = addHours(hour, 1)) {
      const row = byHour.get(hour);
      const spike =
        row !== undefined &&
        detectSpike({ brandId, hourlyNegatives: negatives, currentHour: hour, cfg: spikes, historyStartHour }) !== null;
      const point = {
        hour,
        mentions: row?.relevant ?? 0,
        negative: row?.negative ?? 0,
        flagged: row?.flagged ?? 0,
        spike,
      };
      hourly.push(point);
      totals.fetched += row?.fetched ?? 0;
      totals.mentions += point.mentions;
      totals.negative += point.negative;
      totals.flagged += point.flagged;
      if (spike) totals.spikes++;
    }

    const sources = this.config.sources.filter((source) => source.brand === brandId);
    const perSource = new Map(
      sources.map((s) => [s.id, { sourceId: s.id, kind: s.kind as string, fetched: 0, relevant: 0 }]),
    );
    for (const row of await repo.counters.bySource(brandId, from, to)) {
      let entry = perSource.get(row.sourceId);
      // Brand-level counters (a spike alert's) and removed sources with nothing fetched are not a source's SNR.
      if (!entry && row.fetched === 0 && row.relevant === 0) continue;
      if (!entry) perSource.set(row.sourceId, (entry = { sourceId: row.sourceId, kind: '?', fetched: 0, relevant: 0 }));
      entry.fetched += row.fetched;
      entry.relevant += row.relevant;
    }
    const snrBySource = [...perSource.values()].map((entry) => ({
      ...entry,
      snr: entry.fetched > 0 ? Math.round((entry.relevant / entry.fetched) * 1000) / 1000 : null,
    }));

    const since = new Date(now.getTime() - TOP_WINDOW_HOURS * 3_600_000).toISOString();
    const cueCounts = new Map<string, number>();
    const aspectCounts = new Map<string, number>();
    // Flagged mentions come from the triage queue (by status, then severity), so the window is checked on each.
    for (const mention of await repo.mentions.triageQueue({ brandId, limit: TOP_READ_LIMIT })) {
      if (mention.createdAt < since || !mention.flagged) continue;
      for (const cue of mention.analysis.cues) {
        if (cue.strength > 0) cueCounts.set(cue.name, (cueCounts.get(cue.name) ?? 0) + 1);
      }
      for (const aspect of mention.analysis.aspects) aspectCounts.set(aspect, (aspectCounts.get(aspect) ?? 0) + 1);
    }
    const top = (counts: Map<string, number>) =>
      [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, TOP_N)
        .map(([key, count]) => ({ key, count }));

    const sourceIds = new Set(sources.map((s) => s.id));
    const health = (await repo.sources.listHealth([...sourceIds])).map((h) => forDisplay({ ...h, brandId }));
    return {
      brandId,
      from,
      to,
      hourly,
      totals,
      snrBySource,
      topCues: top(cueCounts).map((row) => ({
        ...row,
        label: CUE_LABELS[row.key as keyof typeof CUE_LABELS] ?? row.key,
      })),
      topAspects: top(aspectCounts),
      precision: await this.triage.stats(brandId),
      health,
    };
  }

  /** What the inbox needs to draw its filters and badges. */
  meta(): object {
    return {
      brands: this.config.brands.map((b) => ({ id: b.id, name: b.name })),
      sources: this.config.sources.map((s) => ({ id: s.id, kind: s.kind, brand: s.brand })),
      sla: this.sla,
      severities: RANKED,
      statuses: TRIAGE_STATUSES,
      cues: CUE_NAMES.map((name) => ({ name, label: CUE_LABELS[name] })),
      aspects: ASPECTS,
      now: this.now().toISOString(),
    };
  }
}

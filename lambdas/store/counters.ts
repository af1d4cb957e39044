import { COUNTER_NAMES, type CounterDeltas, type HourlyCounter } from '../core/source-state';
import { DAY_SECONDS, epochSeconds, keys } from './keys';
import { ITEM_TYPES, TTL_ATTRIBUTE, type ItemType } from './table';
import type { TableClient } from './table-client';

/** Hourly counters feed SNR reports and spike baselines; a little over a year is plenty. */
export const COUNTER_RETENTION_DAYS = 400;
/** The per-brand total row of the hourly counters. */
export const ALL_SOURCES = '*';

const HOUR_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}$/;

interface PendingAdd {
  brandId: string;
  sourceId: string;
  hour: string;
  deltas: CounterDeltas;
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
}

/**
 * Hourly counters per brand: one row per source and hour, and one brand-total row per hour. Adds made while a
 * write is in flight are summed and written together next (group commit): under concurrent pushes that is two
 * updates per round instead of two per push. Each `add` still resolves only once its deltas are written.
 */
export class CounterStore {
  private readonly pending = new Map<string, PendingAdd>();
  private flushing = false;

  constructor(private readonly table: TableClient) {}

  /** Add to the hour's counters of the source and of the brand total (atomic ADD; `hour` is `YYYY-MM-DDTHH` UTC). */
  add(brandId: string, sourceId: string, hour: string, deltas: CounterDeltas): Promise<void> {
    if (!HOUR_PATTERN.test(hour)) return Promise.reject(new Error(`hour must look like 2024-05-01T13, got "${hour}"`));
    if (COUNTER_NAMES.every((name) => (deltas[name] ?? 0) === 0)) return Promise.resolve();
    const key = `${brandId}\u0000${sourceId}\u0000${hour}`;
    let entry = this.pending.get(key);
    if (!entry) this.pending.set(key, (entry = { brandId, sourceId, hour, deltas: {}, waiters: [] }));
    for (const name of COUNTER_NAMES) {
      if (deltas[name]) entry.deltas[name] = (entry.deltas[name] ?? 0) + deltas[name]!;
    }
    const written = new Promise<void>((resolve, reject) => entry.waiters.push({ resolve, reject }));
    if (!this.flushing) void this.flush();
    return written;
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.size > 0) {
        const round = [...this.pending.values()];
        this.pending.clear();
        // The brand-total row of an hour sums every source's adds of the round.
        const totals = new Map<string, PendingAdd>();
        for (const entry of round) {
          const key = `${entry.brandId}\u0000${entry.hour}`;
          let total = totals.get(key);
          if (!total) totals.set(key, (total = { ...entry, sourceId: ALL_SOURCES, deltas: {}, waiters: [] }));
          for (const name of COUNTER_NAMES) {
            if (entry.deltas[name]) total.deltas[name] = (total.deltas[name] ?? 0) + entry.deltas[name]!;
          }
        }
        const totalWrites = new Map(
          [...totals].map(([key, total]) => [key, this.write(total, `T#${total.hour}`).then(() => undefined)]),
        );
        await Promise.all(
          round.map(async (entry) => {
            try {
              await this.write(entry, `H#${entry.hour}#${entry.sourceId}`);
              await totalWrites.get(`${entry.brandId}\u0000${entry.hour}`);
              for (const waiter of entry.waiters) waiter.resolve();
            } catch (error) {
              for (const waiter of entry.waiters) waiter.reject(error);
            }
          }),
        );
        // A failed total write has rejected its waiters above; keep it from surfacing as unhandled.
        await Promise.allSettled(totalWrites.values());
      }
    } finally {
      this.flushing = false;
    }
  }

  private write(entry: PendingAdd, sk: string): Promise<unknown> {
    const { brandId, hour, deltas } = entry;
    const names = COUNTER_NAMES.filter((name) => (deltas[name] ?? 0) !== 0);
    const expiresAt = epochSeconds(`${hour}:00:00Z`) + COUNTER_RETENTION_DAYS * DAY_SECONDS;
    return this.table.update({
      Key: { pk: keys.counters(brandId), sk },
      UpdateExpression:
        'SET #type = :type, brandId = :brand, sourceId = :source, #hour = :hour, #ttl = :ttl ADD ' +
        names.map((name) => `#${name} :${name}`).join(', '),
      ExpressionAttributeNames: {
        '#type': 'type',
        '#hour': 'hour',
        '#ttl': TTL_ATTRIBUTE,
        ...Object.fromEntries(names.map((name) => [`#${name}`, name])),
      },
      ExpressionAttributeValues: {
        ':type': ITEM_TYPES.COUNTER satisfies ItemType,
        ':brand': brandId,
        ':source': entry.sourceId,
        ':hour': hour,
        ':ttl': expiresAt,
        ...Object.fromEntries(names.map((name) => [`:${name}`, deltas[name]])),
      },
    });
  }

  /** Per-source hourly counters of a brand, hours in [fromHour, toHour], oldest first. */
  async bySource(brandId: string, fromHour: string, toHour: string): Promise<HourlyCounter[]> {
    return this.range(brandId, `H#${fromHour}`, `H#${toHour}#\uffff`);
  }

  /** The brand's totals over all sources, one row per hour (sourceId `*`), hours in [fromHour, toHour]. */
  async brandTotals(brandId: string, fromHour: string, toHour: string): Promise<HourlyCounter[]> {
    return this.range(brandId, `T#${fromHour}`, `T#${toHour}`);
  }

  private async range(brandId: string, from: string, to: string): Promise<HourlyCounter[]> {
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.counters(brandId), ':from': from, ':to': to },
    });
    return items.map((item) => {
      const row = item as Partial<HourlyCounter>;
      const counter = { brandId, sourceId: String(row.sourceId), hour: String(row.hour) } as HourlyCounter;
      for (const name of COUNTER_NAMES) counter[name] = Number(row[name] ?? 0);
      return counter;
    });
  }
}

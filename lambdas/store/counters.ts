import { COUNTER_NAMES, type CounterDeltas, type HourlyCounter } from '../core/source-state';
import { DAY_SECONDS, epochSeconds, keys } from './keys';
import { ITEM_TYPES, TTL_ATTRIBUTE, type ItemType } from './table';
import type { TableClient } from './table-client';

/** Hourly counters feed SNR reports and spike baselines; a little over a year is plenty. */
export const COUNTER_RETENTION_DAYS = 400;
/** The per-brand total row of the hourly counters. */
export const ALL_SOURCES = '*';

const HOUR_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}$/;

/** Hourly counters per brand: one row per source and hour, and one brand-total row per hour. */
export class CounterStore {
  constructor(private readonly table: TableClient) {}

  /** Add to the hour's counters of the source and of the brand total (atomic ADD; `hour` is `YYYY-MM-DDTHH` UTC). */
  async add(brandId: string, sourceId: string, hour: string, deltas: CounterDeltas): Promise<void> {
    if (!HOUR_PATTERN.test(hour)) throw new Error(`hour must look like 2024-05-01T13, got "${hour}"`);
    const names = COUNTER_NAMES.filter((name) => (deltas[name] ?? 0) !== 0);
    if (names.length === 0) return;
    const expiresAt = epochSeconds(`${hour}:00:00Z`) + COUNTER_RETENTION_DAYS * DAY_SECONDS;
    const update = (sk: string, rowSourceId: string) =>
      this.table.update({
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
          ':source': rowSourceId,
          ':hour': hour,
          ':ttl': expiresAt,
          ...Object.fromEntries(names.map((name) => [`:${name}`, deltas[name]])),
        },
      });
    await Promise.all([update(`H#${hour}#${sourceId}`, sourceId), update(`T#${hour}`, ALL_SOURCES)]);
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

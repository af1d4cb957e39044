import { severityRank } from '../core/alerting/common';
import type { Incident } from '../core/incident';
import type { StoredMention } from '../core/mention';
import type { TriageStatus } from '../core/triage';
import { GSI1, GSI2, PARTITION_KEY, SORT_KEY } from './table';

/** The table's key formats (layout in table.ts) and the conversions between items and domain records. */

export type Item = Record<string, unknown>;
export interface ItemKey {
  pk: string;
  sk: string;
}

export const DAY_SECONDS = 86_400;

/** ISO time normalized to `YYYY-MM-DDTHH:mm:ss.sssZ` so string order is time order; left as is when unparseable. */
export function isoKey(time: string): string {
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? time : new Date(ms).toISOString();
}

export function epochSeconds(time: string): number {
  const ms = Date.parse(time);
  return Math.floor((Number.isNaN(ms) ? Date.now() : ms) / 1000);
}

export const keys = {
  mention: (sourceId: string, id: string): ItemKey => ({ pk: `MENTION#${sourceId}#${id}`, sk: 'MENTION' }),
  triageQueue: (brandId: string, status: TriageStatus) => `TRIAGE#${brandId}#${status}`,
  triageSort: (m: StoredMention) => `${severityRank(m.analysis.severity)}#${isoKey(m.createdAt)}#${m.sourceId}#${m.id}`,
  /** Flagged mentions not grouped into an incident yet, oldest first (the sweep's catch-up reads this). */
  ungrouped: (brandId: string) => `UNGROUPED#${brandId}`,
  ungroupedSort: (m: Pick<StoredMention, 'createdAt' | 'sourceId' | 'id'>) =>
    `${isoKey(m.createdAt)}#${m.sourceId}#${m.id}`,
  incident: (brandId: string, key: string): ItemKey => ({ pk: `INCIDENT#${brandId}#${key}`, sk: 'INCIDENT' }),
  openIncidents: (brandId: string) => `OPEN_INCIDENTS#${brandId}`,
  cursor: (sourceId: string): ItemKey => ({ pk: `SOURCE#${sourceId}`, sk: 'CURSOR' }),
  health: (sourceId: string): ItemKey => ({ pk: `SOURCE#${sourceId}`, sk: 'HEALTH' }),
  counters: (brandId: string) => `COUNTERS#${brandId}`,
  alert: (alertId: string): ItemKey => ({ pk: `ALERT#${alertId}`, sk: 'ALERT' }),
  alertLink: (alertId: string) => `ALERT#${alertId}`,
  escalationDay: (day: string) => `ESCALATE#${day}`,
  undeliveredDay: (day: string) => `UNDELIVERED#${day}`,
  lock: (name: string): ItemKey => ({ pk: `LOCK#${name}`, sk: 'LOCK' }),
  digest: (brandId: string, hour: string): ItemKey => ({ pk: `DIGEST#${brandId}#${hour}`, sk: 'DIGEST' }),
};

/** Attributes that exist only for the table's keys and TTL, stripped when reading an item back. */
const KEY_ATTRIBUTES = [
  PARTITION_KEY,
  SORT_KEY,
  'type',
  GSI1.partitionKey,
  GSI1.sortKey,
  GSI2.partitionKey,
  GSI2.sortKey,
];

/** Strip the key attributes from an item read back (also for stream NewImages, after `unmarshall`). */
export function stripKeys<T>(item: Item): T {
  const out: Item = { ...item };
  for (const name of KEY_ATTRIBUTES) delete out[name];
  return out as T;
}

/** A MENTION item (e.g. a stream NewImage after `unmarshall`) back to the StoredMention it was written from. */
export function mentionFromItem(item: Item): StoredMention {
  const mention = stripKeys<StoredMention & { expiresAt?: number }>(item);
  delete mention.expiresAt;
  return mention;
}

export function incidentFromItem(item: Item): Incident {
  const incident = stripKeys<Incident & { expiresAt?: number }>(item);
  delete incident.expiresAt;
  return incident;
}

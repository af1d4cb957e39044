import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Severity } from '../core/analysis/types';
import { severityRank } from '../core/alerting/common';
import { ESCALATABLE_KINDS } from '../core/alerting/escalation';
import {
  applyTriageAction,
  newTriageState,
  triageStatsOf,
  type TriageAction,
  type TriageStats,
  type TriageStatsInput,
  TRIAGE_STATUSES,
  type TriageState,
  type TriageStatus,
} from '../core/triage';
import { ConflictError, NotFoundError } from '../core/errors';
import type { AlertRecord, DigestRecord } from '../core/alert';
import type { Incident } from '../core/incident';
import type { StoredMention } from '../core/mention';
import {
  COUNTER_NAMES,
  type CounterDeltas,
  type HourlyCounter,
  type SourceCursor,
  type SourceHealth,
} from '../core/source-state';
import {
  FLAGGED_MIN_RETENTION_DAYS,
  GSI1,
  GSI2,
  INCIDENT_RETENTION_DAYS,
  ITEM_TYPES,
  PARTITION_KEY,
  SORT_KEY,
  TTL_ATTRIBUTE,
  type ItemType,
} from './table';

/** Severity rank used in the triage sort key: descending order puts critical first. */
/** Alerts of these severities wait in the escalation index until acknowledged. */
export const ESCALATION_SEVERITIES: readonly Severity[] = ['high', 'critical'];
/** Alert kinds that escalate when nobody acknowledges them (an escalation or a digest never escalates itself). */
/** Hourly counters feed SNR reports and spike baselines; a little over a year is plenty. */
export const COUNTER_RETENTION_DAYS = 400;
/** The per-brand total row of the hourly counters. */
export const ALL_SOURCES = '*';

const DAY_SECONDS = 86_400;
const HOUR_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}$/;
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
/** Triage actions that mean a person has looked at the mention: they acknowledge its alerts. */
const ACTIONS_THAT_ACKNOWLEDGE: readonly TriageAction[] = ['acknowledge', 'resolve', 'false_positive'];

type Item = Record<string, unknown>;

/** A document client that drops undefined fields (optional fields of the contract types). */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

// ---- keys -------------------------------------------------------------------------------------------------------

/** ISO time normalized to `YYYY-MM-DDTHH:mm:ss.sssZ` so string order is time order; left as is when unparseable. */
export function isoKey(time: string): string {
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? time : new Date(ms).toISOString();
}

function epochSeconds(time: string): number {
  const ms = Date.parse(time);
  return Math.floor((Number.isNaN(ms) ? Date.now() : ms) / 1000);
}

export const keys = {
  mention: (sourceId: string, id: string) => ({ pk: `MENTION#${sourceId}#${id}`, sk: 'MENTION' }),
  /** Sort key in the brand timeline; pass one as `before` to page past it exactly. */
  timeline: (m: Pick<StoredMention, 'createdAt' | 'sourceId' | 'id'>) => `${isoKey(m.createdAt)}#${m.sourceId}#${m.id}`,
  brand: (brandId: string) => `BRAND#${brandId}`,
  triageQueue: (brandId: string, status: TriageStatus) => `TRIAGE#${brandId}#${status}`,
  triageSort: (m: StoredMention) => `${severityRank(m.analysis.severity)}#${isoKey(m.createdAt)}#${m.sourceId}#${m.id}`,
  incident: (brandId: string, key: string) => ({ pk: `INCIDENT#${brandId}#${key}`, sk: 'INCIDENT' }),
  openIncidents: (brandId: string) => `OPEN_INCIDENTS#${brandId}`,
  cursor: (sourceId: string) => ({ pk: `SOURCE#${sourceId}`, sk: 'CURSOR' }),
  health: (sourceId: string) => ({ pk: `SOURCE#${sourceId}`, sk: 'HEALTH' }),
  counters: (brandId: string) => `COUNTERS#${brandId}`,
  alert: (alertId: string) => ({ pk: `ALERT#${alertId}`, sk: 'ALERT' }),
  alertLink: (alertId: string) => `ALERT#${alertId}`,
  escalationDay: (day: string) => `ESCALATE#${day}`,
  undeliveredDay: (day: string) => `UNDELIVERED#${day}`,
  digest: (brandId: string, hour: string) => ({ pk: `DIGEST#${brandId}#${hour}`, sk: 'DIGEST' }),
  dedup: (key: string) => ({ pk: `DEDUP#${key}`, sk: 'DEDUP' }),
};

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

function isConditionFailure(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

// ---- options and results ----------------------------------------------------------------------------------------

export interface TriageUpdateOptions {
  by?: string;
  note?: string;
  assignee?: string;
  /** ISO time; defaults to the current time. */
  now?: string;
}

export interface EscalationQuery {
  /** Only alerts created at least this long before `now` (default 0). */
  olderThanMinutes?: number;
  /** How far back to look (default 48 h): older unacknowledged alerts are not escalated again. */
  lookbackHours?: number;
  /** Default: high and critical. */
  severities?: readonly Severity[];
}

// ---- the repository ---------------------------------------------------------------------------------------------

/** All reads and writes of the single table, one method per access pattern in DESIGN.md. */
export class Repository {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  // (1) mentions, idempotent on source + id

  /**
   * Store a mention once. A retry or a re-fetch of the same (sourceId, id) never creates a second item and never
   * overwrites the first (so its triage state and the stream INSERT that alerted on it stay as they are).
   * Raw mentions expire after `ttlDays`; flagged ones after at least FLAGGED_MIN_RETENTION_DAYS (triage history).
   */
  async putMention(m: StoredMention, ttlDays: number): Promise<'created' | 'duplicate'> {
    const keepDays = m.flagged ? Math.max(ttlDays, FLAGGED_MIN_RETENTION_DAYS) : ttlDays;
    const triage = m.flagged ? (m.triage ?? newTriageState(m.storedAt)) : undefined;
    const stored: StoredMention = { ...m, triage };
    const item: Item = {
      ...stored,
      ...keys.mention(m.sourceId, m.id),
      type: ITEM_TYPES.MENTION,
      flagged: m.flagged,
      [GSI1.partitionKey]: keys.brand(m.brandId),
      [GSI1.sortKey]: keys.timeline(m),
      [TTL_ATTRIBUTE]: epochSeconds(m.storedAt) + Math.round(keepDays * DAY_SECONDS),
    };
    if (triage) {
      item[GSI2.partitionKey] = keys.triageQueue(m.brandId, triage.status);
      item[GSI2.sortKey] = keys.triageSort(stored);
    }
    try {
      await this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return 'created';
    } catch (err) {
      if (isConditionFailure(err)) return 'duplicate';
      throw err;
    }
  }

  async getMention(sourceId: string, id: string): Promise<StoredMention | undefined> {
    const item = await this.get(keys.mention(sourceId, id));
    return item && mentionFromItem(item);
  }

  /** Record which incident a stored mention joined (so acknowledging it acknowledges the incident's alerts). */
  async setMentionIncident(sourceId: string, id: string, incidentKey: string): Promise<void> {
    await this.doc
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.mention(sourceId, id),
          UpdateExpression: 'SET incidentKey = :key',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':key': incidentKey },
        }),
      )
      .catch((err: unknown) => {
        if (isConditionFailure(err)) throw new NotFoundError(`no mention ${sourceId}/${id}`);
        throw err;
      });
  }

  // (2) a brand's mentions, newest first

  /** `before` is exclusive: an ISO time, or `keys.timeline(lastMention)` to page exactly past ties. */
  async listMentionsByBrand(brandId: string, opts: { limit?: number; before?: string } = {}): Promise<StoredMention[]> {
    const limit = opts.limit ?? 50;
    // Without `before`, a range below every timeline key keeps one expression shape (all names used).
    const before = opts.before ? (opts.before.includes('#') ? opts.before : isoKey(opts.before)) : '\uffff';
    const items = await this.queryAll(
      {
        IndexName: GSI1.indexName,
        KeyConditionExpression: '#pk = :pk AND #sk < :before',
        ExpressionAttributeNames: { '#pk': GSI1.partitionKey, '#sk': GSI1.sortKey },
        ExpressionAttributeValues: { ':pk': keys.brand(brandId), ':before': before },
        ScanIndexForward: false,
      },
      limit,
    );
    return items.map(mentionFromItem);
  }

  // (3) the triage queue

  /** Flagged mentions of a brand: by status (new first when none is given), then severity, then newest first. */
  async listTriageQueue(query: { brandId: string; status?: TriageStatus; limit?: number }): Promise<StoredMention[]> {
    const limit = query.limit ?? 100;
    const statuses = query.status ? [query.status] : TRIAGE_STATUSES;
    const out: StoredMention[] = [];
    for (const status of statuses) {
      if (out.length >= limit) break;
      const items = await this.queryAll(
        {
          IndexName: GSI2.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': GSI2.partitionKey },
          ExpressionAttributeValues: { ':pk': keys.triageQueue(query.brandId, status) },
          ScanIndexForward: false,
        },
        limit - out.length,
      );
      out.push(...items.map(mentionFromItem));
    }
    return out;
  }

  /**
   * Apply a triage action (transition rules in core/triage.ts) with a conditional write, so a concurrent update
   * makes this one fail with ConflictError instead of being clobbered. Acknowledging, resolving or marking a
   * false positive also acknowledges the mention's alerts (and its incident's), which stops their escalation.
   */
  async updateTriage(
    sourceId: string,
    id: string,
    action: TriageAction,
    opts: TriageUpdateOptions = {},
  ): Promise<StoredMention> {
    const now = opts.now ?? new Date().toISOString();
    const current = await this.getMention(sourceId, id);
    if (!current) throw new NotFoundError(`no mention ${sourceId}/${id}`);
    if (!current.triage) throw new NotFoundError(`mention ${sourceId}/${id} is not flagged, so it is not in triage`);
    const next = applyTriageAction(current.triage, action, { ...opts, now });
    await this.writeTriage(current, next);
    if (ACTIONS_THAT_ACKNOWLEDGE.includes(action)) {
      await this.acknowledgeMentionAlerts(current, opts.by ?? 'triage', now);
    }
    return { ...current, triage: next };
  }

  /**
   * Replace `read.triage` (as read) with `next`, only if nobody changed it since: the condition checks the status,
   * the history length and the update time that were read. Moves the mention to its new triage queue.
   */
  async writeTriage(read: StoredMention, next: TriageState): Promise<void> {
    const current = read.triage;
    if (!current) throw new NotFoundError(`mention ${read.sourceId}/${read.id} is not flagged`);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.mention(read.sourceId, read.id),
          UpdateExpression: 'SET triage = :next, #qpk = :qpk, #qsk = :qsk',
          ConditionExpression:
            'triage.#status = :status AND triage.updatedAt = :updatedAt AND size(triage.history) = :length',
          ExpressionAttributeNames: { '#status': 'status', '#qpk': GSI2.partitionKey, '#qsk': GSI2.sortKey },
          ExpressionAttributeValues: {
            ':next': next,
            ':qpk': keys.triageQueue(read.brandId, next.status),
            ':qsk': keys.triageSort(read),
            ':status': current.status,
            ':updatedAt': current.updatedAt,
            ':length': current.history.length,
          },
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) {
        throw new ConflictError(`mention ${read.sourceId}/${read.id} was changed by someone else; reload and retry`);
      }
      throw err;
    }
  }

  /** Counts by status and false-positive precision by cue and source; all brands (a scan of the sparse index) when none given. */
  async triageStats(brandId?: string): Promise<TriageStats> {
    const projection = {
      ProjectionExpression: '#sourceId, #triage.#status, #analysis.#cues',
      ExpressionAttributeNames: {
        '#sourceId': 'sourceId',
        '#triage': 'triage',
        '#status': 'status',
        '#analysis': 'analysis',
        '#cues': 'cues',
      },
    };
    const rows: Item[] = [];
    if (brandId) {
      for (const status of TRIAGE_STATUSES) {
        rows.push(
          ...(await this.queryAll({
            IndexName: GSI2.indexName,
            KeyConditionExpression: '#pk = :pk',
            ...projection,
            ExpressionAttributeNames: { ...projection.ExpressionAttributeNames, '#pk': GSI2.partitionKey },
            ExpressionAttributeValues: { ':pk': keys.triageQueue(brandId, status) },
          })),
        );
      }
    } else {
      let startKey: Item | undefined;
      do {
        const page = await this.doc.send(
          new ScanCommand({
            TableName: this.tableName,
            IndexName: GSI2.indexName,
            ...projection,
            ExclusiveStartKey: startKey,
          }),
        );
        rows.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    // gsi2 also indexes undelivered alerts: only mentions carry a triage state.
    const inputs: TriageStatsInput[] = rows
      .filter((row) => row.triage !== undefined)
      .map((row) => {
        const m = row as unknown as Pick<StoredMention, 'sourceId' | 'triage' | 'analysis'>;
        return {
          sourceId: m.sourceId,
          status: m.triage?.status ?? 'new',
          cues: (m.analysis?.cues ?? []).filter((cue) => cue.strength > 0).map((cue) => cue.name),
        };
      });
    return { brandId, ...triageStatsOf(inputs) };
  }

  // (4) incidents, with optimistic locking

  async getIncident(brandId: string, key: string): Promise<Incident | undefined> {
    const item = await this.get(keys.incident(brandId, key));
    return item && incidentFromItem(item);
  }

  /** Open incidents of a brand whose last activity is at or after `since` (a sparse index: closed ones leave it). */
  async listOpenIncidents(brandId: string, since: string): Promise<Incident[]> {
    const items = await this.queryAll({
      IndexName: GSI1.indexName,
      KeyConditionExpression: '#pk = :pk AND #sk >= :since',
      ExpressionAttributeNames: { '#pk': GSI1.partitionKey, '#sk': GSI1.sortKey },
      ExpressionAttributeValues: { ':pk': keys.openIncidents(brandId), ':since': isoKey(since) },
    });
    return items.map(incidentFromItem);
  }

  /**
   * Save an incident read at `incident.version` (0 for a new one). Returns it at the new version; throws
   * ConflictError when someone saved it in between (or created the same new incident first).
   */
  async saveIncident(incident: Incident): Promise<Incident> {
    const saved: Incident = { ...incident, version: incident.version + 1 };
    const item: Item = {
      ...saved,
      ...keys.incident(incident.brandId, incident.key),
      type: ITEM_TYPES.INCIDENT,
      [TTL_ATTRIBUTE]: epochSeconds(incident.lastAt) + INCIDENT_RETENTION_DAYS * DAY_SECONDS,
    };
    if (saved.status === 'open') {
      item[GSI1.partitionKey] = keys.openIncidents(incident.brandId);
      item[GSI1.sortKey] = isoKey(incident.lastAt);
    }
    const isNew = incident.version === 0;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: isNew ? 'attribute_not_exists(pk)' : '#version = :version',
          ExpressionAttributeNames: isNew ? undefined : { '#version': 'version' },
          ExpressionAttributeValues: isNew ? undefined : { ':version': incident.version },
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) {
        throw new ConflictError(
          isNew
            ? `incident ${incident.brandId}/${incident.key} already exists`
            : `incident ${incident.brandId}/${incident.key} is no longer at version ${incident.version}`,
        );
      }
      throw err;
    }
    return saved;
  }

  // (5) cursors and source health

  async getCursor(sourceId: string): Promise<SourceCursor | undefined> {
    const item = await this.get(keys.cursor(sourceId));
    if (!item) return undefined;
    const cursor = stripKeys<SourceCursor & { watermarkKey?: string }>(item);
    delete cursor.watermarkKey;
    return cursor;
  }

  /** Store the cursor unless the stored one is newer; returns false (and changes nothing) if it would move back. */
  async advanceCursor(cursor: SourceCursor): Promise<boolean> {
    const watermarkKey = isoKey(cursor.watermark);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...cursor, ...keys.cursor(cursor.sourceId), type: ITEM_TYPES.CURSOR, watermarkKey },
          ConditionExpression: 'attribute_not_exists(pk) OR watermarkKey <= :watermark',
          ExpressionAttributeValues: { ':watermark': watermarkKey },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async putHealth(health: SourceHealth): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...health,
          ...keys.health(health.sourceId),
          type: ITEM_TYPES.HEALTH,
          [GSI1.partitionKey]: 'HEALTH',
          [GSI1.sortKey]: health.sourceId,
        },
      }),
    );
  }

  async getHealth(sourceId: string): Promise<SourceHealth | undefined> {
    const item = await this.get(keys.health(sourceId));
    return item && stripKeys<SourceHealth>(item);
  }

  /** Health of every source, by source id. */
  async listHealth(): Promise<SourceHealth[]> {
    const items = await this.queryAll({
      IndexName: GSI1.indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': GSI1.partitionKey },
      ExpressionAttributeValues: { ':pk': 'HEALTH' },
    });
    return items.map((item) => stripKeys<SourceHealth>(item));
  }

  // (6) hourly counters

  /** Add to the hour's counters of the source and of the brand total (atomic ADD; `hour` is `YYYY-MM-DDTHH` UTC). */
  async addCounters(brandId: string, sourceId: string, hour: string, deltas: CounterDeltas): Promise<void> {
    if (!HOUR_PATTERN.test(hour)) throw new Error(`hour must look like 2024-05-01T13, got "${hour}"`);
    const names = COUNTER_NAMES.filter((name) => (deltas[name] ?? 0) !== 0);
    if (names.length === 0) return;
    const expiresAt = epochSeconds(`${hour}:00:00Z`) + COUNTER_RETENTION_DAYS * DAY_SECONDS;
    const update = (sk: string, rowSourceId: string) =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
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
        }),
      );
    await Promise.all([update(`H#${hour}#${sourceId}`, sourceId), update(`T#${hour}`, ALL_SOURCES)]);
  }

  /** Per-source hourly counters of a brand, hours in [fromHour, toHour], oldest first. */
  async getCounters(brandId: string, fromHour: string, toHour: string): Promise<HourlyCounter[]> {
    return this.counterRange(brandId, `H#${fromHour}`, `H#${toHour}#\uffff`);
  }

  /** The brand's totals over all sources, one row per hour (sourceId `*`), hours in [fromHour, toHour]. */
  async getBrandCounters(brandId: string, fromHour: string, toHour: string): Promise<HourlyCounter[]> {
    return this.counterRange(brandId, `T#${fromHour}`, `T#${toHour}`);
  }

  private async counterRange(brandId: string, from: string, to: string): Promise<HourlyCounter[]> {
    const items = await this.queryAll({
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

  // (7) alerts, escalations and dedup claims

  /**
   * Create the alert record unless one with this (deterministic) id exists: true means "this caller sends it".
   * Links from its mention and incident are written first (idempotently) so acknowledging either finds it.
   */
  async putAlertOnce(record: AlertRecord): Promise<boolean> {
    const links: Item[] = [];
    if (record.mentionKey) links.push({ pk: `MENTION#${record.mentionKey}` });
    if (record.incidentKey) links.push({ pk: keys.incident(record.brandId, record.incidentKey).pk });
    for (const link of links) {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...link,
            sk: keys.alertLink(record.alertId),
            type: ITEM_TYPES.ALERT_LINK,
            alertId: record.alertId,
            [TTL_ATTRIBUTE]: record.expiresAt,
          },
        }),
      );
    }
    const item: Item = {
      ...record,
      escalatedLevels: record.escalatedLevels ?? [],
      deliveredTo: record.deliveredTo ?? [],
      ...keys.alert(record.alertId),
      type: ITEM_TYPES.ALERT,
    };
    if (
      ESCALATION_SEVERITIES.includes(record.severity) &&
      ESCALATABLE_KINDS.has(record.kind) &&
      !record.acknowledgedAt
    ) {
      const createdAt = isoKey(record.createdAt);
      item[GSI1.partitionKey] = keys.escalationDay(createdAt.slice(0, 10));
      item[GSI1.sortKey] = `${createdAt}#${record.alertId}`;
    }
    // Until every sink confirmed it, the alert sits in a small per-day partition of gsi2 the sweeper re-sends from.
    const createdAt = isoKey(record.createdAt);
    item[GSI2.partitionKey] = keys.undeliveredDay(createdAt.slice(0, 10));
    item[GSI2.sortKey] = `${createdAt}#${record.alertId}`;
    try {
      await this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async getAlert(alertId: string): Promise<AlertRecord | undefined> {
    const item = await this.get(keys.alert(alertId));
    return item && stripKeys<AlertRecord>(item);
  }

  /** Note that `sink` confirmed delivery; false if it already had (or the alert does not exist). */
  async markDelivered(alertId: string, sink: string): Promise<boolean> {
    return this.conditionalUpdate({
      Key: keys.alert(alertId),
      UpdateExpression: 'SET deliveredTo = list_append(deliveredTo, :sinks)',
      ConditionExpression: 'attribute_exists(pk) AND NOT contains(deliveredTo, :sink)',
      ExpressionAttributeValues: { ':sinks': [sink], ':sink': sink },
    });
  }

  /**
   * Take the right to deliver an alert for `leaseSeconds`: two deliverers of one alert (a stream retry and the
   * sweep) must not both send it. False when someone else holds an unexpired lease.
   */
  async claimDelivery(alertId: string, now: Date, leaseSeconds = 60): Promise<boolean> {
    return this.conditionalUpdate({
      Key: keys.alert(alertId),
      UpdateExpression: 'SET leaseUntil = :until',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
      ExpressionAttributeValues: { ':until': now.getTime() + leaseSeconds * 1000, ':now': now.getTime() },
    });
  }

  async releaseDelivery(alertId: string): Promise<void> {
    await this.conditionalUpdate({
      Key: keys.alert(alertId),
      UpdateExpression: 'REMOVE leaseUntil',
      ConditionExpression: 'attribute_exists(pk)',
    });
  }

  /**
   * Withdraw an alert record nobody has received yet (its decision lost a race and was re-made): it leaves the
   * undelivered and escalation indexes and keeps no message, so it is never sent or escalated.
   */
  async withdrawAlert(alertId: string, now: string): Promise<boolean> {
    return this.conditionalUpdate({
      Key: keys.alert(alertId),
      UpdateExpression: 'SET withdrawnAt = :now REMOVE message, #g1pk, #g1sk, #g2pk, #g2sk',
      ConditionExpression: 'attribute_exists(pk) AND size(deliveredTo) = :zero',
      ExpressionAttributeNames: {
        '#g1pk': GSI1.partitionKey,
        '#g1sk': GSI1.sortKey,
        '#g2pk': GSI2.partitionKey,
        '#g2sk': GSI2.sortKey,
      },
      ExpressionAttributeValues: { ':now': now, ':zero': 0 },
    });
  }

  /** A delivery attempt failed for some sink: the sweeper may retry it at once (no grace period). */
  async markDeliveryFailed(alertId: string, at: string): Promise<void> {
    await this.conditionalUpdate({
      Key: keys.alert(alertId),
      UpdateExpression: 'SET lastFailureAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': at },
    });
  }

  /** Every sink has the alert: it leaves the undelivered index and the stored message is no longer needed. */
  async markFullyDelivered(alertId: string): Promise<void> {
    await this.conditionalUpdate({
      Key: keys.alert(alertId),
      UpdateExpression: 'REMOVE #gpk, #gsk, message',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#gpk': GSI2.partitionKey, '#gsk': GSI2.sortKey },
    });
  }

  /**
   * Alerts created in the lookback window (and at least `olderThanMinutes` ago, so an in-flight delivery is left
   * alone) that some sink has not confirmed yet, oldest first. One small index partition per day: no scan.
   */
  async listUndeliveredAlerts(
    now: string,
    query: { olderThanMinutes?: number; lookbackHours?: number } = {},
  ): Promise<AlertRecord[]> {
    const nowMs = Date.parse(now);
    const cutoff = new Date(nowMs - (query.olderThanMinutes ?? 0) * 60_000).toISOString();
    const start = new Date(nowMs - (query.lookbackHours ?? 48) * 3_600_000).toISOString();
    const out: AlertRecord[] = [];
    for (let day = start.slice(0, 10); day <= cutoff.slice(0, 10); day = nextDay(day)) {
      const items = await this.queryAll({
        IndexName: GSI2.indexName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': GSI2.partitionKey, '#sk': GSI2.sortKey },
        ExpressionAttributeValues: { ':pk': keys.undeliveredDay(day), ':from': start, ':to': `${cutoff}#\uffff` },
      });
      for (const item of items) out.push(stripKeys<AlertRecord>(item));
    }
    return out;
  }

  /** Add an alert held back by the hourly cap to the brand's digest for that hour (once per alert id). */
  async addDigestItem(brandId: string, hour: string, item: DigestRecord['items'][number]): Promise<void> {
    await this.conditionalUpdate({
      Key: keys.digest(brandId, hour),
      UpdateExpression:
        'SET #type = :type, brandId = :brand, #hour = :hour, #ttl = :ttl, ' +
        '#items = list_append(if_not_exists(#items, :empty), :items), itemIds = list_append(if_not_exists(itemIds, :empty), :ids)',
      ConditionExpression: 'attribute_not_exists(itemIds) OR NOT contains(itemIds, :id)',
      ExpressionAttributeNames: { '#type': 'type', '#hour': 'hour', '#ttl': TTL_ATTRIBUTE, '#items': 'items' },
      ExpressionAttributeValues: {
        ':type': ITEM_TYPES.DIGEST satisfies ItemType,
        ':brand': brandId,
        ':hour': hour,
        ':ttl': epochSeconds(`${hour}:00:00Z`) + 7 * DAY_SECONDS,
        ':empty': [],
        ':items': [item],
        ':ids': [item.alertId],
        ':id': item.alertId,
      },
    });
  }

  async getDigest(brandId: string, hour: string): Promise<DigestRecord | undefined> {
    const item = await this.get(keys.digest(brandId, hour));
    return item && { brandId, hour, items: (item.items as DigestRecord['items']) ?? [] };
  }

  /** Acknowledge an alert (it leaves the escalation index); false if missing or already acknowledged. */
  async acknowledgeAlert(alertId: string, by: string, now: string): Promise<boolean> {
    return this.conditionalUpdate({
      Key: keys.alert(alertId),
      UpdateExpression: 'SET acknowledgedAt = :now, acknowledgedBy = :by REMOVE #gpk, #gsk',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(acknowledgedAt)',
      ExpressionAttributeNames: { '#gpk': GSI1.partitionKey, '#gsk': GSI1.sortKey },
      ExpressionAttributeValues: { ':now': now, ':by': by },
    });
  }

  /** Acknowledge every alert about this mention and about its incident; returns how many were acknowledged now. */
  async acknowledgeMentionAlerts(
    mention: Pick<StoredMention, 'sourceId' | 'id' | 'brandId' | 'incidentKey'>,
    by: string,
    now: string,
  ): Promise<number> {
    const partitions = [keys.mention(mention.sourceId, mention.id).pk];
    if (mention.incidentKey) partitions.push(keys.incident(mention.brandId, mention.incidentKey).pk);
    let acknowledged = 0;
    for (const pk of partitions) {
      const links = await this.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': 'ALERT#' },
      });
      for (const link of links) {
        if (await this.acknowledgeAlert(String(link.alertId), by, now)) acknowledged++;
      }
    }
    return acknowledged;
  }

  /**
   * Unacknowledged high/critical alerts created in the lookback window and at least `olderThanMinutes` before
   * `now`, oldest first. Reads one small index partition per day: no scan.
   */
  async listAlertsForEscalation(now: string, query: EscalationQuery = {}): Promise<AlertRecord[]> {
    const nowMs = Date.parse(now);
    const cutoff = new Date(nowMs - (query.olderThanMinutes ?? 0) * 60_000).toISOString();
    const start = new Date(nowMs - (query.lookbackHours ?? 48) * 3_600_000).toISOString();
    const severities = query.severities ?? ESCALATION_SEVERITIES;
    const out: AlertRecord[] = [];
    for (let day = start.slice(0, 10); day <= cutoff.slice(0, 10); day = nextDay(day)) {
      const items = await this.queryAll({
        IndexName: GSI1.indexName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': GSI1.partitionKey, '#sk': GSI1.sortKey },
        ExpressionAttributeValues: { ':pk': keys.escalationDay(day), ':from': start, ':to': `${cutoff}#\uffff` },
      });
      for (const item of items) {
        const alert = stripKeys<AlertRecord>(item);
        if (!alert.acknowledgedAt && severities.includes(alert.severity)) out.push(alert);
      }
    }
    return out;
  }

  /** Record that escalation `level` went out; false if it already had, or the alert was acknowledged meanwhile. */
  async recordEscalation(alertId: string, level: number): Promise<boolean> {
    return this.conditionalUpdate({
      Key: keys.alert(alertId),
      UpdateExpression: 'SET escalatedLevels = list_append(escalatedLevels, :levels)',
      ConditionExpression:
        'attribute_exists(pk) AND attribute_not_exists(acknowledgedAt) AND NOT contains(escalatedLevels, :level)',
      ExpressionAttributeValues: { ':levels': [level], ':level': level },
    });
  }

  /**
   * Claim `key` once for `ttlSeconds` (digests, rate-limit windows, webhook deliveries...): true for the first
   * caller. An expired claim that TTL has not deleted yet (it can lag by hours) can be claimed again.
   */
  async claimDedup(key: string, ttlSeconds: number, now: Date = new Date()): Promise<boolean> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.dedup(key),
            type: ITEM_TYPES.DEDUP,
            claimedAt: now.toISOString(),
            [TTL_ATTRIBUTE]: nowSeconds + ttlSeconds,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':now': nowSeconds },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------------------------

  private async get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return out.Item;
  }

  /** Query, following pages until `limit` items (or the end). */
  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>, limit = Infinity): Promise<Item[]> {
    const out: Item[] = [];
    let startKey: Item | undefined;
    do {
      const remaining = limit - out.length;
      const page = await this.doc.send(
        new QueryCommand({
          ...input,
          TableName: this.tableName,
          Limit: Number.isFinite(remaining) ? remaining : undefined,
          ExclusiveStartKey: startKey,
        }),
      );
      out.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey && out.length < limit);
    return out;
  }

  private async conditionalUpdate(
    input: Pick<
      ConstructorParameters<typeof UpdateCommand>[0],
      'Key' | 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<boolean> {
    try {
      await this.doc.send(new UpdateCommand({ ...input, TableName: this.tableName }));
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}

function incidentFromItem(item: Item): Incident {
  const incident = stripKeys<Incident & { expiresAt?: number }>(item);
  delete incident.expiresAt;
  return incident;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_SECONDS * 1000).toISOString().slice(0, 10);
}

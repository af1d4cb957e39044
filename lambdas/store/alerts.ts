import type { Severity } from '../core/analysis/types';
import { ESCALATABLE_KINDS } from '../core/alerting/escalation';
import type { AlertRecord, DigestRecord } from '../core/alert';
import type { StoredMention } from '../core/mention';
import { DAY_SECONDS, epochSeconds, isoKey, keys, stripKeys, type Item } from './keys';
import { GSI1, GSI2, ITEM_TYPES, TTL_ATTRIBUTE, type ItemType } from './table';
import type { TableClient } from './table-client';

/** Alerts of these severities wait in the escalation index until acknowledged. */
export const ESCALATION_SEVERITIES: readonly Severity[] = ['high', 'critical'];

export interface EscalationQuery {
  /** Only alerts created at least this long before `now` (default 0). */
  olderThanMinutes?: number;
  /** How far back to look (default 48 h): older unacknowledged alerts are not escalated again. */
  lookbackHours?: number;
  /** Default: high and critical. */
  severities?: readonly Severity[];
}

/** [start, cutoff] of a "created in the lookback window, at least `olderThanMinutes` ago" query. */
function window(now: string, query: { olderThanMinutes?: number; lookbackHours?: number }): [string, string] {
  const nowMs = Date.parse(now);
  const cutoff = new Date(nowMs - (query.olderThanMinutes ?? 0) * 60_000).toISOString();
  const start = new Date(nowMs - (query.lookbackHours ?? 48) * 3_600_000).toISOString();
  return [start, cutoff];
}

/** Alert records (with their delivery state), their links from mentions and incidents, and hourly digests. */
export class AlertStore {
  constructor(private readonly table: TableClient) {}

  /**
   * Create the alert record unless one with this (deterministic) id exists: true means "this caller sends it".
   * Links from its mention and incident are written first (idempotently) so acknowledging either finds it.
   */
  async putOnce(record: AlertRecord): Promise<boolean> {
    const links: string[] = [];
    if (record.mentionKey) links.push(`MENTION#${record.mentionKey}`);
    if (record.incidentKey) links.push(keys.incident(record.brandId, record.incidentKey).pk);
    await Promise.all(
      links.map((pk) =>
        this.table.put({
          pk,
          sk: keys.alertLink(record.alertId),
          type: ITEM_TYPES.ALERT_LINK,
          alertId: record.alertId,
          [TTL_ATTRIBUTE]: record.expiresAt,
        }),
      ),
    );
    const item: Item = {
      ...record,
      escalatedLevels: record.escalatedLevels ?? [],
      deliveredTo: record.deliveredTo ?? [],
      ...keys.alert(record.alertId),
      type: ITEM_TYPES.ALERT,
    };
    const createdAt = isoKey(record.createdAt);
    if (
      ESCALATION_SEVERITIES.includes(record.severity) &&
      ESCALATABLE_KINDS.has(record.kind) &&
      !record.acknowledgedAt
    ) {
      item[GSI1.partitionKey] = keys.escalationDay(createdAt.slice(0, 10));
      item[GSI1.sortKey] = `${createdAt}#${record.alertId}`;
    }
    // Until every sink confirmed it, the alert sits in a small per-day partition of gsi2 the sweeper re-sends from.
    item[GSI2.partitionKey] = keys.undeliveredDay(createdAt.slice(0, 10));
    item[GSI2.sortKey] = `${createdAt}#${record.alertId}`;
    return this.table.putIf({ Item: item, ConditionExpression: 'attribute_not_exists(pk)' });
  }

  async get(alertId: string): Promise<AlertRecord | undefined> {
    const item = await this.table.get(keys.alert(alertId));
    return item && stripKeys<AlertRecord>(item);
  }

  /** Ids of the alerts about this mention and about its incident (the links `putOnce` wrote). */
  async linkedTo(mention: Pick<StoredMention, 'sourceId' | 'id' | 'brandId' | 'incidentKey'>): Promise<string[]> {
    const partitions = [keys.mention(mention.sourceId, mention.id).pk];
    if (mention.incidentKey) partitions.push(keys.incident(mention.brandId, mention.incidentKey).pk);
    const ids: string[] = [];
    for (const pk of partitions) {
      const links = await this.table.query({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': 'ALERT#' },
      });
      ids.push(...links.map((link) => String(link.alertId)));
    }
    return ids;
  }

  /** Note that `sink` confirmed delivery; false if it already had (or the alert does not exist). */
  markDelivered(alertId: string, sink: string): Promise<boolean> {
    return this.table.updateIf({
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
  lease(alertId: string, now: Date, opts: { leaseSeconds?: number; voidBefore?: Date } = {}): Promise<boolean> {
    const { leaseSeconds = 60, voidBefore } = opts;
    // leasedAt says when the lease was taken: one taken before `voidBefore` (a process that is gone) is void.
    const void_ = voidBefore ? ' OR attribute_not_exists(leasedAt) OR leasedAt < :voidBefore' : '';
    return this.table.updateIf({
      Key: keys.alert(alertId),
      UpdateExpression: 'SET leaseUntil = :until, leasedAt = :now',
      ConditionExpression: `attribute_exists(pk) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now${void_})`,
      ExpressionAttributeValues: {
        ':until': now.getTime() + leaseSeconds * 1000,
        ':now': now.getTime(),
        ...(voidBefore ? { ':voidBefore': voidBefore.getTime() } : {}),
      },
    });
  }

  async releaseLease(alertId: string): Promise<void> {
    await this.table.updateIf({
      Key: keys.alert(alertId),
      UpdateExpression: 'REMOVE leaseUntil, leasedAt',
      ConditionExpression: 'attribute_exists(pk)',
    });
  }

  /**
   * Withdraw an alert record nobody has received yet (its decision lost a race and was re-made): it leaves the
   * undelivered and escalation indexes and keeps no message, so it is never sent or escalated.
   */
  withdraw(alertId: string, now: string): Promise<boolean> {
    return this.table.updateIf({
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
    await this.table.updateIf({
      Key: keys.alert(alertId),
      UpdateExpression: 'SET lastFailureAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': at },
    });
  }

  /** Every sink has the alert: it leaves the undelivered index and the stored message is no longer needed. */
  async markFullyDelivered(alertId: string): Promise<void> {
    await this.table.updateIf({
      Key: keys.alert(alertId),
      UpdateExpression: 'REMOVE #gpk, #gsk, message',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#gpk': GSI2.partitionKey, '#gsk': GSI2.sortKey },
    });
  }

  /**
   * Alerts created in the lookback window (and at least `olderThanMinutes` ago, so an in-flight delivery is left
   * alone) that some sink has not confirmed yet, oldest first.
   */
  async listUndelivered(
    now: string,
    query: { olderThanMinutes?: number; lookbackHours?: number } = {},
  ): Promise<AlertRecord[]> {
    const [start, cutoff] = window(now, query);
    const items = await this.table.queryDays(GSI2, keys.undeliveredDay, start, cutoff);
    return items.map((item) => stripKeys<AlertRecord>(item));
  }

  /**
   * Unacknowledged high/critical alerts created in the lookback window and at least `olderThanMinutes` before
   * `now`, oldest first.
   */
  async listForEscalation(now: string, query: EscalationQuery = {}): Promise<AlertRecord[]> {
    const [start, cutoff] = window(now, query);
    const severities = query.severities ?? ESCALATION_SEVERITIES;
    const items = await this.table.queryDays(GSI1, keys.escalationDay, start, cutoff);
    return items
      .map((item) => stripKeys<AlertRecord>(item))
      .filter((alert) => !alert.acknowledgedAt && severities.includes(alert.severity));
  }

  /** Acknowledge an alert (it leaves the escalation index); false if missing or already acknowledged. */
  acknowledge(alertId: string, by: string, now: string): Promise<boolean> {
    return this.table.updateIf({
      Key: keys.alert(alertId),
      UpdateExpression: 'SET acknowledgedAt = :now, acknowledgedBy = :by REMOVE #gpk, #gsk',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(acknowledgedAt)',
      ExpressionAttributeNames: { '#gpk': GSI1.partitionKey, '#gsk': GSI1.sortKey },
      ExpressionAttributeValues: { ':now': now, ':by': by },
    });
  }

  /** Record that escalation `level` went out; false if it already had, or the alert was acknowledged meanwhile. */
  recordEscalation(alertId: string, level: number): Promise<boolean> {
    return this.table.updateIf({
      Key: keys.alert(alertId),
      UpdateExpression: 'SET escalatedLevels = list_append(escalatedLevels, :levels)',
      ConditionExpression:
        'attribute_exists(pk) AND attribute_not_exists(acknowledgedAt) AND NOT contains(escalatedLevels, :level)',
      ExpressionAttributeValues: { ':levels': [level], ':level': level },
    });
  }

  /** Add an alert held back by the hourly cap to the brand's digest for that hour (once per alert id). */
  async addDigestItem(brandId: string, hour: string, item: DigestRecord['items'][number]): Promise<void> {
    await this.table.updateIf({
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
    const item = await this.table.get(keys.digest(brandId, hour));
    return item && { brandId, hour, items: (item.items as DigestRecord['items']) ?? [] };
  }
}

import type { Incident } from '../core/incident';
import { ConflictError } from '../core/errors';
import { DAY_SECONDS, epochSeconds, incidentFromItem, isoKey, keys, type Item } from './keys';
import { GSI1, INCIDENT_RETENTION_DAYS, ITEM_TYPES, TTL_ATTRIBUTE } from './table';
import type { TableClient } from './table-client';

/** Incidents, saved with optimistic locking on `version`. */
export class IncidentStore {
  constructor(private readonly table: TableClient) {}

  async get(brandId: string, key: string): Promise<Incident | undefined> {
    const item = await this.table.get(keys.incident(brandId, key));
    return item && incidentFromItem(item);
  }

  /** Open incidents of a brand whose last activity is at or after `since` (a sparse index of open incidents). */
  async listOpen(brandId: string, since: string): Promise<Incident[]> {
    const items = await this.table.query({
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
  async save(incident: Incident): Promise<Incident> {
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
    const written = await this.table.putIf(
      isNew
        ? { Item: item, ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            Item: item,
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': incident.version },
          },
    );
    if (!written) {
      throw new ConflictError(
        isNew
          ? `incident ${incident.brandId}/${incident.key} already exists`
          : `incident ${incident.brandId}/${incident.key} is no longer at version ${incident.version}`,
      );
    }
    return saved;
  }
}

import type { SourceCursor, SourceHealth } from '../core/source-state';
import { isoKey, keys, stripKeys } from './keys';
import { ITEM_TYPES } from './table';
import type { TableClient } from './table-client';

/** Per source instance: where it has read up to (never backwards) and how its last polls went. */
export class SourceStateStore {
  constructor(private readonly table: TableClient) {}

  async getCursor(sourceId: string): Promise<SourceCursor | undefined> {
    const item = await this.table.get(keys.cursor(sourceId));
    if (!item) return undefined;
    const cursor = stripKeys<SourceCursor & { watermarkKey?: string }>(item);
    delete cursor.watermarkKey;
    return cursor;
  }

  /** Store the cursor unless the stored one is newer; returns false (and changes nothing) if it would move back. */
  async advanceCursor(cursor: SourceCursor): Promise<boolean> {
    const watermarkKey = isoKey(cursor.watermark);
    return this.table.putIf({
      Item: { ...cursor, ...keys.cursor(cursor.sourceId), type: ITEM_TYPES.CURSOR, watermarkKey },
      ConditionExpression: 'attribute_not_exists(pk) OR watermarkKey <= :watermark',
      ExpressionAttributeValues: { ':watermark': watermarkKey },
    });
  }

  async putHealth(health: SourceHealth): Promise<void> {
    await this.table.put({ ...health, ...keys.health(health.sourceId), type: ITEM_TYPES.HEALTH });
  }

  async getHealth(sourceId: string): Promise<SourceHealth | undefined> {
    const item = await this.table.get(keys.health(sourceId));
    return item && stripKeys<SourceHealth>(item);
  }

  /** Health of these sources (the configured ones), by source id; sources never polled are left out. */
  async listHealth(sourceIds: readonly string[]): Promise<SourceHealth[]> {
    const found = await Promise.all(sourceIds.map((sourceId) => this.getHealth(sourceId)));
    return found
      .filter((health): health is SourceHealth => health !== undefined)
      .sort((a, b) => a.sourceId.localeCompare(b.sourceId));
  }
}

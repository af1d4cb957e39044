import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The single DynamoDB table, as plain constants shared by the CDK stack (lib/storage.ts), the stores,
 * the local store and the tests. Nothing here talks to AWS.
 *
 * Item layout (pk / sk, and the index keys each item type fills in):
 *
 * | type     | pk                                | sk                 | gsi1pk / gsi1sk                                    | gsi2pk / gsi2sk                                  |
 * |----------|-----------------------------------|--------------------|----------------------------------------------------|--------------------------------------------------|
 * | MENTION  | MENTION#<sourceId>#<id>           | MENTION            | UNGROUPED#<brand> / <createdAt>#<sourceId>#<id> (flagged, until grouped) | TRIAGE#<brand>#<status> / <sevRank>#<createdAt>#<sourceId>#<id> (flagged only) |
 * | ALERT    | ALERT#<alertId>                   | ALERT              | ESCALATE#<createdAt day> / <createdAt>#<alertId> (high/critical mention, incident, spike alerts, until acknowledged) | UNDELIVERED#<createdAt day> / <createdAt>#<alertId> (until every sink confirmed) |
 * | DIGEST   | DIGEST#<brand>#<hour>             | DIGEST             |                                                    |                                                  |
 * | ALERT link | MENTION#… or INCIDENT#…         | ALERT#<alertId>    |                                                    |                                                  |
 * | INCIDENT | INCIDENT#<brand>#<key>            | INCIDENT           | OPEN_INCIDENTS#<brand> / <lastAt> (open only)      |                                                  |
 * | LOCK     | LOCK#<name> (e.g. grouping#<brand>) | LOCK             |                                                    |                                                  |
 * | CURSOR   | SOURCE#<sourceId>                 | CURSOR             |                                                    |                                                  |
 * | HEALTH   | SOURCE#<sourceId>                 | HEALTH             |                                                    |                                                  |
 * | COUNTER  | COUNTERS#<brand>                  | H#<hour>#<sourceId> (per source), T#<hour> (brand total) |              |                                                  |
 *
 * Source ids and brand ids are slugs (no `#`), so `<sourceId>#<id>` splits unambiguously at the first `#`.
 * Every time inside a sort key is a normalized ISO-8601 UTC string, so string order is time order.
 * Alert links live in the partition of the mention / incident an alert is about, so acknowledging a mention in
 * triage finds (and acknowledges) its alerts with one query; DynamoDB (and dynalite) have no cross-item joins.
 */

export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';
/** Epoch seconds; DynamoDB TTL deletes the item some time after it passes. */
export const TTL_ATTRIBUTE = 'expiresAt';
/** The alert Lambda reads the new item from the stream; it never needs the old one. */
export const STREAM_VIEW_TYPE = 'NEW_IMAGE' as const;

/** Overloaded index: ungrouped flagged mentions (oldest first), open incidents, pending escalations. */
export const GSI1 = { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' } as const;
/**
 * Sparse index: the triage queue (flagged mentions by brand + status, then severity rank, then time), and alerts
 * some sink has not confirmed yet, by day (the sweep re-sends those).
 */
export const GSI2 = { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' } as const;
export const GLOBAL_INDEXES = [GSI1, GSI2] as const;

/** Values of the `type` attribute every item carries. */
export const ITEM_TYPES = {
  MENTION: 'MENTION',
  CURSOR: 'CURSOR',
  HEALTH: 'HEALTH',
  COUNTER: 'COUNTER',
  INCIDENT: 'INCIDENT',
  ALERT: 'ALERT',
  ALERT_LINK: 'ALERT_LINK',
  DIGEST: 'DIGEST',
  LOCK: 'LOCK',
} as const;
export type ItemType = (typeof ITEM_TYPES)[keyof typeof ITEM_TYPES];

export const TYPE_ATTRIBUTE = 'type';
/** Boolean attribute on MENTION items; true for complaints that reached the alert threshold. */
export const FLAGGED_ATTRIBUTE = 'flagged';

/**
 * Event-source filter for the alert Lambda: only INSERT events whose NewImage is a MENTION with flagged = true.
 * Use as `FilterCriteria.filter(FLAGGED_INSERT_FILTER)` on the DynamoDB stream event source.
 * Updates (triage actions) and other item types never invoke the alert Lambda.
 */
export const FLAGGED_INSERT_FILTER = {
  eventName: ['INSERT'],
  dynamodb: {
    NewImage: {
      [TYPE_ATTRIBUTE]: { S: [ITEM_TYPES.MENTION] },
      [FLAGGED_ATTRIBUTE]: { BOOL: [true] },
    },
  },
};

/** Raw mentions expire after `retentionDays` (config); flagged ones are kept at least this long as triage history. */
export const FLAGGED_MIN_RETENTION_DAYS = 365;
/** Incidents and their alert links are kept this long after their last activity. */
export const INCIDENT_RETENTION_DAYS = 90;

/** The table as a CreateTable request (on-demand), for the local store and tests. The CDK stack mirrors it. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      PARTITION_KEY,
      SORT_KEY,
      GSI1.partitionKey,
      GSI1.sortKey,
      GSI2.partitionKey,
      GSI2.sortKey,
    ].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: GLOBAL_INDEXES.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW_TYPE },
  };
}

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlertStore } from './alerts';
import { CounterStore } from './counters';
import { IncidentStore } from './incidents';
import { LockStore } from './locks';
import { MentionStore } from './mentions';
import { SourceStateStore } from './source-state';
import { TableClient } from './table-client';

/**
 * The single table, one store per aggregate. Each store only persists: business rules (triage transitions, the
 * acknowledgement cascade, grouping, delivery) live in core/ and pipeline/.
 */
export class Repository {
  readonly table: TableClient;
  readonly mentions: MentionStore;
  readonly incidents: IncidentStore;
  readonly alerts: AlertStore;
  readonly sources: SourceStateStore;
  readonly counters: CounterStore;
  readonly locks: LockStore;

  /**
   * `soleWriterSince` (wall time, ms): this process is the store's only writer since then (a local store's lock), so
   * a lock lease taken earlier was a gone process's and is void, and mention writes are batched without conditions.
   */
  constructor(doc: DynamoDBDocumentClient, tableName: string, opts: { soleWriterSince?: number } = {}) {
    this.table = new TableClient(doc, tableName);
    this.mentions = new MentionStore(this.table, { soleWriter: opts.soleWriterSince !== undefined });
    this.incidents = new IncidentStore(this.table);
    this.alerts = new AlertStore(this.table);
    this.sources = new SourceStateStore(this.table);
    this.counters = new CounterStore(this.table);
    this.locks = new LockStore(this.table, opts.soleWriterSince);
  }
}

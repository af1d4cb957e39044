import { keys } from './keys';
import { ITEM_TYPES } from './table';
import type { TableClient } from './table-client';

/** A lease on a named lock, with what the last holders left for the next one. */
export interface LockState {
  /** Bumped by every holder that changed what the lock guards: equal to the one you last saw = nothing changed. */
  generation: number;
  /** What recent holders touched (e.g. incident keys and when), so the next holder reads them consistently. */
  recent: { key: string; at: number }[];
}

/** Named leases in the table: one holder at a time across processes and Lambdas; an expired lease can be taken. */
export class LockStore {
  constructor(
    private readonly table: TableClient,
    /** Leases taken before this wall time (ms) belong to a process that is gone (see Repository): void. */
    private readonly voidBefore?: number,
  ) {}

  /** Take `name` for `leaseMs` (wall time), or undefined when someone else holds an unexpired lease. */
  async acquire(name: string, holder: string, leaseMs: number): Promise<LockState | undefined> {
    const now = Date.now();
    const item = await this.table.updateIfReturning({
      Key: keys.lock(name),
      UpdateExpression: 'SET #type = :type, holder = :holder, leaseUntil = :until, leasedAt = :now',
      ConditionExpression:
        'attribute_not_exists(leaseUntil) OR leaseUntil < :now OR holder = :holder' +
        (this.voidBefore === undefined ? '' : ' OR attribute_not_exists(leasedAt) OR leasedAt < :voidBefore'),
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: {
        ':type': ITEM_TYPES.LOCK,
        ':holder': holder,
        ':until': now + leaseMs,
        ':now': now,
        ...(this.voidBefore === undefined ? {} : { ':voidBefore': this.voidBefore }),
      },
    });
    if (!item) return undefined;
    return {
      generation: Number(item.generation ?? 0),
      recent: (item.recent as LockState['recent'] | undefined) ?? [],
    };
  }

  /** Give the lease back, leaving `state` for the next holder; false when the lease had expired and was taken. */
  release(name: string, holder: string, state: LockState): Promise<boolean> {
    return this.table.updateIf({
      Key: keys.lock(name),
      UpdateExpression: 'SET generation = :generation, recent = :recent REMOVE leaseUntil, holder, leasedAt',
      ConditionExpression: 'holder = :holder',
      ExpressionAttributeValues: { ':generation': state.generation, ':recent': state.recent, ':holder': holder },
    });
  }
}

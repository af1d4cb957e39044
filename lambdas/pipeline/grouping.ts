import { randomUUID } from 'node:crypto';
import { hourOf } from '../core/alerting/common';
import { IncidentIndex } from '../core/alerting/incidents';
import { ConflictError } from '../core/errors';
import type { Incident } from '../core/incident';
import type { Repository } from '../store/repository';
import type { LockState } from '../store/locks';

/**
 * Grouping runs one brand at a time, so one problem opens one incident at any concurrency:
 * - in a process, the work of a brand is queued and done in order, in batches;
 * - across processes (Lambdas on AWS), each batch holds the brand's grouping lease in the table.
 * The brand's open incidents are read once and kept current in an index (core's IncidentIndex); the lease's
 * generation says whether anyone else changed them since, and the incidents they touched are re-read consistently
 * (an index query may lag a write).
 */

/** The brand's grouping lease could not be had in time: the work is left to the sweep. */
export class GroupingBusyError extends Error {
  constructor(brandId: string) {
    super(`grouping of brand "${brandId}" is busy elsewhere; the sweep groups it`);
    this.name = 'GroupingBusyError';
  }
}

/** What a batch of one brand's grouping works with. */
export interface GroupingBatch {
  brandId: string;
  /** The brand's open incidents, current: `saved` after every save. */
  index: IncidentIndex;
  /** An incident was saved (created or grown): keeps the index and the lease's notes current. */
  saved(incident: Incident): void;
  /**
   * An incident grew with nothing riding on the save (no alert recorded, no digest): kept in the index and saved
   * once at the end of the batch. The jobs that grew it are answered only after that save; if it fails, they fail
   * (their mentions stay ungrouped for the sweep).
   */
  saveLater(incident: Incident): void;
  /** Alerts (not digests) recorded for the brand in `now`'s hour, read once per batch and counted on. */
  alertsThisHour(now: Date): Promise<number>;
  /** This batch recorded an alert for the hour. */
  countAlert(now: Date): void;
  /** Re-read one incident consistently (after a conflict) into the index. */
  reload(key: string): Promise<Incident | undefined>;
}

interface Job {
  now: Date;
  run: (batch: GroupingBatch) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface BrandState {
  jobs: Job[];
  running: boolean;
  index?: IncidentIndex;
  /** The lease generation the index is current for. */
  generation?: number;
  /** Past this size the index drops incidents older than the window. */
  pruneAt: number;
}

/** A lease outlives any batch (batches are capped); an expired one is taken over. */
const LEASE_MS = 30_000;
/** How long to wait for another holder before leaving the work to the sweep. */
const LEASE_WAIT_MS = 10_000;
const BATCH_MAX = 100;
/** Incidents the lease remembers as touched, so the next holder re-reads them consistently. */
const RECENT_MAX = 100;
const RECENT_MS = 10 * 60_000;

const lockName = (brandId: string) => `grouping#${brandId}`;

export class BrandGrouping {
  private readonly brands = new Map<string, BrandState>();
  private readonly holder = `${process.pid}-${randomUUID()}`;

  constructor(
    private readonly repo: Repository,
    /** How far back open incidents are read (the grouping window). */
    private readonly windowMinutes: () => number,
  ) {}

  /**
   * Run `work` in the brand's turn, with its open incidents as of `now` (the pipeline's clock); batched with the
   * brand's other queued work.
   */
  withBrand<T>(brandId: string, now: Date, work: (batch: GroupingBatch) => Promise<T>): Promise<T> {
    let state = this.brands.get(brandId);
    if (!state) this.brands.set(brandId, (state = { jobs: [], running: false, pruneAt: 2_000 }));
    const brand = state;
    const result = new Promise<T>((resolve, reject) => {
      brand.jobs.push({ now, run: work, resolve: resolve as (value: unknown) => void, reject });
    });
    if (!brand.running) void this.drain(brandId, brand);
    return result;
  }

  private async drain(brandId: string, state: BrandState): Promise<void> {
    state.running = true;
    try {
      while (state.jobs.length > 0) {
        const jobs = state.jobs.splice(0, BATCH_MAX);
        try {
          await this.runBatch(brandId, state, jobs);
        } catch (error) {
          for (const job of jobs) job.reject(error);
        }
      }
    } finally {
      state.running = false;
    }
  }

  private async runBatch(brandId: string, state: BrandState, jobs: Job[]): Promise<void> {
    const lease = await this.acquire(brandId);
    const touched = new Map<string, number>();
    let released = false;
    try {
      const index = await this.currentIndex(brandId, state, lease, jobs[0].now);
      const hourCounts = new Map<string, number>();
      // Incidents grown but not saved yet, with the jobs whose mentions they hold unsaved.
      const unsaved = new Map<string, { incident: Incident; jobs: Set<Job> }>();
      const failed = new Map<Job, unknown>();
      let current: Job | undefined;
      let staleIndex = false;
      const dropUnsaved = (key: string) => {
        const pending = unsaved.get(key);
        if (!pending) return;
        unsaved.delete(key);
        // Their growth was not saved and is gone from the index: those mentions are left to the sweep.
        const error = new ConflictError(`incident ${brandId}/${key} changed before its batch was saved`);
        for (const job of pending.jobs) failed.set(job, error);
      };
      const batch: GroupingBatch = {
        brandId,
        index,
        saved: (incident) => {
          index.put(incident);
          touched.set(incident.key, Date.now());
          // The save carried every unsaved growth of this incident (the jobs' mentions are in it now).
          unsaved.delete(incident.key);
        },
        saveLater: (incident) => {
          index.put(incident);
          let pending = unsaved.get(incident.key);
          if (!pending) unsaved.set(incident.key, (pending = { incident, jobs: new Set() }));
          pending.incident = incident;
          if (current) pending.jobs.add(current);
        },
        alertsThisHour: async (now) => {
          const hour = hourOf(now);
          let count = hourCounts.get(hour);
          if (count === undefined) {
            const rows = await this.repo.counters.brandTotals(brandId, hour, hour);
            count = rows.reduce((sum, row) => sum + row.alerted, 0);
            hourCounts.set(hour, count);
          }
          return count;
        },
        countAlert: (now) => {
          const hour = hourOf(now);
          if (hourCounts.has(hour)) hourCounts.set(hour, hourCounts.get(hour)! + 1);
        },
        reload: async (key) => {
          dropUnsaved(key);
          const incident = await this.repo.incidents.get(brandId, key);
          if (incident) index.put(incident);
          else index.remove(key);
          return incident;
        },
      };
      const results: { job: Job; ok: boolean; value: unknown }[] = [];
      for (const job of jobs) {
        current = job;
        try {
          results.push({ job, ok: true, value: await job.run(batch) });
        } catch (error) {
          results.push({ job, ok: false, value: error });
        }
      }
      current = undefined;
      for (const [key, pending] of [...unsaved]) {
        try {
          batch.saved(await this.repo.incidents.save(pending.incident));
        } catch (error) {
          // Conflict (someone else saved it) or a store error: the unsaved growth is forgotten (the index gets the
          // stored incident back, so the sweep's regrouping finds it) and its jobs fail.
          unsaved.delete(key);
          for (const job of pending.jobs) failed.set(job, error);
          await batch.reload(key).catch(() => {
            index.remove(key);
            staleIndex = true;
          });
        }
      }
      for (const { job, ok, value } of results) {
        if (failed.has(job)) job.reject(failed.get(job));
        else if (ok) job.resolve(value);
        else job.reject(value);
      }
      const generation = touched.size > 0 ? lease.generation + 1 : lease.generation;
      const since = Date.now() - RECENT_MS;
      const recent = [
        ...lease.recent.filter((r) => !touched.has(r.key)),
        ...[...touched].map(([key, at]) => ({ key, at })),
      ]
        .filter((r) => r.at >= since)
        .slice(-RECENT_MAX);
      released = await this.repo.locks.release(lockName(brandId), this.holder, { generation, recent });
      // A lease that expired under us may have let someone else in: read everything again next time.
      state.generation = released && !staleIndex ? generation : undefined;
    } finally {
      if (!released && state.generation !== undefined) state.generation = undefined;
    }
  }

  private async acquire(brandId: string): Promise<LockState> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const lease = await this.repo.locks.acquire(lockName(brandId), this.holder, LEASE_MS);
      if (lease) return lease;
      if (Date.now() - started > LEASE_WAIT_MS) throw new GroupingBusyError(brandId);
      const delay = Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** The brand's open incidents: as kept, when nobody else held the lease since; read again otherwise. */
  private async currentIndex(brandId: string, state: BrandState, lease: LockState, now: Date): Promise<IncidentIndex> {
    const cutoff = now.getTime() - this.windowMinutes() * 60_000;
    if (state.index && state.generation === lease.generation) {
      if (state.index.size > state.pruneAt) {
        for (const incident of state.index.all())
          if (Date.parse(incident.lastAt) < cutoff) state.index.remove(incident.key);
        state.pruneAt = Math.max(2_000, state.index.size * 2);
      }
      return state.index;
    }
    const since = new Date(cutoff).toISOString();
    const [open, recent] = await Promise.all([
      this.repo.incidents.listOpen(brandId, since),
      Promise.all(lease.recent.map((r) => this.repo.incidents.get(brandId, r.key))),
    ]);
    const index = new IncidentIndex();
    for (const incident of [...open, ...recent]) {
      if (!incident) continue;
      const known = index.get(incident.key);
      if (!known || known.version < incident.version) index.put(incident);
      else if (incident.status !== 'open') index.remove(incident.key);
    }
    state.index = index;
    state.generation = lease.generation;
    return index;
  }
}

const groupings = new WeakMap<Repository, BrandGrouping>();

/** The grouping of one store, shared by everything in the process that uses the same repository. */
export function groupingFor(repo: Repository, windowMinutes: () => number): BrandGrouping {
  let grouping = groupings.get(repo);
  if (!grouping) groupings.set(repo, (grouping = new BrandGrouping(repo, windowMinutes)));
  return grouping;
}

import { addHours, hourOf } from '../core/alerting/common';
import { dueEscalations } from '../core/alerting/escalation';
import { formatAlert } from '../core/alerting/format';
import { digestAlertId } from '../core/alert-id';
import { applyDecision, decideIncidentUpdate } from '../core/alerting/policy';
import { detectSpike } from '../core/alerting/spikes';
import { keys } from '../store/keys';
import { ConflictError } from '../core/errors';
import { alertRecord, attempted, brandOf, type AlertDeps, type DeliveryOutcome } from './alert-deps';
import { commitDecision, grouping, handleFlaggedMention, type FlaggedOutcome } from './flagged';
import { GroupingBusyError } from './grouping';
import { alertOutbox } from './outbox';

/**
 * The periodic sweep (the escalate Lambda every 5 minutes; the end of every local pass). Each job is a `sweep…`:
 * escalations, ungrouped flagged mentions, spikes, owed incident updates, ended hours' digests, undelivered alerts.
 */

/** The sweeper leaves alerts younger than this to the delivery that is probably still under way. */
const REDELIVERY_GRACE_MINUTES = 2;
/** Ended hours whose digest the sweeper still sends (it runs every few minutes; this covers missed runs). */
const DIGEST_LOOKBACK_HOURS = 3;
/** Alerts re-sent per sweep at most, and the time spent on them: a hung sink must not starve the rest. */
const REDELIVERY_MAX_RECORDS = 20;
const REDELIVERY_BUDGET_MS = 20_000;
/** Wall time the catch-up of ungrouped mentions may take per sweep; the next sweep goes on from the oldest left. */
const CATCH_UP_BUDGET_MS = 60_000;
const CATCH_UP_PAGE = 100;

/**
 * Escalation: every high/critical alert nobody acknowledged within its window goes to the escalation sinks, once
 * per level. The level is recorded when the escalation record exists; its delivery is retried like any alert's.
 */
export async function sweepEscalations(deps: AlertDeps): Promise<DeliveryOutcome[]> {
  const now = deps.now();
  const outbox = alertOutbox(deps);
  const pending = await deps.repo.alerts.listForEscalation(now.toISOString());
  const outcomes: DeliveryOutcome[] = [];
  for (const due of dueEscalations(pending, deps.config.alerts.escalation, now)) {
    const brandName = deps.config.brands.find((b) => b.id === due.alert.brandId)?.name;
    const message = formatAlert('escalation', {
      alertId: due.alertId,
      original: due.alert,
      level: due.level,
      brandName,
      triageApiUrl: deps.triageApiUrl,
      configPath: deps.configPath,
      now,
    });
    const outcome = await outbox.send(alertRecord(message, now, { sourceId: due.alert.sourceId }));
    await deps.repo.alerts.recordEscalation(due.alert.alertId, due.level);
    outcomes.push(outcome);
  }
  return outcomes;
}

/**
 * Flagged mentions stored but never grouped (a pass stopped in between, a busy brand, a conflict handed over):
 * every one of them, oldest first, within the budget. Grouped ones leave the ungrouped index, so the next sweep
 * resumes with the oldest left, and a rerun after a crash groups in the same order as an uninterrupted run.
 */
export async function sweepUngrouped(
  deps: AlertDeps,
  budgetMs = CATCH_UP_BUDGET_MS,
): Promise<{ outcomes: FlaggedOutcome[]; remaining: boolean }> {
  const started = Date.now(); // wall time, whatever clock the deps carry
  const outcomes: FlaggedOutcome[] = [];
  let remaining = false;
  for (const brand of deps.config.brands) {
    let after: string | undefined;
    for (;;) {
      if (Date.now() - started > budgetMs) return { outcomes, remaining: true };
      const page = await deps.repo.mentions.listUngrouped(brand.id, { limit: CATCH_UP_PAGE, after });
      if (page.length === 0) break;
      for (const mention of page) {
        if (Date.now() - started > budgetMs) return { outcomes, remaining: true };
        const outcome = await handleFlaggedMention(mention, deps, { fresh: true });
        outcomes.push(outcome);
        if (outcome.deferred) remaining = true;
      }
      after = keys.ungroupedSort(page[page.length - 1]);
      if (page.length < CATCH_UP_PAGE) break;
    }
  }
  return { outcomes, remaining };
}

/** Negative-volume spike for a brand in the current hour, alerted once per brand and hour. */
export async function sweepSpike(brandId: string, deps: AlertDeps): Promise<DeliveryOutcome | null> {
  const spikes = deps.config.alerts.spikes;
  if (!spikes.enabled) return null;
  const now = deps.now();
  const currentHour = hourOf(now);
  const rows = await deps.repo.counters.brandTotals(brandId, addHours(currentHour, -spikes.baselineHours), currentHour);
  const spike = detectSpike({
    brandId,
    hourlyNegatives: rows.map((row) => ({ hour: row.hour, count: row.negative })),
    currentHour,
    cfg: spikes,
  });
  if (!spike) return null;
  const message = formatAlert('spike', {
    spike,
    brandName: brandOf(deps.config, brandId).name,
    triageApiUrl: deps.triageApiUrl,
    configPath: deps.configPath,
  });
  return alertOutbox(deps).send(alertRecord(message, now));
}

/** Updates that incidents owe because the cooldown held them back and no later mention came to catch up. */
export async function sweepIncidentUpdates(deps: AlertDeps): Promise<DeliveryOutcome[]> {
  const cfg = deps.config.alerts;
  const outbox = alertOutbox(deps);
  const outcomes: DeliveryOutcome[] = [];
  for (const brand of deps.config.brands) {
    // In the brand's grouping turn: an update and a joining mention never race on one incident.
    let records;
    try {
      records = await grouping(deps).withBrand(brand.id, deps.now(), async (batch) => {
        const now = deps.now();
        const cutoff = now.getTime() - cfg.incidents.windowMinutes * 60_000;
        const toDeliver = [];
        for (const incident of batch.index.all()) {
          if (Date.parse(incident.lastAt) < cutoff) continue;
          const decision = decideIncidentUpdate(incident, await batch.alertsThisHour(now), cfg, now);
          if (decision.action === 'suppress') continue;
          const createdIds = new Set<string>();
          try {
            const next = applyDecision(incident, decision, now);
            const committed = await commitDecision({ decision, incident: next, createdIds }, batch, deps, now);
            if (committed.record) toDeliver.push(committed.record);
          } catch (error) {
            if (!(error instanceof ConflictError)) throw error;
            for (const id of createdIds) await outbox.withdraw(id, now);
            await batch.reload(incident.key); // changed elsewhere: the next sweep decides again
          }
        }
        return toDeliver;
      });
    } catch (error) {
      if (error instanceof GroupingBusyError) continue; // the next sweep
      throw error;
    }
    for (const record of records) outcomes.push(await outbox.deliver(record));
  }
  return outcomes;
}

/** Digests of hours that have ended, one message per brand and hour. */
export async function sweepDigests(deps: AlertDeps): Promise<DeliveryOutcome[]> {
  const now = deps.now();
  const outbox = alertOutbox(deps);
  const outcomes: DeliveryOutcome[] = [];
  for (const brand of deps.config.brands) {
    for (let back = DIGEST_LOOKBACK_HOURS; back >= 1; back--) {
      const hour = addHours(hourOf(now), -back);
      const digest = await deps.repo.alerts.getDigest(brand.id, hour);
      if (!digest || digest.items.length === 0) continue;
      const message = formatAlert('digest', {
        alertId: digestAlertId(brand.id, hour),
        brandId: brand.id,
        brandName: brand.name,
        hour,
        items: digest.items,
        triageApiUrl: deps.triageApiUrl,
        configPath: deps.configPath,
      });
      const outcome = await outbox.send(alertRecord(message, now));
      if (attempted(outcome)) outcomes.push(outcome);
    }
  }
  return outcomes;
}

/** Alerts some sink has not confirmed (it was down): re-sent to those sinks only, within a budget. */
export async function sweepUndelivered(deps: AlertDeps): Promise<DeliveryOutcome[]> {
  const now = deps.now();
  const outbox = alertOutbox(deps);
  const settled = new Date(now.getTime() - REDELIVERY_GRACE_MINUTES * 60_000).toISOString();
  const pending = await deps.repo.alerts.listUndelivered(now.toISOString());
  const outcomes: DeliveryOutcome[] = [];
  const started = Date.now(); // wall time, whatever clock the deps carry
  // A young alert is probably being delivered right now, unless an attempt already failed.
  // An alert recorded before this process became the store's only deliverer is nobody's delivery under way.
  const orphanedBefore = deps.soleDelivererSince?.toISOString();
  const due = pending.filter(
    (r) =>
      r.lastFailureAt !== undefined ||
      r.createdAt <= settled ||
      (orphanedBefore !== undefined && r.createdAt < orphanedBefore),
  );
  for (const record of due.slice(0, REDELIVERY_MAX_RECORDS)) {
    if (Date.now() - started > REDELIVERY_BUDGET_MS) break; // the next sweep goes on
    const outcome = await outbox.deliver(record);
    if (attempted(outcome)) outcomes.push(outcome);
  }
  return outcomes;
}

export interface SweepOutcome {
  redelivered: DeliveryOutcome[];
  digests: DeliveryOutcome[];
  incidentUpdates: DeliveryOutcome[];
  spikes: DeliveryOutcome[];
  escalations: DeliveryOutcome[];
  /** Deliveries of the mentions the catch-up grouped. */
  caughtUp: DeliveryOutcome[];
  /** Mentions the catch-up grouped, and how many incidents it opened. */
  grouped: number;
  newIncidents: number;
}

/** Every job of the sweep, escalations first: nothing else (a hung sink, say) may hold back a page to a person. */
export async function sweep(deps: AlertDeps): Promise<SweepOutcome> {
  const escalations = await sweepEscalations(deps);
  const ungrouped = await sweepUngrouped(deps);
  const spikes: DeliveryOutcome[] = [];
  for (const brand of deps.config.brands) {
    const spike = await sweepSpike(brand.id, deps);
    if (attempted(spike)) spikes.push(spike);
  }
  const incidentUpdates = await sweepIncidentUpdates(deps);
  const digests = await sweepDigests(deps);
  const redelivered = await sweepUndelivered(deps);
  return {
    redelivered,
    digests,
    incidentUpdates,
    spikes,
    escalations,
    caughtUp: ungrouped.outcomes.flatMap((o) => o.deliveries),
    grouped: ungrouped.outcomes.filter((o) => o.incident).length,
    newIncidents: ungrouped.outcomes.filter((o) => o.newIncident).length,
  };
}

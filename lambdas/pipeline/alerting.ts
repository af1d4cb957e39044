import { digestAlertId, mentionKeyOf } from '../core/alert-id';
import { addHours, hourOf } from '../core/alerting/common';
import { dueEscalations } from '../core/alerting/escalation';
import { formatAlert } from '../core/alerting/format';
import type { AlertMessage } from '../core/alert';
import { assignIncident } from '../core/alerting/incidents';
import { applyDecision, decideAlert, decideIncidentUpdate, type AlertDecision } from '../core/alerting/policy';
import { detectSpike } from '../core/alerting/spikes';
import type { EarshotConfig } from '../config/schema';
import { deliver, type AlertSink } from '../sinks';
import { ConflictError } from '../core/errors';
import type { Repository } from '../store/repository';
import type { AlertRecord } from '../core/alert';
import type { Incident } from '../core/incident';
import type { StoredMention } from '../core/mention';

/**
 * The alert side of the pipeline, shared by the alert/escalate Lambdas and the local runner: incident grouping,
 * the alert policy, digests, spikes and escalation over the repository, delivered to each sink once.
 *
 * Once per sink comes from deterministic alert ids: the alert record (with its formatted message) is created once
 * by a conditional put, each sink that confirms is recorded in `deliveredTo`, and a retry, or the sweeper later,
 * re-sends only to the sinks that have not confirmed. Nothing is lost when a sink is down for a while.
 */

export interface AlertDeps {
  repo: Repository;
  sinks: readonly AlertSink[];
  /** Where escalations go (the escalation topic on AWS); defaults to `sinks`. */
  escalationSinks?: readonly AlertSink[];
  config: EarshotConfig;
  now: () => Date;
  /** Base URL of the deployed triage API, shown in alerts. */
  triageApiUrl?: string;
  /** A local run's config file, shown in the ack commands alerts print. */
  configPath?: string;
}

export interface DeliveryOutcome {
  alertId: string;
  kind: AlertRecord['kind'];
  /** Sinks that received it in this call. */
  sent: string[];
  failed: { sink: string; error: string }[];
}

export interface FlaggedOutcome {
  decision: AlertDecision | null;
  incident: Incident;
  newIncident: boolean;
  deliveries: DeliveryOutcome[];
}

const ALERT_RECORD_TTL_DAYS = 90;
const INCIDENT_SAVE_ATTEMPTS = 4;
/** The sweeper leaves alerts younger than this to the delivery that is probably still under way. */
const REDELIVERY_GRACE_MINUTES = 2;
/** Ended hours whose digest the sweeper still sends (it runs every few minutes; this covers missed runs). */
const DIGEST_LOOKBACK_HOURS = 3;

function brandOf(config: EarshotConfig, brandId: string) {
  const brand = config.brands.find((b) => b.id === brandId);
  if (!brand) throw new Error(`mention of unknown brand "${brandId}"`);
  return brand;
}

function alertRecord(message: AlertMessage, now: Date, extra: Partial<AlertRecord> = {}): AlertRecord {
  return {
    alertId: message.alertId,
    brandId: message.brandId,
    kind: message.kind,
    severity: message.severity,
    createdAt: now.toISOString(),
    subject: message.subject,
    escalatedLevels: [],
    deliveredTo: [],
    message,
    expiresAt: Math.floor(now.getTime() / 1000) + ALERT_RECORD_TTL_DAYS * 86_400,
    ...extra,
  };
}

function sinksFor(record: Pick<AlertRecord, 'kind'>, deps: AlertDeps): readonly AlertSink[] {
  return record.kind === 'escalation' ? (deps.escalationSinks ?? deps.sinks) : deps.sinks;
}

/**
 * Send a stored alert to the sinks that do not have it yet, recording each confirmation. One deliverer at a time
 * (a lease on the record), so a stream retry and the sweep never both send it.
 */
async function deliverRecord(record: AlertRecord, deps: AlertDeps): Promise<DeliveryOutcome> {
  const outcome: DeliveryOutcome = { alertId: record.alertId, kind: record.kind, sent: [], failed: [] };
  if (!(await deps.repo.alerts.lease(record.alertId, deps.now()))) return outcome; // someone else is sending it
  try {
    // Read again under the lease: another deliverer may have just finished.
    const current = (await deps.repo.alerts.get(record.alertId)) ?? record;
    if (!current.message || current.acknowledgedAt || current.withdrawnAt) {
      // Nothing to send: delivered in full, seen by a person already, or withdrawn after a lost race.
      await deps.repo.alerts.markFullyDelivered(current.alertId);
      return outcome;
    }
    const result = await deliver(current.message, sinksFor(current, deps), current.deliveredTo);
    for (const sink of result.sent) await deps.repo.alerts.markDelivered(current.alertId, sink);
    if (result.failed.length === 0) await deps.repo.alerts.markFullyDelivered(current.alertId);
    else await deps.repo.alerts.markDeliveryFailed(current.alertId, deps.now().toISOString());
    return { ...outcome, sent: result.sent, failed: result.failed };
  } finally {
    await deps.repo.alerts.releaseLease(record.alertId);
  }
}

/** Create the alert record once (or find the one a previous attempt created), then deliver what is missing. */
async function sendOnce(record: AlertRecord, deps: AlertDeps, created?: boolean): Promise<DeliveryOutcome> {
  created ??= await deps.repo.alerts.putOnce(record);
  if (created && record.kind !== 'escalation') {
    await deps.repo.counters.add(record.brandId, record.sourceId ?? 'brand', hourOf(deps.now()), { alerted: 1 });
  }
  return deliverRecord(record, deps);
}

async function alertsThisHour(repo: Repository, brandId: string, now: Date): Promise<number> {
  const hour = hourOf(now);
  const rows = await repo.counters.brandTotals(brandId, hour, hour);
  return rows.reduce((sum, row) => sum + row.alerted, 0);
}

function messageFor(decision: AlertDecision, incident: Incident, deps: AlertDeps, mention?: StoredMention) {
  const brandName = brandOf(deps.config, incident.brandId).name;
  const common = {
    alertId: decision.alertId!,
    brandName,
    triageApiUrl: deps.triageApiUrl,
    configPath: deps.configPath,
  };
  if (decision.kind === 'mention' && mention) return formatAlert('mention', { ...common, mention, incident });
  return formatAlert('incident', { ...common, incident, mention });
}

/** An alert past the hourly cap joins the brand's digest for the hour, sent once the hour is over. */
async function addToDigest(
  decision: AlertDecision,
  incident: Incident,
  deps: AlertDeps,
  at: Date,
  mention?: StoredMention,
) {
  const message = messageFor(
    { ...decision, alertId: decision.digestOf ?? decision.alertId, kind: mention ? 'mention' : 'incident' },
    incident,
    deps,
    mention,
  );
  // The hour of the decision: the digest of that hour has not gone out yet.
  await deps.repo.alerts.addDigestItem(incident.brandId, hourOf(at), {
    alertId: message.alertId,
    severity: message.severity,
    subject: message.subject,
    url: mention?.url,
  });
}

/**
 * A flagged mention arrived (DynamoDB stream on AWS, straight after storing locally): group it into an incident,
 * decide, and alert once. Safe to call again for the same mention: it then only finishes a failed delivery.
 */
export async function handleFlaggedMention(mention: StoredMention, deps: AlertDeps): Promise<FlaggedOutcome> {
  const cfg = deps.config.alerts;
  const brand = brandOf(deps.config, mention.brandId);
  const grouping = { windowMinutes: cfg.incidents.windowMinutes, ignoreWords: [brand.name, ...brand.keywords] };

  // Already grouped (a redelivery, or a later pass): the stored mention knows its incident, however old.
  const stored = await deps.repo.mentions.get(mention.sourceId, mention.id);
  const knownIncident = stored?.incidentKey
    ? await deps.repo.incidents.get(mention.brandId, stored.incidentKey)
    : undefined;
  if (knownIncident)
    return {
      decision: null,
      incident: knownIncident,
      newIncident: false,
      deliveries: await finishPending(knownIncident, deps),
    };

  // Records this call created, by id: a decision re-made after a lost race withdraws the ones it no longer wants.
  const createdIds = new Set<string>();
  for (let attempt = 1; ; attempt++) {
    const now = deps.now();
    const since = new Date(now.getTime() - cfg.incidents.windowMinutes * 60_000).toISOString();
    const open = await deps.repo.incidents.listOpen(mention.brandId, since);
    const assignment = assignIncident(mention, open, grouping, now);
    if (assignment.duplicate) {
      await deps.repo.mentions.setIncident(mention.sourceId, mention.id, assignment.incident.key);
      return {
        decision: null,
        incident: assignment.incident,
        newIncident: false,
        deliveries: await finishPending(assignment.incident, deps),
      };
    }
    const decision = decideAlert({
      mention,
      incident: assignment.incident,
      isNew: assignment.isNew,
      recentAlertCountThisHour: await alertsThisHour(deps.repo, mention.brandId, now),
      cfg,
      now,
    });
    const incident = applyDecision(assignment.incident, decision, now);
    let record: AlertRecord | null = null;
    let created = false;
    if (decision.action === 'alert' || decision.action === 'update') {
      record = alertRecord(messageFor(decision, incident, deps, mention), now, {
        sourceId: mention.sourceId,
        mentionKey: mentionKeyOf(mention),
        incidentKey: incident.key,
      });
      // The record exists before the incident says "alerted", so a crash in between is retried, not lost.
      created = createdIds.has(record.alertId) || (await deps.repo.alerts.putOnce(record));
      if (created) createdIds.add(record.alertId);
    }
    // Before the incident is saved: once it is, a retry takes the known-incident path and would never add it.
    if (decision.action === 'digest') await addToDigest(decision, incident, deps, now, mention);
    try {
      await deps.repo.incidents.save(incident);
    } catch (error) {
      if (error instanceof ConflictError && attempt < INCIDENT_SAVE_ATTEMPTS) continue; // someone else grew it: redo
      throw error;
    }
    for (const id of createdIds) if (id !== record?.alertId) await deps.repo.alerts.withdraw(id, now.toISOString());
    await deps.repo.mentions.setIncident(mention.sourceId, mention.id, incident.key);
    const deliveries = record ? [await sendOnce(record, deps, created)] : [];
    return { decision, incident, newIncident: assignment.isNew, deliveries };
  }
}

/** The alerts of an incident that some sink has not confirmed: delivered again to those sinks only. */
async function finishPending(incident: Incident, deps: AlertDeps): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  const pending = await deps.repo.alerts.listUndelivered(deps.now().toISOString());
  for (const record of pending.filter((r) => r.incidentKey === incident.key && r.brandId === incident.brandId)) {
    const outcome = await deliverRecord(record, deps);
    if (outcome.sent.length > 0 || outcome.failed.length > 0) outcomes.push(outcome);
  }
  return outcomes;
}

/** Negative-volume spike for a brand in the current hour, alerted once per brand and hour. */
export async function checkSpike(brandId: string, deps: AlertDeps): Promise<DeliveryOutcome | null> {
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
  const brandName = brandOf(deps.config, brandId).name;
  const message = formatAlert('spike', {
    spike,
    brandName,
    triageApiUrl: deps.triageApiUrl,
    configPath: deps.configPath,
  });
  return sendOnce(alertRecord(message, now), deps);
}

/**
 * Escalation: every high/critical alert nobody acknowledged within its window goes to the escalation sinks, once
 * per level. The level is recorded when the escalation record exists; its delivery is retried like any alert's.
 */
export async function sweepEscalations(deps: AlertDeps): Promise<DeliveryOutcome[]> {
  const now = deps.now();
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
    const outcome = await sendOnce(alertRecord(message, now, { sourceId: due.alert.sourceId }), deps);
    await deps.repo.alerts.recordEscalation(due.alert.alertId, due.level);
    outcomes.push(outcome);
  }
  return outcomes;
}

/** Digests of hours that have ended, one message per brand and hour. */
export async function sendDueDigests(deps: AlertDeps): Promise<DeliveryOutcome[]> {
  const now = deps.now();
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
      const outcome = await sendOnce(alertRecord(message, now), deps);
      if (outcome.sent.length > 0 || outcome.failed.length > 0) outcomes.push(outcome);
    }
  }
  return outcomes;
}

/** Updates that incidents owe because the cooldown held them back and no later mention came to catch up. */
export async function sendDueIncidentUpdates(deps: AlertDeps): Promise<DeliveryOutcome[]> {
  const now = deps.now();
  const cfg = deps.config.alerts;
  const since = new Date(now.getTime() - cfg.incidents.windowMinutes * 60_000).toISOString();
  const outcomes: DeliveryOutcome[] = [];
  for (const brand of deps.config.brands) {
    for (const incident of await deps.repo.incidents.listOpen(brand.id, since)) {
      const decision = decideIncidentUpdate(incident, await alertsThisHour(deps.repo, brand.id, now), cfg, now);
      if (decision.action === 'suppress') continue;
      const next = applyDecision(incident, decision, now);
      let record: AlertRecord | null = null;
      let created = false;
      if (decision.action === 'update') {
        record = alertRecord(messageFor(decision, next, deps), now, { incidentKey: incident.key });
        created = await deps.repo.alerts.putOnce(record);
      }
      if (decision.action === 'digest') await addToDigest(decision, next, deps, now);
      try {
        await deps.repo.incidents.save(next);
      } catch (error) {
        if (error instanceof ConflictError) {
          if (record && created) await deps.repo.alerts.withdraw(record.alertId, now.toISOString());
          continue; // a new mention is handling it right now
        }
        throw error;
      }
      if (record) outcomes.push(await sendOnce(record, deps, created));
    }
  }
  return outcomes;
}

/** Alerts re-sent per sweep at most, and the time spent on them: a hung sink must not starve the rest. */
const REDELIVERY_MAX_RECORDS = 20;
const REDELIVERY_BUDGET_MS = 20_000;

/** Alerts some sink has not confirmed (it was down): re-sent to those sinks only, within a budget. */
export async function redeliverPending(deps: AlertDeps): Promise<DeliveryOutcome[]> {
  const now = deps.now();
  const settled = new Date(now.getTime() - REDELIVERY_GRACE_MINUTES * 60_000).toISOString();
  const pending = await deps.repo.alerts.listUndelivered(now.toISOString());
  const outcomes: DeliveryOutcome[] = [];
  const started = Date.now(); // wall time, whatever clock the deps carry
  // A young alert is probably being delivered right now, unless an attempt already failed.
  const due = pending.filter((r) => r.lastFailureAt !== undefined || r.createdAt <= settled);
  for (const record of due.slice(0, REDELIVERY_MAX_RECORDS)) {
    if (Date.now() - started > REDELIVERY_BUDGET_MS) break; // the next sweep goes on
    const outcome = await deliverRecord(record, deps);
    if (outcome.sent.length > 0 || outcome.failed.length > 0) outcomes.push(outcome);
  }
  return outcomes;
}

export interface SweepOutcome {
  redelivered: DeliveryOutcome[];
  digests: DeliveryOutcome[];
  incidentUpdates: DeliveryOutcome[];
  spikes: DeliveryOutcome[];
  escalations: DeliveryOutcome[];
}

/**
 * The periodic sweep (the escalate Lambda every 5 minutes; the end of every local pass): finish failed deliveries,
 * send ended hours' digests and owed incident updates, check every brand for a spike, escalate.
 */
export async function sweep(deps: AlertDeps): Promise<SweepOutcome> {
  // Escalations first: nothing else in the sweep (a hung sink, say) may hold back a page to a person.
  const escalations = await sweepEscalations(deps);
  const spikes: DeliveryOutcome[] = [];
  for (const brand of deps.config.brands) {
    const spike = await checkSpike(brand.id, deps);
    if (spike && (spike.sent.length > 0 || spike.failed.length > 0)) spikes.push(spike);
  }
  const incidentUpdates = await sendDueIncidentUpdates(deps);
  const digests = await sendDueDigests(deps);
  const redelivered = await redeliverPending(deps);
  return { redelivered, digests, incidentUpdates, spikes, escalations };
}

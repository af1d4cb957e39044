import { hourOf, addHours, mentionKeyOf } from '../core/alerting/common';
import { dueEscalations } from '../core/alerting/escalation';
import { formatAlert, type AlertMessage } from '../core/alerting/format';
import { assignIncident } from '../core/alerting/incidents';
import {
  applyDecision,
  decideAlert,
  incidentAlertId,
  mentionAlertId,
  type AlertDecision,
} from '../core/alerting/policy';
import { detectSpike } from '../core/alerting/spikes';
import type { EarshotConfig } from '../config/schema';
import { deliver, type AlertSink } from '../alerts';
import { ConflictError, type Repository } from '../store/repository';
import type { AlertRecord, Incident, StoredMention } from '../store/types';

/**
 * The alert side of the pipeline, shared by the alert/escalate Lambdas and the local runner: incident grouping,
 * the alert policy, spikes and escalation over the repository, delivered to sinks exactly once per sink.
 *
 * Exactly-once comes from deterministic alert ids: the alert record is created once (conditional put), each sink
 * that confirms is recorded in `deliveredTo`, and a retry delivers only to the sinks that have not confirmed.
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

function brandOf(config: EarshotConfig, brandId: string) {
  const brand = config.brands.find((b) => b.id === brandId);
  if (!brand) throw new Error(`mention of unknown brand "${brandId}"`);
  return brand;
}

function alertRecord(message: AlertMessage, now: Date, extra: Partial<AlertRecord>): AlertRecord {
  return {
    alertId: message.alertId,
    brandId: message.brandId,
    kind: message.kind,
    severity: message.severity,
    createdAt: now.toISOString(),
    subject: message.subject,
    escalatedLevels: [],
    deliveredTo: [],
    expiresAt: Math.floor(now.getTime() / 1000) + ALERT_RECORD_TTL_DAYS * 86_400,
    ...extra,
  };
}

/** Create the alert record once, then deliver to every sink that has not confirmed it yet. */
async function sendOnce(
  message: AlertMessage,
  record: AlertRecord,
  sinks: readonly AlertSink[],
  deps: AlertDeps,
  created?: boolean,
): Promise<DeliveryOutcome> {
  created ??= await deps.repo.putAlertOnce(record);
  const existing = created ? record : ((await deps.repo.getAlert(record.alertId)) ?? record);
  if (created && record.kind !== 'escalation') {
    await deps.repo.addCounters(record.brandId, record.sourceId ?? 'spike', hourOf(deps.now()), { alerted: 1 });
  }
  const result = await deliver(message, sinks, existing.deliveredTo);
  for (const sink of result.sent) await deps.repo.markDelivered(record.alertId, sink);
  return { alertId: record.alertId, kind: record.kind, sent: result.sent, failed: result.failed };
}

/** Re-deliver an alert that exists but did not reach every sink (the retry path after a sink failure). */
async function redeliver(
  alertId: string,
  message: () => AlertMessage,
  deps: AlertDeps,
): Promise<DeliveryOutcome | null> {
  const existing = await deps.repo.getAlert(alertId);
  if (!existing) return null;
  const result = await deliver(message(), deps.sinks, existing.deliveredTo);
  for (const sink of result.sent) await deps.repo.markDelivered(alertId, sink);
  return { alertId, kind: existing.kind, sent: result.sent, failed: result.failed };
}

async function alertsThisHour(repo: Repository, brandId: string, now: Date): Promise<number> {
  const hour = hourOf(now);
  const rows = await repo.getBrandCounters(brandId, hour, hour);
  return rows.reduce((sum, row) => sum + row.alerted, 0);
}

function messageFor(
  decision: AlertDecision,
  mention: StoredMention,
  incident: Incident,
  deps: AlertDeps,
): AlertMessage {
  const brandName = brandOf(deps.config, mention.brandId).name;
  const common = { alertId: decision.alertId!, brandName, triageApiUrl: deps.triageApiUrl };
  if (decision.kind === 'incident') return formatAlert('incident', { ...common, incident, mention });
  if (decision.kind === 'digest') {
    const hour = hourOf(deps.now());
    return formatAlert('digest', {
      ...common,
      brandId: mention.brandId,
      hour,
      items: [
        {
          alertId: decision.digestOf ?? common.alertId,
          severity: decision.severity,
          subject: mention.text.slice(0, 120),
          url: mention.url,
        },
      ],
    });
  }
  return formatAlert('mention', { ...common, mention, incident });
}

/**
 * A flagged mention arrived (DynamoDB stream on AWS, straight after storing locally): group it into an incident,
 * decide, and alert once. Safe to call again for the same mention.
 */
export async function handleFlaggedMention(mention: StoredMention, deps: AlertDeps): Promise<FlaggedOutcome> {
  const cfg = deps.config.alerts;
  const brand = brandOf(deps.config, mention.brandId);
  const grouping = { windowMinutes: cfg.incidents.windowMinutes, ignoreWords: [brand.name, ...brand.keywords] };
  for (let attempt = 1; ; attempt++) {
    const now = deps.now();
    const since = new Date(now.getTime() - cfg.incidents.windowMinutes * 60_000).toISOString();
    const open = await deps.repo.listOpenIncidents(mention.brandId, since);
    const assignment = assignIncident(mention, open, grouping, now);
    if (assignment.duplicate) {
      // A retry: the incident already counts this mention; finish any delivery that failed last time.
      const incident = assignment.incident;
      const deliveries: DeliveryOutcome[] = [];
      const latestSize = Math.max(0, ...incident.alertedSizes);
      const candidates: [string, AlertDecision['kind']][] = [[mentionAlertId(mention), 'mention']];
      if (latestSize > 1) candidates.push([incidentAlertId(incident, latestSize), 'incident']);
      for (const [alertId, kind] of candidates) {
        const decision = {
          action: 'alert',
          reason: 'retry',
          alertId,
          kind,
          severity: incident.severity,
        } as AlertDecision;
        const outcome = await redeliver(alertId, () => messageFor(decision, mention, incident, deps), deps);
        if (outcome && (outcome.sent.length > 0 || outcome.failed.length > 0)) deliveries.push(outcome);
      }
      return { decision: null, incident, newIncident: false, deliveries };
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
    let message: AlertMessage | null = null;
    let record: AlertRecord | null = null;
    let created = false;
    if (decision.action !== 'suppress' && decision.alertId) {
      message = messageFor(decision, mention, incident, deps);
      record = alertRecord(message, now, {
        sourceId: mention.sourceId,
        mentionKey: mentionKeyOf(mention),
        incidentKey: incident.key,
      });
      // The record exists before the incident says "alerted", so a crash in between is retried, not lost.
      created = await deps.repo.putAlertOnce(record);
    }
    try {
      await deps.repo.saveIncident(incident);
    } catch (error) {
      if (error instanceof ConflictError && attempt < INCIDENT_SAVE_ATTEMPTS) continue; // someone else grew it: redo
      throw error;
    }
    await deps.repo.setMentionIncident(mention.sourceId, mention.id, incident.key);
    const deliveries: DeliveryOutcome[] = [];
    if (message && record) {
      // The digest for this hour goes out once; later overflow only joins the triage queue.
      deliveries.push(await sendOnce(message, record, deps.sinks, deps, created));
    }
    return { decision, incident, newIncident: assignment.isNew, deliveries };
  }
}

/** Negative-volume spike for a brand in the current hour, alerted once per brand and hour. */
export async function checkSpike(brandId: string, deps: AlertDeps): Promise<DeliveryOutcome | null> {
  const spikes = deps.config.alerts.spikes;
  if (!spikes.enabled) return null;
  const now = deps.now();
  const currentHour = hourOf(now);
  const rows = await deps.repo.getBrandCounters(brandId, addHours(currentHour, -spikes.baselineHours), currentHour);
  const spike = detectSpike({
    brandId,
    hourlyNegatives: rows.map((row) => ({ hour: row.hour, count: row.negative })),
    currentHour,
    cfg: spikes,
  });
  if (!spike) return null;
  const brandName = brandOf(deps.config, brandId).name;
  const message = formatAlert('spike', { spike, brandName, triageApiUrl: deps.triageApiUrl });
  return sendOnce(message, alertRecord(message, now, {}), deps.sinks, deps);
}

/**
 * The escalation sweep: every high/critical alert nobody acknowledged within its window goes to the escalation
 * sinks, once per level. The level is recorded only after every escalation sink confirmed.
 */
export async function sweepEscalations(deps: AlertDeps): Promise<DeliveryOutcome[]> {
  const now = deps.now();
  const pending = await deps.repo.listAlertsForEscalation(now.toISOString());
  const outcomes: DeliveryOutcome[] = [];
  for (const due of dueEscalations(pending, deps.config.alerts.escalation, now)) {
    const brandName = deps.config.brands.find((b) => b.id === due.alert.brandId)?.name;
    const message = formatAlert('escalation', {
      alertId: due.alertId,
      original: due.alert,
      level: due.level,
      brandName,
      triageApiUrl: deps.triageApiUrl,
      now,
    });
    const outcome = await sendOnce(
      message,
      alertRecord(message, now, { sourceId: due.alert.sourceId }),
      deps.escalationSinks ?? deps.sinks,
      deps,
    );
    if (outcome.failed.length === 0) await deps.repo.recordEscalation(due.alert.alertId, due.level);
    outcomes.push(outcome);
  }
  return outcomes;
}

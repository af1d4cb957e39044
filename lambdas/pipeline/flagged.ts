import type { AlertRecord } from '../core/alert';
import { mentionKeyOf } from '../core/alert-id';
import { hourOf } from '../core/alerting/common';
import { formatAlert } from '../core/alerting/format';
import { assignIncident } from '../core/alerting/incidents';
import { applyDecision, decideAlert, type AlertDecision } from '../core/alerting/policy';
import type { Incident } from '../core/incident';
import type { StoredMention } from '../core/mention';
import { ConflictError } from '../core/errors';
import { alertRecord, brandOf, type AlertDeps, type DeliveryOutcome } from './alert-deps';
import { GroupingBusyError, groupingFor, type GroupingBatch } from './grouping';
import { alertOutbox } from './outbox';
import { crashPoint } from './crash-points';

/**
 * A flagged mention, from arrival to alert: group it into an incident (one brand at a time, see grouping.ts),
 * decide with the alert policy, commit the decision, then deliver through the outbox.
 */

export interface FlaggedOutcome {
  decision: AlertDecision | null;
  /** The incident it joined; undefined when grouping was left to the sweep (`deferred`). */
  incident?: Incident;
  newIncident: boolean;
  deliveries: DeliveryOutcome[];
  /** Why the mention was not grouped now (the sweep's catch-up groups it). */
  deferred?: string;
}

/** Conflicting saves retried on a fresh read before the mention is left to the sweep. */
const INCIDENT_SAVE_ATTEMPTS = 4;

export function grouping(deps: AlertDeps) {
  return groupingFor(deps.repo, () => deps.config.alerts.incidents.windowMinutes);
}

/** The formatted alert a decision sends: a mention alert when there is a mention to show, else an incident update. */
export function messageFor(
  alertId: string,
  kind: 'mention' | 'incident',
  incident: Incident,
  deps: AlertDeps,
  mention?: StoredMention,
) {
  const common = {
    alertId,
    brandName: brandOf(deps.config, incident.brandId).name,
    triageApiUrl: deps.triageApiUrl,
    configPath: deps.configPath,
  };
  if (kind === 'mention' && mention) return formatAlert('mention', { ...common, mention, incident });
  return formatAlert('incident', { ...common, incident, mention });
}

export interface CommittedDecision {
  saved: Incident;
  /** The alert to deliver now, if the decision sends one. */
  record: AlertRecord | null;
  created: boolean;
}

/**
 * Commit a decision about an incident: record its alert in the outbox (before the incident says "alerted", so a
 * crash in between is retried, not lost), or add it to the hour's digest, then save the incident. Throws
 * ConflictError when the incident changed since it was read; `createdIds` carries records across retries.
 */
export async function commitDecision(
  args: { decision: AlertDecision; incident: Incident; mention?: StoredMention; createdIds: Set<string> },
  batch: GroupingBatch,
  deps: AlertDeps,
  now: Date,
): Promise<CommittedDecision> {
  const { decision, incident, mention } = args;
  const outbox = alertOutbox(deps);
  let record: AlertRecord | null = null;
  let created = false;
  if (decision.action === 'alert' || decision.action === 'update') {
    const kind = decision.kind === 'mention' ? 'mention' : 'incident';
    record = alertRecord(messageFor(decision.alertId!, kind, incident, deps, mention), now, {
      sourceId: mention?.sourceId,
      mentionKey: mention ? mentionKeyOf(mention) : undefined,
      incidentKey: incident.key,
    });
    created = args.createdIds.has(record.alertId) || (await outbox.record(record));
    if (created && !args.createdIds.has(record.alertId)) {
      args.createdIds.add(record.alertId);
      batch.countAlert(now);
    }
    crashPoint('alert-recorded');
  }
  // Before the incident is saved: once it is, a retry takes the known-incident path and would never add it.
  if (decision.action === 'digest') {
    const message = messageFor(decision.alertId!, mention ? 'mention' : 'incident', incident, deps, mention);
    // The hour of the decision: the digest of that hour has not gone out yet.
    await deps.repo.alerts.addDigestItem(incident.brandId, hourOf(now), {
      alertId: message.alertId,
      severity: message.severity,
      subject: message.subject,
      url: mention?.url,
    });
  }
  if (decision.action === 'suppress') {
    // Nothing rides on this save: the batch saves the incident once, with every suppressed growth in it.
    batch.saveLater(incident);
    return { saved: incident, record, created };
  }
  const saved = await deps.repo.incidents.save(incident);
  batch.saved(saved);
  if (record) crashPoint('incident-saved');
  return { saved, record, created };
}

/**
 * Group one mention in its brand's batch and commit the decision. Noting the incident on the mention and the
 * delivery are the caller's, after the brand's turn: they change nothing the next mention's grouping reads, so the
 * brand's queue waits only for incident saves. (A crash before the note leaves the mention ungrouped; the sweep
 * finds it in the incident and only notes it.)
 */
async function groupMention(
  mention: StoredMention,
  batch: GroupingBatch,
  deps: AlertDeps,
): Promise<{ outcome: FlaggedOutcome; record: AlertRecord | null }> {
  const cfg = deps.config.alerts;
  const brand = brandOf(deps.config, mention.brandId);
  const groupingCfg = { windowMinutes: cfg.incidents.windowMinutes, ignoreWords: [brand.name, ...brand.keywords] };
  // Records this call created, by id: a decision re-made after a lost race withdraws the ones it no longer wants.
  const createdIds = new Set<string>();
  for (let attempt = 1; ; attempt++) {
    const now = deps.now();
    const assignment = assignIncident(mention, batch.index, groupingCfg, now);
    if (assignment.duplicate) {
      return {
        outcome: { decision: null, incident: assignment.incident, newIncident: false, deliveries: [] },
        record: null,
      };
    }
    const decision = decideAlert({
      mention,
      incident: assignment.incident,
      isNew: assignment.isNew,
      recentAlertCountThisHour: await batch.alertsThisHour(now),
      cfg,
      now,
    });
    const incident = applyDecision(assignment.incident, decision, now);
    let committed: CommittedDecision;
    try {
      committed = await commitDecision({ decision, incident, mention, createdIds }, batch, deps, now);
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= INCIDENT_SAVE_ATTEMPTS) throw error;
      await batch.reload(incident.key); // someone else grew it (or created it): decide again on what is stored
      continue;
    }
    const outbox = alertOutbox(deps);
    for (const id of createdIds) if (id !== committed.record?.alertId) await outbox.withdraw(id, now);
    return {
      outcome: { decision, incident: committed.saved, newIncident: assignment.isNew, deliveries: [] },
      record: committed.record,
    };
  }
}

/**
 * A flagged mention arrived (DynamoDB stream on AWS, straight after storing locally): group it into an incident,
 * decide, and alert once. Safe to call again for the same mention: it then only finishes a failed delivery.
 * `fresh` says the caller has just stored it (no incident yet), which saves a read. Never throws for a conflict or
 * a busy brand: the mention stays ungrouped and the sweep's catch-up groups it.
 */
export async function handleFlaggedMention(
  mention: StoredMention,
  deps: AlertDeps,
  opts: { fresh?: boolean } = {},
): Promise<FlaggedOutcome> {
  if (!opts.fresh) {
    // Already grouped (a redelivery, or a later pass): the stored mention knows its incident, however old.
    const stored = await deps.repo.mentions.get(mention.sourceId, mention.id);
    const known = stored?.incidentKey ? await deps.repo.incidents.get(mention.brandId, stored.incidentKey) : undefined;
    if (known) {
      return { decision: null, incident: known, newIncident: false, deliveries: await finishPending(known, deps) };
    }
  }
  let grouped: { outcome: FlaggedOutcome; record: AlertRecord | null };
  try {
    grouped = await grouping(deps).withBrand(mention.brandId, deps.now(), (batch) =>
      groupMention(mention, batch, deps),
    );
  } catch (error) {
    if (error instanceof ConflictError || error instanceof GroupingBusyError) {
      return { decision: null, newIncident: false, deliveries: [], deferred: error.message };
    }
    throw error;
  }
  const { outcome, record } = grouped;
  if (outcome.incident) await deps.repo.mentions.setIncident(mention.sourceId, mention.id, outcome.incident.key);
  if (record) crashPoint('mention-noted');
  if (record) outcome.deliveries.push(await alertOutbox(deps).deliver(record));
  else if (outcome.decision === null && outcome.incident)
    outcome.deliveries.push(...(await finishPending(outcome.incident, deps)));
  return outcome;
}

/** The alerts of an incident that some sink has not confirmed: delivered again to those sinks only. */
async function finishPending(incident: Incident, deps: AlertDeps): Promise<DeliveryOutcome[]> {
  const outbox = alertOutbox(deps);
  const outcomes: DeliveryOutcome[] = [];
  const pending = await deps.repo.alerts.listUndelivered(deps.now().toISOString());
  for (const record of pending.filter((r) => r.incidentKey === incident.key && r.brandId === incident.brandId)) {
    const outcome = await outbox.deliver(record);
    if (outcome.sent.length > 0 || outcome.failed.length > 0) outcomes.push(outcome);
  }
  return outcomes;
}

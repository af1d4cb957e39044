import type { Severity } from '../analysis/types';
import type { AlertKind } from '../alert';
import type { Incident } from '../incident';
import type { StoredMention } from '../mention';
import { digestAlertId, incidentAlertId, mentionAlertId } from '../alert-id';
import { atLeast, hourOf, minutesBetween } from './common';

/**
 * The alert policy: one alert per incident, updates only when it grows past a configured size, no repeats within a
 * cooldown, and at most `hourlyCap` alerts per brand per hour (the rest go into an hourly digest). Pure: the caller
 * reads state, asks for a decision, sends, then stores `applyDecision`'s incident.
 */

export interface AlertPolicyConfig {
  minSeverity: Exclude<Severity, 'none'>;
  hourlyCap: number;
  incidents: { cooldownMinutes: number; updateAt: number[] };
}

export type AlertAction = 'alert' | 'update' | 'digest' | 'suppress';

export interface AlertDecision {
  action: AlertAction;
  /** Why, for logs and the `run --json` summary: e.g. `new-incident`, `incident-grew-to-5`, `cooldown`. */
  reason: string;
  /** Deterministic id of the alert to send (for a digest: the alert the digest entry stands for); null when suppressed. */
  alertId: string | null;
  /** Kind of the alert record to write; null when suppressed. */
  kind: AlertKind | null;
  severity: Severity;
  /** The incident size this alert covers; recorded in `incident.alertedSizes` by `applyDecision`. */
  coversSize?: number;
  /** For a digest decision only: the id of the hour's digest the alert joins. */
  digestId?: string;
}

export interface DecideAlertInput {
  mention: StoredMention;
  /** The mention's incident after `assignIncident`. */
  incident: Incident;
  isNew: boolean;
  /** Alerts (not digests) already sent for this brand in the current UTC hour. */
  recentAlertCountThisHour: number;
  cfg: AlertPolicyConfig;
  now: Date;
}

function suppress(reason: string, severity: Severity): AlertDecision {
  return { action: 'suppress', reason, alertId: null, kind: null, severity };
}

/** The largest configured size the incident has reached beyond everything already alerted, if any. */
function pendingUpdateSize(incident: Incident, updateAt: readonly number[]): number | undefined {
  const alreadyAlerted = Math.max(0, ...incident.alertedSizes);
  const reached = updateAt.filter((size) => size <= incident.size && size > alreadyAlerted);
  return reached.length > 0 ? Math.max(...reached) : undefined;
}

export function decideAlert(input: DecideAlertInput): AlertDecision {
  const { mention, incident, recentAlertCountThisHour, cfg, now } = input;
  // The incident carries the highest severity of its mentions: a mild mention joining a severe incident still counts.
  const severity = incident.severity;
  if (!atLeast(severity, cfg.minSeverity))
    return suppress(`below-min-severity (${severity} < ${cfg.minSeverity})`, severity);

  let proposed: AlertDecision;
  if (incident.alertedSizes.length === 0) {
    // First alert of the incident: a new incident, or one whose earlier mentions were all below minSeverity.
    proposed = {
      action: 'alert',
      reason: input.isNew ? 'new-incident' : 'incident-reached-min-severity',
      alertId: mentionAlertId(mention),
      kind: 'mention',
      severity,
      coversSize: incident.size,
    };
  } else {
    const update = proposeUpdate(incident, cfg, now);
    if (update.action === 'suppress') return update;
    proposed = update;
  }
  return capped(proposed, incident, recentAlertCountThisHour, cfg, now);
}

/**
 * The update an incident that already alerted is due (it grew past an `updateAt` size), or a suppression: nothing
 * new, or still within the cooldown (the next mention, or the sweeper after the cooldown, catches up).
 */
function proposeUpdate(incident: Incident, cfg: AlertPolicyConfig, now: Date): AlertDecision {
  const severity = incident.severity;
  const size = pendingUpdateSize(incident, cfg.incidents.updateAt);
  if (size === undefined) return suppress('covered-by-incident-alert', severity);
  if (incident.lastAlertAt && minutesBetween(incident.lastAlertAt, now) < cfg.incidents.cooldownMinutes) {
    return suppress(`cooldown (incident reached ${size})`, severity);
  }
  return {
    action: 'update',
    reason: `incident-grew-to-${size}`,
    alertId: incidentAlertId(incident, size),
    kind: 'incident',
    severity,
    coversSize: size,
  };
}

/**
 * For the sweeper: an update that an incident owes because the cooldown held it back and no further mention came.
 * Incidents that never alerted (all below minSeverity) are left to their next mention.
 */
export function decideIncidentUpdate(
  incident: Incident,
  recentAlertCountThisHour: number,
  cfg: AlertPolicyConfig,
  now: Date,
): AlertDecision {
  if (incident.alertedSizes.length === 0 || !atLeast(incident.severity, cfg.minSeverity)) {
    return suppress('not-alerted-yet', incident.severity);
  }
  const update = proposeUpdate(incident, cfg, now);
  return update.action === 'suppress' ? update : capped(update, incident, recentAlertCountThisHour, cfg, now);
}

/** Past the brand's hourly cap a paging alert becomes an entry in the hour's digest. */
function capped(
  proposed: AlertDecision,
  incident: Incident,
  recentAlertCountThisHour: number,
  cfg: AlertPolicyConfig,
  now: Date,
): AlertDecision {
  const severity = proposed.severity;
  if (recentAlertCountThisHour >= cfg.hourlyCap) {
    return {
      action: 'digest',
      reason: `hourly-cap (${cfg.hourlyCap}) reached: ${proposed.reason}`,
      alertId: proposed.alertId,
      kind: 'digest',
      severity,
      coversSize: proposed.coversSize,
      digestId: digestAlertId(incident.brandId, hourOf(now)),
    };
  }
  return proposed;
}

/**
 * The incident after a decision went out: the covered size is recorded so it never alerts twice; a paging alert
 * (not a digest) also starts the cooldown.
 */
export function applyDecision(incident: Incident, decision: AlertDecision, now: Date): Incident {
  if (decision.action === 'suppress' || decision.coversSize === undefined) return incident;
  if (incident.alertedSizes.includes(decision.coversSize)) return incident;
  return {
    ...incident,
    alertedSizes: [...incident.alertedSizes, decision.coversSize].sort((a, b) => a - b),
    lastAlertAt: decision.action === 'digest' ? incident.lastAlertAt : now.toISOString(),
  };
}

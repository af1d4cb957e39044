import type { Severity } from '../analysis/types';
import type { AlertRecord } from '../alert';
import { minutesBetween } from './common';
import { escalationAlertId } from '../alert-id';

/**
 * Escalation: a high or critical alert nobody acknowledged goes to the escalation topic after `afterMinutes`
 * (level 1), and once more after twice that (level 2). Each level goes out once.
 */

export interface EscalationConfig {
  afterMinutes: number;
  severities: Severity[];
}

export interface DueEscalation {
  alert: AlertRecord;
  level: number;
  /** `escalation#<alertId>#<level>`. */
  alertId: string;
}

export const MAX_ESCALATION_LEVEL = 2;

/** Kinds that are about a customer problem someone should pick up (digests and escalations are not escalated). */
export const ESCALATABLE_KINDS: ReadonlySet<AlertRecord['kind']> = new Set(['mention', 'incident', 'spike']);

export function dueEscalations(alerts: readonly AlertRecord[], cfg: EscalationConfig, now: Date): DueEscalation[] {
  const severities = new Set(cfg.severities);
  const due: DueEscalation[] = [];
  for (const alert of alerts) {
    if (alert.acknowledgedAt || !severities.has(alert.severity) || !ESCALATABLE_KINDS.has(alert.kind)) continue;
    const age = minutesBetween(alert.createdAt, now);
    const reachedLevel = Math.min(MAX_ESCALATION_LEVEL, Math.floor(age / cfg.afterMinutes));
    const sentLevel = Math.max(0, ...alert.escalatedLevels);
    // If the sweeper missed a run, send only the highest level now due: one page, not two at once.
    if (reachedLevel >= 1 && reachedLevel > sentLevel) {
      due.push({ alert, level: reachedLevel, alertId: escalationAlertId(alert.alertId, reachedLevel) });
    }
  }
  return due;
}

/** The alert record after an escalation level went out. */
export function markEscalated(alert: AlertRecord, level: number): AlertRecord {
  if (alert.escalatedLevels.includes(level)) return alert;
  return { ...alert, escalatedLevels: [...alert.escalatedLevels, level].sort((a, b) => a - b) };
}

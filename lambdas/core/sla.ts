import type { Severity } from './analysis/types';
import type { TriageState } from './triage';

/**
 * First-response SLA of a flagged mention: the time from entering the triage queue to the first person acting on it
 * (acknowledge, resolve or false positive), per severity. Pure: the clock is an argument.
 */

/** Minutes allowed per severity; a severity without an entry has no SLA. */
export type SlaPolicy = Partial<Record<Severity, number>>;

export const DEFAULT_SLA: Readonly<Required<Omit<SlaPolicy, 'none'>>> = {
  critical: 15,
  high: 60,
  medium: 240,
  low: 1440,
};

/** An open mention is "due soon" when less than this share of its SLA is left. */
export const DUE_SOON_SHARE = 0.25;

/** ok / due_soon / overdue while waiting; met / missed once someone responded. */
export type SlaState = 'ok' | 'due_soon' | 'overdue' | 'met' | 'missed';

export interface SlaStatus {
  state: SlaState;
  /** When the first response is (was) due. */
  dueAt: string;
  minutes: number;
  respondedAt?: string;
}

const RESPONSES = new Set(['acknowledged', 'resolved', 'false_positive']);

export function slaStartOf(triage: TriageState | undefined, storedAt: string): string {
  return triage?.history.find((event) => event.action === 'created')?.at ?? storedAt;
}

export function slaOf(
  mention: { severity: Severity; storedAt: string; triage?: TriageState },
  policy: SlaPolicy,
  now: Date,
): SlaStatus | undefined {
  const minutes = policy[mention.severity];
  if (minutes === undefined || !mention.triage) return undefined;
  const start = Date.parse(slaStartOf(mention.triage, mention.storedAt));
  if (Number.isNaN(start)) return undefined;
  const due = start + minutes * 60_000;
  const dueAt = new Date(due).toISOString();
  const responded = mention.triage.history.find((event) => RESPONSES.has(event.action));
  if (responded) {
    return { state: Date.parse(responded.at) <= due ? 'met' : 'missed', dueAt, minutes, respondedAt: responded.at };
  }
  const left = due - now.getTime();
  const state = left < 0 ? 'overdue' : left < minutes * 60_000 * DUE_SOON_SHARE ? 'due_soon' : 'ok';
  return { state, dueAt, minutes };
}

/** "15m", "1h", "1.5h", "2d" or a number of minutes → minutes; undefined when it is none of these. */
export function parseSlaMinutes(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(m|min|minutes?|h|hours?|d|days?)?$/i.exec(value.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? 'm').toLowerCase()[0];
  const minutes = Number(match[1]) * (unit === 'h' ? 60 : unit === 'd' ? 1440 : 1);
  return minutes > 0 ? minutes : undefined;
}

import { EarshotError } from './errors';
/**
 * The triage state machine, pure. Flagged mentions start `new`; a person acknowledges, then resolves them, or
 * marks them `false_positive` (kept: it is the feedback that measures alert precision). Closed mentions can be
 * reopened (back to `acknowledged`: someone has looked at them). Assigning and noting work while a mention is open.
 *
 *   new ──ack──► acknowledged ──resolve──► resolved
 *    │ └──────────resolve──────────────────▲   │
 *    └──false_positive──► false_positive ◄─┘   │ (from new or acknowledged)
 *           resolved / false_positive ──reopen──► acknowledged
 */

export const TRIAGE_STATUSES = ['new', 'acknowledged', 'resolved', 'false_positive'] as const;
export type TriageStatus = (typeof TRIAGE_STATUSES)[number];

export interface TriageEvent {
  at: string;
  action: 'created' | 'acknowledged' | 'resolved' | 'false_positive' | 'assigned' | 'noted' | 'reopened';
  by?: string;
  note?: string;
}

export interface TriageState {
  status: TriageStatus;
  assignee?: string;
  note?: string;
  updatedAt: string;
  history: TriageEvent[];
}

export const TRIAGE_ACTIONS = ['acknowledge', 'resolve', 'false_positive', 'reopen', 'assign', 'note'] as const;
export type TriageAction = (typeof TRIAGE_ACTIONS)[number];

export interface TriageActionOptions {
  /** ISO time of the action. */
  now: string;
  by?: string;
  note?: string;
  /** Required for `assign`. */
  assignee?: string;
}

const OPEN: readonly TriageStatus[] = ['new', 'acknowledged'];
const CLOSED: readonly TriageStatus[] = ['resolved', 'false_positive'];

/** Which statuses each action may start from, and where it leaves the mention (undefined: status unchanged). */
const RULES: Record<TriageAction, { from: readonly TriageStatus[]; to?: TriageStatus; verb: string }> = {
  acknowledge: { from: ['new'], to: 'acknowledged', verb: 'acknowledge' },
  resolve: { from: OPEN, to: 'resolved', verb: 'resolve' },
  false_positive: { from: OPEN, to: 'false_positive', verb: 'mark as false positive' },
  reopen: { from: CLOSED, to: 'acknowledged', verb: 'reopen' },
  assign: { from: OPEN, verb: 'assign' },
  note: { from: OPEN, verb: 'add a note to' },
};

const EVENT_OF: Record<TriageAction, TriageEvent['action']> = {
  acknowledge: 'acknowledged',
  resolve: 'resolved',
  false_positive: 'false_positive',
  reopen: 'reopened',
  assign: 'assigned',
  note: 'noted',
};

/** History is kept on the item; cap it so a much-discussed mention cannot outgrow DynamoDB's item size. */
export const MAX_HISTORY = 100;

/** The action is not allowed from the mention's current status (HTTP 409). */
export class TriageTransitionError extends EarshotError {
  override readonly name = 'TriageTransitionError';
  constructor(
    readonly action: TriageAction,
    readonly status: TriageStatus,
  ) {
    const rule = RULES[action];
    super(
      `cannot ${rule.verb} a mention that is ${status} (allowed from: ${rule.from.join(', ')})`,
      'triage_transition',
      409,
    );
  }
}

/** The action is missing something it needs, e.g. an assignee (HTTP 400). */
export class TriageInputError extends EarshotError {
  override readonly name = 'TriageInputError';
  constructor(message: string) {
    super(message, 'triage_input', 400);
  }
}

/** The state a flagged mention enters the queue with. */
export function newTriageState(now: string): TriageState {
  return { status: 'new', updatedAt: now, history: [{ at: now, action: 'created' }] };
}

/** Whether `action` is allowed from `status`, without applying it. */
export function canApply(status: TriageStatus, action: TriageAction): boolean {
  return RULES[action].from.includes(status);
}

/** Apply one action: returns the new state (the input is not modified) or throws a Triage*Error. */
export function applyTriageAction(state: TriageState, action: TriageAction, opts: TriageActionOptions): TriageState {
  const rule = RULES[action];
  if (!rule) throw new TriageInputError(`unknown triage action "${String(action)}"`);
  const assignee = opts.assignee?.trim() || undefined;
  const note = opts.note?.trim() || undefined;
  if (action === 'assign' && !assignee) throw new TriageInputError('assign needs an assignee');
  if (action === 'note' && !note) throw new TriageInputError('note needs a non-empty note');
  if (!rule.from.includes(state.status)) throw new TriageTransitionError(action, state.status);

  const event: TriageEvent = { at: opts.now, action: EVENT_OF[action] };
  if (opts.by) event.by = opts.by;
  if (note) event.note = note;
  if (action === 'assign') event.note = note ? `assigned to ${assignee}: ${note}` : `assigned to ${assignee}`;

  const next: TriageState = {
    ...state,
    status: rule.to ?? state.status,
    updatedAt: opts.now,
    history: [...state.history, event].slice(-MAX_HISTORY),
  };
  if (action === 'assign') next.assignee = assignee;
  if (note) next.note = note;
  return next;
}

// ---- feedback: how precise are the flags? -------------------------------------------------------------------------

/** What the stats need to know about one flagged mention. */
export interface TriageStatsInput {
  sourceId: string;
  status: TriageStatus;
  /** Names of the cues that fired on it. */
  cues: string[];
}

/** Precision = (reviewed − false positives) / reviewed, where reviewed = no longer `new`; null before any review. */
export interface PrecisionRow {
  key: string;
  flagged: number;
  reviewed: number;
  falsePositives: number;
  precision: number | null;
}

export interface TriageStats {
  brandId?: string;
  flagged: number;
  byStatus: Record<TriageStatus, number>;
  reviewed: number;
  falsePositives: number;
  precision: number | null;
  /** Worst precision first, so the cue that misfires most leads. */
  byCue: PrecisionRow[];
  bySource: PrecisionRow[];
}

export function triageStatsOf(items: readonly TriageStatsInput[]): Omit<TriageStats, 'brandId'> {
  const byStatus: Record<TriageStatus, number> = { new: 0, acknowledged: 0, resolved: 0, false_positive: 0 };
  const total = emptyRow('all');
  const cues = new Map<string, PrecisionRow>();
  const sources = new Map<string, PrecisionRow>();
  for (const item of items) {
    byStatus[item.status] = (byStatus[item.status] ?? 0) + 1;
    const rows = [total, rowOf(sources, item.sourceId), ...[...new Set(item.cues)].map((cue) => rowOf(cues, cue))];
    for (const row of rows) {
      row.flagged++;
      if (item.status !== 'new') row.reviewed++;
      if (item.status === 'false_positive') row.falsePositives++;
    }
  }
  const finish = (rows: Iterable<PrecisionRow>) =>
    [...rows]
      .map(withPrecision)
      .sort((a, b) => (a.precision ?? 2) - (b.precision ?? 2) || b.flagged - a.flagged || a.key.localeCompare(b.key));
  const all = withPrecision(total);
  return {
    flagged: all.flagged,
    byStatus,
    reviewed: all.reviewed,
    falsePositives: all.falsePositives,
    precision: all.precision,
    byCue: finish(cues.values()),
    bySource: finish(sources.values()),
  };
}

function emptyRow(key: string): PrecisionRow {
  return { key, flagged: 0, reviewed: 0, falsePositives: 0, precision: null };
}

function rowOf(rows: Map<string, PrecisionRow>, key: string): PrecisionRow {
  let row = rows.get(key);
  if (!row) rows.set(key, (row = emptyRow(key)));
  return row;
}

function withPrecision(row: PrecisionRow): PrecisionRow {
  const precision =
    row.reviewed === 0 ? null : Math.round(((row.reviewed - row.falsePositives) / row.reviewed) * 1000) / 1000;
  return { ...row, precision };
}

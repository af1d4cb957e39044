import {
  MAX_HISTORY,
  TriageInputError,
  TriageTransitionError,
  applyTriageAction,
  canApply,
  newTriageState,
  triageStatsOf,
  type TriageAction,
} from '../../lambdas/core/triage';
import type { TriageState, TriageStatus } from '../../lambdas/core/triage';

const T0 = '2024-05-01T10:00:00.000Z';
const T1 = '2024-05-01T11:00:00.000Z';

function stateIn(status: TriageStatus): TriageState {
  return { ...newTriageState(T0), status };
}

describe('applyTriageAction', () => {
  test('a new mention starts with a created event', () => {
    expect(newTriageState(T0)).toEqual({ status: 'new', updatedAt: T0, history: [{ at: T0, action: 'created' }] });
  });

  test('new → acknowledged → resolved, each step recorded with who and when', () => {
    const start = newTriageState(T0);
    const acked = applyTriageAction(start, 'acknowledge', { now: T1, by: 'sam' });
    const resolved = applyTriageAction(acked, 'resolve', { now: T1, by: 'kim', note: 'refund issued' });
    expect(acked.status).toBe('acknowledged');
    expect(resolved).toEqual({
      status: 'resolved',
      updatedAt: T1,
      note: 'refund issued',
      history: [
        { at: T0, action: 'created' },
        { at: T1, action: 'acknowledged', by: 'sam' },
        { at: T1, action: 'resolved', by: 'kim', note: 'refund issued' },
      ],
    });
    // The input is not modified.
    expect(start.history).toHaveLength(1);
    expect(start.status).toBe('new');
  });

  test.each<[TriageStatus, TriageAction, TriageStatus]>([
    ['new', 'resolve', 'resolved'],
    ['new', 'false_positive', 'false_positive'],
    ['acknowledged', 'false_positive', 'false_positive'],
    ['resolved', 'reopen', 'acknowledged'],
    ['false_positive', 'reopen', 'acknowledged'],
  ])('%s --%s--> %s', (from, action, to) => {
    expect(applyTriageAction(stateIn(from), action, { now: T1 }).status).toBe(to);
  });

  test.each<[TriageStatus, TriageAction, string]>([
    ['false_positive', 'resolve', 'cannot resolve a mention that is false_positive'],
    ['resolved', 'false_positive', 'cannot mark as false positive a mention that is resolved'],
    ['acknowledged', 'acknowledge', 'cannot acknowledge a mention that is acknowledged'],
    ['resolved', 'acknowledge', 'cannot acknowledge a mention that is resolved'],
    ['new', 'reopen', 'cannot reopen a mention that is new'],
    ['resolved', 'assign', 'cannot assign a mention that is resolved'],
    ['false_positive', 'note', 'cannot add a note to a mention that is false_positive'],
  ])('from %s, %s is refused', (from, action, message) => {
    const attempt = () => applyTriageAction(stateIn(from), action, { now: T1, assignee: 'kim', note: 'x' });
    expect(attempt).toThrow(TriageTransitionError);
    expect(attempt).toThrow(message);
    expect(canApply(from, action)).toBe(false);
  });

  test('assign and note keep the status and need their value', () => {
    const assigned = applyTriageAction(stateIn('acknowledged'), 'assign', { now: T1, by: 'sam', assignee: ' kim ' });
    expect(assigned.status).toBe('acknowledged');
    expect(assigned.assignee).toBe('kim');
    expect(assigned.history.at(-1)).toEqual({ at: T1, action: 'assigned', by: 'sam', note: 'assigned to kim' });
    const noted = applyTriageAction(assigned, 'note', { now: T1, note: 'customer called back' });
    expect(noted).toMatchObject({ status: 'acknowledged', assignee: 'kim', note: 'customer called back' });

    expect(() => applyTriageAction(stateIn('new'), 'assign', { now: T1, assignee: '  ' })).toThrow(TriageInputError);
    expect(() => applyTriageAction(stateIn('new'), 'note', { now: T1 })).toThrow('note needs a non-empty note');
  });

  test('history is capped so the item cannot grow without bound', () => {
    let state = newTriageState(T0);
    for (let i = 0; i < MAX_HISTORY + 20; i++) state = applyTriageAction(state, 'note', { now: T1, note: `n${i}` });
    expect(state.history).toHaveLength(MAX_HISTORY);
    expect(state.history.at(-1)?.note).toBe(`n${MAX_HISTORY + 19}`);
  });
});

describe('triageStatsOf', () => {
  test('precision = (reviewed − false positives) / reviewed, per cue and per source, worst first', () => {
    const stats = triageStatsOf([
      { sourceId: 'hn', status: 'false_positive', cues: ['churn', 'negativity'] },
      { sourceId: 'hn', status: 'resolved', cues: ['negativity', 'negativity'] },
      { sourceId: 'rss', status: 'acknowledged', cues: ['churn'] },
      { sourceId: 'rss', status: 'new', cues: ['effort'] },
    ]);
    expect(stats.byStatus).toEqual({ new: 1, acknowledged: 1, resolved: 1, false_positive: 1 });
    expect(stats).toMatchObject({ flagged: 4, reviewed: 3, falsePositives: 1, precision: 0.667 });
    expect(stats.byCue).toEqual([
      { key: 'churn', flagged: 2, reviewed: 2, falsePositives: 1, precision: 0.5 },
      { key: 'negativity', flagged: 2, reviewed: 2, falsePositives: 1, precision: 0.5 },
      { key: 'effort', flagged: 1, reviewed: 0, falsePositives: 0, precision: null },
    ]);
    expect(stats.bySource.map((row) => [row.key, row.precision])).toEqual([
      ['hn', 0.5],
      ['rss', 1],
    ]);
  });

  test('no reviews yet: precision is null, not 0 or 1', () => {
    expect(triageStatsOf([{ sourceId: 'hn', status: 'new', cues: [] }]).precision).toBeNull();
    expect(triageStatsOf([]).flagged).toBe(0);
  });
});

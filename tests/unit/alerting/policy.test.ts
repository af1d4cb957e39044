import { assignIncident } from '../../../lambdas/core/alerting/incidents';
import {
  applyDecision,
  decideAlert,
  type AlertDecision,
  type DecideAlertInput,
} from '../../../lambdas/core/alerting/policy';
import type { Incident } from '../../../lambdas/core/incident';
import { NOW, defaultAlerts, incident, mention, minutesAgo } from './helpers';

const cfg = defaultAlerts;

function decide(overrides: Partial<DecideAlertInput> = {}): AlertDecision {
  return decideAlert({
    mention: mention('lost my baggage on AC123', { id: 't3_abc' }),
    incident: incident(),
    isNew: true,
    recentAlertCountThisHour: 0,
    cfg,
    now: NOW,
    ...overrides,
  });
}

describe('decideAlert', () => {
  it('alerts on a new incident with a deterministic mention alert id', () => {
    const decision = decide();
    expect(decision).toMatchObject({
      action: 'alert',
      kind: 'mention',
      alertId: 'mention#acme-reddit#t3_abc',
      coversSize: 1,
      severity: 'high',
    });
    expect(decide()).toEqual(decision);
  });

  it('suppresses below minSeverity', () => {
    const decision = decide({ incident: incident({ severity: 'low' }) });
    expect(decision.action).toBe('suppress');
    expect(decision.alertId).toBeNull();
    expect(decision.reason).toMatch(/below-min-severity/);
    expect(decide({ incident: incident({ severity: 'medium' }) }).action).toBe('alert');
    expect(decide({ cfg: { ...cfg, minSeverity: 'critical' } }).action).toBe('suppress');
  });

  it('alerts once for an incident that reaches minSeverity later', () => {
    const grown = incident({ size: 3, severity: 'high', alertedSizes: [] });
    expect(decide({ incident: grown, isNew: false })).toMatchObject({
      action: 'alert',
      reason: 'incident-reached-min-severity',
      coversSize: 3,
    });
  });

  it('alerts once, then updates only at 5, 20 and 100 as the incident grows', () => {
    let current: Incident = incident({ size: 0, mentionKeys: [] });
    const sent: string[] = [];
    let now = NOW;
    for (let size = 1; size <= 120; size++) {
      now = new Date(now.getTime() + 60 * 60_000); // an hour apart: cooldown never in the way
      current = { ...current, size };
      const decision = decide({ incident: current, isNew: size === 1, now });
      if (decision.action !== 'suppress') sent.push(`${size}:${decision.action}:${decision.alertId}`);
      current = applyDecision(current, decision, now);
    }
    expect(sent).toEqual([
      '1:alert:mention#acme-reddit#t3_abc',
      `5:update:incident#acme#${current.key}#5`,
      `20:update:incident#acme#${current.key}#20`,
      `100:update:incident#acme#${current.key}#100`,
    ]);
    expect(current.alertedSizes).toEqual([1, 5, 20, 100]);
  });

  it('suppresses an already covered incident with a reason', () => {
    const decision = decide({ incident: incident({ size: 3, alertedSizes: [1] }), isNew: false });
    expect(decision).toMatchObject({ action: 'suppress', reason: 'covered-by-incident-alert', alertId: null });
  });

  it('holds an update back during the cooldown and catches up on the next mention', () => {
    const justAlerted = incident({ size: 5, alertedSizes: [1], lastAlertAt: minutesAgo(10) });
    const held = decide({ incident: justAlerted, isNew: false });
    expect(held.action).toBe('suppress');
    expect(held.reason).toMatch(/cooldown/);
    expect(applyDecision(justAlerted, held, NOW)).toBe(justAlerted);

    const later = new Date(NOW.getTime() + cfg.incidents.cooldownMinutes * 60_000);
    const caughtUp = decide({ incident: { ...justAlerted, size: 6 }, isNew: false, now: later });
    expect(caughtUp).toMatchObject({ action: 'update', coversSize: 5 });
    expect(caughtUp.alertId).toBe(`incident#acme#${justAlerted.key}#5`);
  });

  it('jumps to the largest size reached when several were crossed at once', () => {
    const decision = decide({ incident: incident({ size: 23, alertedSizes: [1] }), isNew: false });
    expect(decision).toMatchObject({ action: 'update', coversSize: 20 });
  });

  it('sends a digest instead once the hourly cap is reached', () => {
    const decision = decide({ recentAlertCountThisHour: cfg.hourlyCap });
    expect(decision).toMatchObject({
      action: 'digest',
      kind: 'digest',
      alertId: 'mention#acme-reddit#t3_abc',
      digestId: 'digest#acme#2024-05-01T12',
      coversSize: 1,
    });
    expect(decide({ recentAlertCountThisHour: cfg.hourlyCap - 1 }).action).toBe('alert');
  });

  it('records a digested size without starting the cooldown', () => {
    const start = incident({ size: 1 });
    const digested = applyDecision(start, decide({ recentAlertCountThisHour: 99 }), NOW);
    expect(digested.alertedSizes).toEqual([1]);
    expect(digested.lastAlertAt).toBeUndefined();
    const alerted = applyDecision(start, decide(), NOW);
    expect(alerted.lastAlertAt).toBe(NOW.toISOString());
  });

  it('works end to end with assignIncident: six similar mentions page once and update once', () => {
    const texts = [
      'lost baggage on flight AC123',
      'baggage lost AC123 nobody answers',
      'AC123 lost baggage again',
      'still no baggage from AC123, lost for days',
      'lost baggage AC123, claim closed',
      'AC123 baggage lost, terrible',
    ];
    let incidents: Incident[] = [];
    const actions: string[] = [];
    texts.forEach((text, i) => {
      const now = new Date(NOW.getTime() + i * 40 * 60_000);
      const m = mention(text, { createdAt: now.toISOString() });
      const { incident: assigned, isNew } = assignIncident(m, incidents, cfg.incidents, now);
      const decision = decideAlert({ mention: m, incident: assigned, isNew, recentAlertCountThisHour: 0, cfg, now });
      actions.push(decision.action);
      const saved = applyDecision(assigned, decision, now);
      incidents = [...incidents.filter((x) => x.key !== saved.key), saved];
    });
    expect(actions).toEqual(['alert', 'suppress', 'suppress', 'suppress', 'update', 'suppress']);
    expect(incidents).toHaveLength(1);
  });
});

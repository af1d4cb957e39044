import { dueEscalations, markEscalated } from '../../../lambdas/core/alerting/escalation';
import { NOW, alertRecord, defaultAlerts, minutesAgo } from './helpers';

const cfg = defaultAlerts.escalation; // 30 minutes, high and critical

describe('dueEscalations', () => {
  it('is due after the window, at level 1 with a deterministic id', () => {
    const alert = alertRecord({ createdAt: minutesAgo(31) });
    expect(dueEscalations([alert], cfg, NOW)).toEqual([
      { alert, level: 1, alertId: 'escalation#mention#acme-reddit#t3_abc#1' },
    ]);
    expect(dueEscalations([alertRecord({ createdAt: minutesAgo(29) })], cfg, NOW)).toEqual([]);
  });

  it('sends each level once, and level 2 after twice the window', () => {
    let alert = alertRecord({ createdAt: minutesAgo(35) });
    const [first] = dueEscalations([alert], cfg, NOW);
    alert = markEscalated(alert, first.level);
    expect(dueEscalations([alert], cfg, NOW)).toEqual([]);

    const at61 = new Date(Date.parse(alert.createdAt) + 61 * 60_000);
    const [second] = dueEscalations([alert], cfg, at61);
    expect(second.level).toBe(2);
    alert = markEscalated(alert, second.level);
    expect(alert.escalatedLevels).toEqual([1, 2]);
    const muchLater = new Date(Date.parse(alert.createdAt) + 600 * 60_000);
    expect(dueEscalations([alert], cfg, muchLater)).toEqual([]);
  });

  it('sends only the highest level due when the sweeper was late', () => {
    const due = dueEscalations([alertRecord({ createdAt: minutesAgo(300) })], cfg, NOW);
    expect(due.map((d) => d.level)).toEqual([2]);
  });

  it('never escalates an acknowledged alert', () => {
    const acked = alertRecord({ createdAt: minutesAgo(90), acknowledgedAt: minutesAgo(80), acknowledgedBy: 'lan' });
    expect(dueEscalations([acked], cfg, NOW)).toEqual([]);
  });

  it('only escalates the configured severities and alert kinds', () => {
    const old = minutesAgo(45);
    const alerts = [
      alertRecord({ alertId: 'medium', severity: 'medium', createdAt: old }),
      alertRecord({ alertId: 'critical', severity: 'critical', createdAt: old }),
      alertRecord({ alertId: 'digest#acme#2024-05-01T11', kind: 'digest', createdAt: old }),
      alertRecord({ alertId: 'escalation#x#1', kind: 'escalation', createdAt: old }),
    ];
    expect(dueEscalations(alerts, cfg, NOW).map((d) => d.alert.alertId)).toEqual(['critical']);
    expect(dueEscalations(alerts, { ...cfg, severities: ['critical'] }, NOW)).toHaveLength(1);
  });
});

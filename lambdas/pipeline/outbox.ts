import type { AlertRecord } from '../core/alert';
import { hourOf } from '../core/alerting/common';
import { deliver, type AlertSink } from '../sinks';
import type { AlertDeps, DeliveryOutcome } from './alert-deps';
import { crashPoint } from './crash-points';

/**
 * The delivery outbox. An alert is recorded once (a deterministic id and a conditional put), then delivered under a
 * lease (one deliverer at a time: a stream retry and the sweep never both send it) to the sinks that do not have it
 * yet, each confirmation marked. What a sink did not confirm stays in the outbox and the sweep sends it again.
 */
export interface AlertOutbox {
  /** Record the alert unless it exists; true when this call created it. */
  record(record: AlertRecord): Promise<boolean>;
  /** Lease, deliver to the sinks missing it, mark each confirmation, release. */
  deliver(record: AlertRecord): Promise<DeliveryOutcome>;
  /** Record, then deliver: for alerts whose decision needs nothing else saved (spikes, digests, escalations). */
  send(record: AlertRecord): Promise<DeliveryOutcome>;
  /** Take back a recorded alert nobody has received: its decision lost a race and was re-made differently. */
  withdraw(alertId: string, at: Date): Promise<void>;
}

function sinksFor(record: Pick<AlertRecord, 'kind'>, deps: AlertDeps): readonly AlertSink[] {
  return record.kind === 'escalation' ? (deps.escalationSinks ?? deps.sinks) : deps.sinks;
}

export function alertOutbox(deps: AlertDeps): AlertOutbox {
  const { alerts, counters } = deps.repo;

  const record = async (alert: AlertRecord): Promise<boolean> => {
    const created = await alerts.putOnce(alert);
    // The brand's alerts this hour feed the hourly cap; an escalation re-pages an alert already counted.
    if (created && alert.kind !== 'escalation') {
      await counters.add(alert.brandId, alert.sourceId ?? 'brand', hourOf(deps.now()), { alerted: 1 });
    }
    return created;
  };

  const deliverRecord = async (alert: AlertRecord): Promise<DeliveryOutcome> => {
    const outcome: DeliveryOutcome = { alertId: alert.alertId, kind: alert.kind, sent: [], failed: [] };
    // someone else is sending it (a lease taken before `soleDelivererSince` was a gone process's, and is void)
    if (!(await alerts.lease(alert.alertId, deps.now(), { voidBefore: deps.soleDelivererSince }))) return outcome;
    try {
      crashPoint('delivery-leased');
      // Read again under the lease: another deliverer may have just finished.
      const current = (await alerts.get(alert.alertId)) ?? alert;
      if (!current.message || current.acknowledgedAt || current.withdrawnAt) {
        // Nothing to send: delivered in full, seen by a person already, or withdrawn after a lost race.
        await alerts.markFullyDelivered(current.alertId);
        return outcome;
      }
      const result = await deliver(current.message, sinksFor(current, deps), current.deliveredTo);
      await Promise.all(result.sent.map((sink) => alerts.markDelivered(current.alertId, sink)));
      if (result.failed.length === 0) await alerts.markFullyDelivered(current.alertId);
      else await alerts.markDeliveryFailed(current.alertId, deps.now().toISOString());
      return { ...outcome, sent: result.sent, failed: result.failed };
    } finally {
      await alerts.releaseLease(alert.alertId);
    }
  };

  return {
    record,
    deliver: deliverRecord,
    async send(alert) {
      await record(alert);
      return deliverRecord(alert);
    },
    async withdraw(alertId, at) {
      await alerts.withdraw(alertId, at.toISOString());
    },
  };
}

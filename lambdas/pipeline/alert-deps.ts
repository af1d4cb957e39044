import type { AlertMessage, AlertRecord } from '../core/alert';
import type { EarshotConfig } from '../config/schema';
import type { AlertSink } from '../sinks';
import type { Repository } from '../store/repository';

/** What every step of the alert path needs: the store, the sinks, the config and a clock. */
export interface AlertDeps {
  repo: Repository;
  sinks: readonly AlertSink[];
  /** Where escalations go (the escalation topic on AWS); defaults to `sinks`. */
  escalationSinks?: readonly AlertSink[];
  /** The parts of the config the alert path reads (all a Lambda's deployed config has: handlers/deployed-config.ts). */
  config: Pick<EarshotConfig, 'brands' | 'sources' | 'alerts' | 'retentionDays'>;
  now: () => Date;
  /** Base URL of the deployed triage API, shown in alerts. */
  triageApiUrl?: string;
  /** A local run's config file, shown in the ack commands alerts print. */
  configPath?: string;
  /**
   * This process is the store's only deliverer since this instant (a local store: one process holds it). An alert
   * recorded or leased before it belongs to a process that is gone: nobody is delivering it, so the sweep sends it
   * at once (no grace period) and its lease is void. Unset on AWS, where another Lambda may be mid-delivery.
   */
  soleDelivererSince?: Date;
}

export interface DeliveryOutcome {
  alertId: string;
  kind: AlertRecord['kind'];
  /** Sinks that received it in this call. */
  sent: string[];
  failed: { sink: string; error: string }[];
}

const ALERT_RECORD_TTL_DAYS = 90;

export function brandOf(config: Pick<EarshotConfig, 'brands'>, brandId: string) {
  const brand = config.brands.find((b) => b.id === brandId);
  if (!brand) throw new Error(`mention of unknown brand "${brandId}"`);
  return brand;
}

/** The outbox record of a formatted alert, created at `now`. */
export function alertRecord(message: AlertMessage, now: Date, extra: Partial<AlertRecord> = {}): AlertRecord {
  return {
    alertId: message.alertId,
    brandId: message.brandId,
    kind: message.kind,
    severity: message.severity,
    createdAt: now.toISOString(),
    subject: message.subject,
    escalatedLevels: [],
    deliveredTo: [],
    message,
    expiresAt: Math.floor(now.getTime() / 1000) + ALERT_RECORD_TTL_DAYS * 86_400,
    ...extra,
  };
}

/** True when a delivery did something worth reporting (sent to a sink, or failed). */
export function attempted(outcome: DeliveryOutcome | null | undefined): outcome is DeliveryOutcome {
  return outcome !== null && outcome !== undefined && (outcome.sent.length > 0 || outcome.failed.length > 0);
}

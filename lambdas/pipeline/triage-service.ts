import { applyTriageAction, type TriageAction, type TriageStats, type TriageStatus } from '../core/triage';
import { titleAndText } from '../core/alerting/format';
import type { AlertRecord } from '../core/alert';
import { parseEscalationAlertId } from '../core/alert-id';
import type { StoredMention } from '../core/mention';
import { ConflictError, NotFoundError } from '../core/errors';
import type { Repository } from '../store/repository';

/**
 * Triage operations shared by the CLI (`earshot triage list|show|ack|ack-alert|resolve|false-positive|assign|stats`)
 * and the triage HTTP API, so both behave the same.
 */

/** Who acts and what they add; `assignee` is for `assign`, `note` is optional except for `note`. */
export interface TriageActor {
  by?: string;
  note?: string;
  assignee?: string;
}

/** One row of the queue: enough to decide what to open. */
export interface TriageItem {
  sourceId: string;
  id: string;
  brandId: string;
  kind: string;
  status: TriageStatus;
  severity: string;
  memorability: number;
  createdAt: string;
  updatedAt: string;
  assignee?: string;
  author?: string;
  url?: string;
  excerpt: string;
  cues: string[];
  incidentKey?: string;
}

/** The outcome of acknowledging an alert by id. */
export interface AlertAck {
  /** The alert as stored after the call. */
  alert: AlertRecord;
  /** False when it was already acknowledged (the call changed nothing). */
  acknowledgedNow: boolean;
  /** The escalated alert, when `alert` is an escalation: acknowledging one acknowledges the other. */
  original?: AlertRecord;
}

const EXCERPT_LENGTH = 160;
/** A conflicting concurrent update is retried on a fresh read; after that the caller sees it. */
const MAX_ATTEMPTS = 3;
/** Triage actions that mean a person has looked at the mention: they acknowledge its alerts. */
const ACTIONS_THAT_ACKNOWLEDGE: readonly TriageAction[] = ['acknowledge', 'resolve', 'false_positive'];

export function toTriageItem(m: StoredMention): TriageItem {
  const text = titleAndText(m.title, m.text);
  return {
    sourceId: m.sourceId,
    id: m.id,
    brandId: m.brandId,
    kind: m.kind,
    status: m.triage?.status ?? 'new',
    severity: m.analysis.severity,
    memorability: m.analysis.memorability,
    createdAt: m.createdAt,
    updatedAt: m.triage?.updatedAt ?? m.storedAt,
    assignee: m.triage?.assignee,
    author: m.author,
    url: m.url,
    excerpt: text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH - 1)}…` : text,
    cues: m.analysis.cues.filter((cue) => cue.strength > 0).map((cue) => cue.name),
    incidentKey: m.incidentKey,
  };
}

export class TriageService {
  constructor(
    readonly repo: Repository,
    private readonly clock: () => string = () => new Date().toISOString(),
  ) {}

  async list(query: { brandId: string; status?: TriageStatus; limit?: number }): Promise<TriageItem[]> {
    return (await this.repo.mentions.triageQueue(query)).map(toTriageItem);
  }

  async show(sourceId: string, id: string): Promise<StoredMention> {
    const mention = await this.repo.mentions.get(sourceId, id);
    if (!mention) throw new NotFoundError(`no mention ${sourceId}/${id}`);
    return mention;
  }

  ack(sourceId: string, id: string, actor: TriageActor = {}): Promise<StoredMention> {
    return this.apply(sourceId, id, 'acknowledge', actor);
  }

  resolve(sourceId: string, id: string, actor: TriageActor = {}): Promise<StoredMention> {
    return this.apply(sourceId, id, 'resolve', actor);
  }

  falsePositive(sourceId: string, id: string, actor: TriageActor = {}): Promise<StoredMention> {
    return this.apply(sourceId, id, 'false_positive', actor);
  }

  reopen(sourceId: string, id: string, actor: TriageActor = {}): Promise<StoredMention> {
    return this.apply(sourceId, id, 'reopen', actor);
  }

  assign(sourceId: string, id: string, actor: TriageActor): Promise<StoredMention> {
    return this.apply(sourceId, id, 'assign', actor);
  }

  note(sourceId: string, id: string, actor: TriageActor): Promise<StoredMention> {
    return this.apply(sourceId, id, 'note', actor);
  }

  /**
   * Acknowledge an alert by its id, which stops its escalation: the way to acknowledge alerts that have no mention
   * to triage (spikes, digests). Idempotent: an alert already acknowledged is returned as it is. An escalation is
   * acknowledged together with the alert it escalates, since that one is what the sweeper escalates further.
   * `actor.note` is not stored: alert records keep only who acknowledged and when.
   */
  async ackAlert(alertId: string, actor: TriageActor = {}): Promise<AlertAck> {
    const by = actor.by ?? 'triage';
    const now = this.clock();
    const acknowledgedNow = await this.repo.alerts.acknowledge(alertId, by, now);
    const alert = await this.repo.alerts.get(alertId);
    if (!alert) throw new NotFoundError(`no alert ${alertId}`);
    const originalId = alert.kind === 'escalation' ? parseEscalationAlertId(alertId)?.originalAlertId : undefined;
    if (!originalId) return { alert, acknowledgedNow };
    await this.repo.alerts.acknowledge(originalId, by, now);
    return { alert, acknowledgedNow, original: await this.repo.alerts.get(originalId) };
  }

  stats(brandId?: string): Promise<TriageStats> {
    return this.repo.mentions.triageStats(brandId);
  }

  /**
   * Apply any action. A concurrent update is retried on a fresh read, where the transition rules decide again
   * (two people acknowledging at once: the second gets "cannot acknowledge a mention that is acknowledged").
   * Acknowledging, resolving or marking a false positive also acknowledges the mention's alerts (and its
   * incident's), which stops their escalation.
   */
  async apply(sourceId: string, id: string, action: TriageAction, actor: TriageActor = {}): Promise<StoredMention> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.applyOnce(sourceId, id, action, actor, this.clock());
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }

  /** One attempt: read, apply the transition rules, write conditionally (ConflictError if someone was faster). */
  private async applyOnce(
    sourceId: string,
    id: string,
    action: TriageAction,
    actor: TriageActor,
    now: string,
  ): Promise<StoredMention> {
    const current = await this.repo.mentions.get(sourceId, id);
    if (!current) throw new NotFoundError(`no mention ${sourceId}/${id}`);
    if (!current.triage) throw new NotFoundError(`mention ${sourceId}/${id} is not flagged, so it is not in triage`);
    const next = applyTriageAction(current.triage, action, { ...actor, now });
    await this.repo.mentions.writeTriage(current, next);
    if (ACTIONS_THAT_ACKNOWLEDGE.includes(action)) await this.acknowledgeAlertsOf(current, actor.by ?? 'triage', now);
    return { ...current, triage: next };
  }

  /** Acknowledge every alert about this mention and about its incident; returns how many were acknowledged now. */
  private async acknowledgeAlertsOf(mention: StoredMention, by: string, now: string): Promise<number> {
    let acknowledged = 0;
    for (const alertId of await this.repo.alerts.linkedTo(mention)) {
      if (await this.repo.alerts.acknowledge(alertId, by, now)) acknowledged++;
    }
    return acknowledged;
  }
}

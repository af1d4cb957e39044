/**
 * Alert ids: deterministic, so a retry or a second deliverer finds the same record instead of sending twice.
 * Every id is built and read here, nowhere else:
 *
 *   mention#<sourceId>#<mentionId>               the first alert of a single-mention incident
 *   incident#<brandId>#<incidentKey>#<size>      an incident reaching a configured size
 *   spike#<brandId>#<hour>                       a brand's volume spike in one UTC hour
 *   escalation#<original alert id>#<level>       an unacknowledged alert escalated (levels 1, 2, …)
 *   digest#<brandId>#<hour>                      alerts held back by the hourly cap, sent after the hour
 *
 * Mention keys (`<sourceId>#<mentionId>`) name a mention wherever alerting refers to one. Source ids are slugs
 * (no `#`), so the first `#` of a mention key ends the source id; a mention id may itself contain `#`.
 */

export interface MentionRef {
  sourceId: string;
  id: string;
}

/** The key of a mention everywhere in alerting: `sourceId#id`. */
export function mentionKeyOf(mention: MentionRef): string {
  return `${mention.sourceId}#${mention.id}`;
}

/** The mention a key names; undefined for a string that is not a mention key. */
export function parseMentionKey(key: string): MentionRef | undefined {
  const at = key.indexOf('#');
  if (at <= 0 || at === key.length - 1) return undefined;
  return { sourceId: key.slice(0, at), id: key.slice(at + 1) };
}

export function mentionAlertId(mention: MentionRef): string {
  return `mention#${mentionKeyOf(mention)}`;
}

export function incidentAlertId(incident: { brandId: string; key: string }, size: number): string {
  return `incident#${incident.brandId}#${incident.key}#${size}`;
}

export function spikeAlertId(brandId: string, hour: string): string {
  return `spike#${brandId}#${hour}`;
}

export function escalationAlertId(alertId: string, level: number): string {
  return `escalation#${alertId}#${level}`;
}

export function digestAlertId(brandId: string, hour: string): string {
  return `digest#${brandId}#${hour}`;
}

const ESCALATION_ID = /^escalation#(.+)#(\d+)$/;

/** The alert an escalation id escalates, and at which level; undefined for any other id. */
export function parseEscalationAlertId(alertId: string): { originalAlertId: string; level: number } | undefined {
  const match = ESCALATION_ID.exec(alertId);
  return match ? { originalAlertId: match[1], level: Number(match[2]) } : undefined;
}

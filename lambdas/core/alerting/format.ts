import { CUE_LABELS, CUE_LABELS_VI, type Cue, type Severity } from '../analysis/types';
import type { SourceKind } from '../mention';
import {
  DIGEST_ITEMS_MAX,
  EXCERPT_MAX,
  MESSAGE_VERSION,
  SUBJECT_MAX,
  type AlertJson,
  type AlertKind,
  type AlertMessage,
  type AlertRecord,
  type ChatbotNotification,
  type DigestItem,
} from '../alert';
import { parseMentionKey } from '../alert-id';
import { CONTROL_CHARS, truncate } from '../text';
import type { Incident } from '../incident';
import type { StoredMention } from '../mention';
import { maxSeverity, severityRank } from './common';
import { termSpellings } from './incidents';
import type { Spike } from './spikes';

/**
 * Alert messages: a subject (< 100 characters, SNS's limit), a readable body that always says why, a
 * machine-readable JSON form (with an AWS Chatbot custom-notification payload) and SNS message attributes for
 * subscription filter policies. All text from the outside world goes through `sanitize`.
 */

interface Common {
  alertId: string;
  brandName?: string;
  /** Base URL of the triage HTTP API, when deployed; the route is shown relative otherwise. */
  triageApiUrl?: string;
  /** The config file of a local run, so the printed ack command opens the right store. */
  configPath?: string;
}

export interface FormatInputs {
  mention: Common & { mention: StoredMention; incident?: Incident };
  incident: Common & { incident: Incident; mention?: StoredMention };
  spike: Omit<Common, 'alertId'> & { spike: Spike; examples?: StoredMention[] };
  escalation: Common & { original: AlertRecord; level: number; mention?: StoredMention; now?: Date };
  digest: Common & { brandId: string; hour: string; items: DigestItem[] };
}

// ---------------------------------------------------------------------------------------------------------------
// Sanitizing

// Slack control sequences: <!channel>, <!here|...>, <@U123>, <#C123>, <http://...|label>.
const SLACK_SEQUENCE = /<([!@#][^>]*|(?:https?|mailto):[^>]*)>/gi;
const BROADCAST_MENTION = /@(here|channel|everyone)\b/gi;
const MARKDOWN_LINK = /\]\(/g;
const LEADING_QUOTE = /^(\s*>)+/;
const WHITESPACE = /\s+/g;
// What Slack, email clients and terminals turn into links: anything with a scheme, www. hosts, and bare host names
// ending in a common or two-letter top-level domain (so "evil.example/login" and "acme.co" both count).
const URL_LIKE =
  /\b[a-z][a-z0-9+.-]*:\/\/[^\s<>"]*|\bwww\.[^\s<>"]+|\b(?:[a-z0-9-]+\.)+(?:com|net|org|info|biz|io|app|dev|xyz|online|site|shop|top|link|click|example|[a-z]{2})\b(?:\/[^\s<>"]*)?/gi;

/** Defang a link: `https://evil.example/x` → `hxxps[:]//evil[.]example/x`, readable but never clickable. */
function defang(url: string): string {
  return url.replace(/^http/i, 'hxxp').replace(/:\/\//, '[:]//').replace(/\./g, '[.]');
}

export interface SanitizeOptions {
  /** HTML-escape `<`, `>` and `&` (email, Slack mrkdwn). Otherwise angle brackets become ‹ ›. Default true. */
  html?: boolean;
}

/**
 * Make outside text safe to show in Slack, email and terminals: one line, no controls or invisible characters, no
 * pings, no markup, no clickable links (URLs are defanged; the mention's own link is shown through `safeUrl`).
 */
export function sanitize(text: string, options: SanitizeOptions = {}): string {
  let out = text.replace(CONTROL_CHARS, '');
  // Keep the label of a Slack link or the name of a mention, drop its power.
  out = out.replace(SLACK_SEQUENCE, (_all, inner: string) => {
    const [target, label] = inner.split('|', 2);
    return label ?? target.replace(/^[!]/, '');
  });
  out = out.replace(URL_LIKE, defang);
  out = out.replace(BROADCAST_MENTION, '＠$1').replace(/`/g, "'").replace(MARKDOWN_LINK, '] (');
  out = out.replace(WHITESPACE, ' ').trim().replace(LEADING_QUOTE, '').trim();
  if (options.html === false) return out.replace(/</g, '‹').replace(/>/g, '›');
  return out.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// ---------------------------------------------------------------------------------------------------------------
// Pieces

const SOURCE_NAMES: Record<SourceKind, string> = {
  hackernews: 'Hacker News',
  reddit: 'Reddit',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  appstore: 'App Store',
  googleplay: 'Google Play',
  youtube: 'YouTube',
  trustpilot: 'Trustpilot',
  rss: 'RSS',
  webhook: 'Webhook',
  facebook: 'Facebook',
  zalo: 'Zalo OA',
  tiki: 'Tiki',
  shopee: 'Shopee',
  xenforo: 'Forum',
  tiktok: 'TikTok',
  lazada: 'Lazada',
  googlereviews: 'Google reviews',
  vnexpress: 'VnExpress',
};

// Made on first use, not at import: building a number format takes ~10 ms of a Lambda's init otherwise.
let numberFormat: Intl.NumberFormat | undefined;
const formatNumber = (n: number): string => (numberFormat ??= new Intl.NumberFormat('en-US')).format(n);

function brandName(brandId: string, name?: string): string {
  return sanitize(name ?? brandId, { html: false });
}

/** Only http(s) links, with characters that could close a Slack link escaped. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return parsed.href.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E');
  } catch {
    return undefined;
  }
}

/** Characters a POSIX shell, Slack mrkdwn and markdown all leave alone; `#` and `-` only after the first one. */
const PLAIN_ARG = /^[A-Za-z0-9_./][A-Za-z0-9_.:/@+=,#-]*$/;

/** Quote one argument for a POSIX shell: plain words bare, anything else in single quotes. */
export function shellQuote(arg: string): string {
  return PLAIN_ARG.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

/**
 * Percent-encode everything but letters, digits, `_` and `.`: the result means nothing to a shell, Slack, markdown
 * or a URL parser, and `decodeURIComponent` gives back the exact value (NULs and newlines included).
 */
export function encodeArg(value: string): string {
  return Array.from(new TextEncoder().encode(value), (byte) => {
    const char = String.fromCharCode(byte);
    return /[A-Za-z0-9_.]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

/**
 * The CLI arguments that name source-chosen ids. Plain ids are printed as they are; any other id (quotes,
 * backticks, `$(…)`, `;`, newlines, NULs, Slack markup…) is printed percent-encoded behind `--encoded`, which the
 * CLI decodes: the printed line cannot run anything, survives every sink's rendering, and names the exact id.
 * Nothing rewrites it afterwards.
 */
export function idArgs(ids: string[]): string {
  return ids.every((id) => PLAIN_ARG.test(id)) ? ids.join(' ') : `--encoded ${ids.map(encodeArg).join(' ')}`;
}

/** A URL path segment with the sub-delimiters markdown and Slack react to (`( ) ! ' *`) encoded too. */
function encodeSegment(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function configArg(configPath?: string): string {
  return configPath ? ` --config ${shellQuote(configPath)}` : '';
}

/** The CLI command and the API route that acknowledge something. Ids are encoded, never sanitized afterwards. */
function ackCommand(cliArgs: string, apiPath: string, triageApiUrl?: string, configPath?: string) {
  const base = safeUrl(triageApiUrl)?.replace(/\/+$/, '') ?? '';
  return {
    cli: `npx earshot triage ${cliArgs}${configArg(configPath)}`,
    api: `POST ${base}/triage/${apiPath}/ack`,
  };
}

/** How to acknowledge a mention (and so its alerts); ids come from sources (an RSS guid is free text). */
export function ackInstructions(
  sourceId: string,
  id: string,
  triageApiUrl?: string,
  configPath?: string,
): { cli: string; api: string } {
  const apiPath = `${encodeSegment(sourceId)}/${encodeSegment(id)}`;
  return ackCommand(`ack ${idArgs([sourceId, id])}`, apiPath, triageApiUrl, configPath);
}

/** How to acknowledge an alert that is not about one mention (a spike), by its id. */
export function alertAckInstructions(
  alertId: string,
  triageApiUrl?: string,
  configPath?: string,
): { cli: string; api: string } {
  return ackCommand(`ack-alert ${idArgs([alertId])}`, `alerts/${encodeSegment(alertId)}`, triageApiUrl, configPath);
}

function alertIdLine(alertId: string): string {
  return `Alert id: ${sanitize(alertId, { html: false })}`;
}

/** The mention's cues, strongest first; for a Vietnamese mention each is named in Vietnamese, then in English. */
function why(cues: readonly Cue[], language?: string): NonNullable<AlertJson['why']> {
  const vi = language === 'vi';
  return [...cues]
    .filter((cue) => cue.strength > 0)
    .sort((a, b) => b.strength - a.strength)
    .map((cue) => ({
      cue: cue.name,
      label:
        vi && CUE_LABELS_VI[cue.name]
          ? `${CUE_LABELS_VI[cue.name]} — ${CUE_LABELS[cue.name]}`
          : (CUE_LABELS[cue.name] ?? cue.name),
      strength: Math.round(cue.strength * 100) / 100,
      evidence: cue.evidence.map((words) => sanitize(words, { html: false })).filter(Boolean),
    }));
}

function whyLines(items: NonNullable<AlertJson['why']>): string[] {
  return items.map((item) => {
    const evidence = item.evidence.map((words) => `"${sanitize(words)}"`).join(', ');
    return `  • ${item.label} (${item.strength.toFixed(2)})${evidence ? `: ${evidence}` : ''}`;
  });
}

function quotedSubject(prefix: string, quote: string): string {
  const room = SUBJECT_MAX - prefix.length - 2;
  if (room < 8) return truncate(prefix, SUBJECT_MAX);
  return `${prefix}"${truncate(quote, room)}"`;
}

/**
 * A mention's title and text as one line, the title once: Reddit and RSS texts often start with their title, and
 * "X — X …" reads as a glitch. Compared on collapsed whitespace, so a title cut or spaced differently still counts.
 */
export function titleAndText(title: string | undefined, text: string): string {
  const flat = (value: string) => value.replace(/\s+/g, ' ').trim();
  const body = flat(text);
  const head = title ? flat(title) : '';
  if (!head || body.toLowerCase().startsWith(head.toLowerCase().replace(/[….]+$/, ''))) return body;
  return body ? `${head} — ${body}` : head;
}

function excerptOf(mention: StoredMention, html = true): string {
  return truncate(sanitize(titleAndText(mention.title, mention.text), { html }), EXCERPT_MAX);
}

/** "2026-06-10 12:00:00 UTC" */
function clock(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * When an incident's mentions were posted (the earliest and latest createdAt), or, for an incident stored before
 * those were kept, when they were grouped.
 */
export function postedTimes(incident: Pick<Incident, 'firstAt' | 'lastAt' | 'firstMentionAt' | 'lastMentionAt'>) {
  return incident.firstMentionAt !== undefined && incident.lastMentionAt !== undefined
    ? { first: incident.firstMentionAt, last: incident.lastMentionAt }
    : { first: incident.firstAt, last: incident.lastAt };
}

function postedSpan(incident: Incident): string {
  const { first, last } = postedTimes(incident);
  return incidentSpan(first, last);
}

/** When an incident's mentions came: one time when they share it, the date once when they share the day. */
export function incidentSpan(firstAt: string, lastAt: string): string {
  const first = clock(firstAt);
  const last = clock(lastAt);
  if (first === last) return `all at ${first}`;
  const sameDay = first.slice(0, 10) === last.slice(0, 10);
  return `first at ${first}, latest at ${sameDay ? last.slice(11) : last}`;
}

/**
 * An incident's key words as people wrote them, from the latest mention (whose words the signature lists first).
 * A reader gets "bảo hành", not also "bảo" and "hành", and no bare numbers ("3" says nothing; "AC123" does).
 */
function keyWords(incident: Incident, mention?: StoredMention): string[] {
  if (!mention) return [];
  const spellings = termSpellings(`${mention.title ?? ''} ${mention.text}`, mention.analysis.language);
  const candidates: string[] = [];
  for (const term of incident.signature) {
    const word = spellings.get(term);
    if (word !== undefined && !/^\p{N}+$/u.test(word) && !candidates.includes(word)) candidates.push(word);
  }
  const partOfLonger = (word: string) =>
    candidates.some((other) => other !== word && ` ${other} `.includes(` ${word} `));
  return candidates.filter((word) => !partOfLonger(word)).slice(0, 10);
}

function mentionJson(mention: StoredMention): NonNullable<AlertJson['mention']> {
  return {
    sourceId: mention.sourceId,
    id: mention.id,
    kind: mention.kind,
    url: safeUrl(mention.url),
    author: mention.author ? sanitize(mention.author, { html: false }) : undefined,
    authorReach: mention.authorReach,
    communitySize: mention.communitySize,
    createdAt: mention.createdAt,
    excerpt: excerptOf(mention, false),
    memorability: mention.analysis.memorability,
    compound: mention.analysis.sentiment.compound,
  };
}

function incidentJson(incident: Incident): NonNullable<AlertJson['incident']> {
  return {
    key: incident.key,
    size: incident.size,
    title: sanitize(incident.title, { html: false }),
    firstAt: incident.firstAt,
    lastAt: incident.lastAt,
    firstMentionAt: incident.firstMentionAt,
    lastMentionAt: incident.lastMentionAt,
    sources: incident.sources,
  };
}

/** The lines describing one mention: excerpt, link, author and reach, why, aspects, CX level. */
function mentionLines(mention: StoredMention, whyItems: NonNullable<AlertJson['why']>): string[] {
  const lines = [`> ${excerptOf(mention)}`];
  const url = safeUrl(mention.url);
  if (url) lines.push(`Link: ${url}`);
  const author = mention.author ? sanitize(mention.author) : 'unknown';
  const reach = mention.authorReach !== undefined ? ` (reach ${formatNumber(mention.authorReach)})` : '';
  // A community's size is the venue's, never the author's reach.
  const community =
    mention.communitySize !== undefined ? ` · in a community of ${formatNumber(mention.communitySize)} members` : '';
  lines.push(
    `Author: ${author}${reach} · ${SOURCE_NAMES[mention.kind] ?? mention.kind} (${mention.sourceId})${community}`,
  );
  lines.push(
    `Memorability ${mention.analysis.memorability.toFixed(2)} · sentiment ${mention.analysis.sentiment.compound.toFixed(2)}`,
  );
  lines.push(whyItems.length > 0 ? 'Why:' : 'Why: no cue fired (flagged by rating or rule)');
  lines.push(...whyLines(whyItems));
  if (mention.analysis.aspects.length > 0) lines.push(`Aspects: ${mention.analysis.aspects.join(', ')}`);
  if (mention.analysis.cxLevel) lines.push(`CX level that failed: ${mention.analysis.cxLevel}`);
  return lines;
}

function incidentLine(incident: Incident): string {
  const others = incident.size - 1;
  return others > 0
    ? `Incident: ${incident.size} similar mentions, ${postedSpan(incident)} (sources: ${incident.sources.join(', ')})`
    : `Incident: first mention of a new incident (${incident.key})`;
}

function ackLines(ack: { cli: string; api: string }): string[] {
  return [`Acknowledge: ${ack.cli}`, `   or ${ack.api}`];
}

function chatbot(
  title: string,
  description: string,
  nextSteps: string[],
  keywords: string[],
  alertId: string,
  threadId?: string,
): ChatbotNotification {
  return {
    version: '1.0',
    source: 'custom',
    id: alertId,
    content: { textType: 'client-markdown', title, description, nextSteps, keywords },
    metadata: { threadId, summary: title, eventType: 'earshot-alert' },
  };
}

function severityTag(severity: Severity): string {
  return `[${severity.toUpperCase()}]`;
}

/** What each kind of alert says; `assemble` turns it into the message every sink gets. */
interface MessageParts {
  kind: AlertKind;
  alertId: string;
  brandId: string;
  brandName: string;
  severity: Severity;
  subject: string;
  /** Source kind, or `all` for brand-wide alerts. */
  source: string;
  /** The body after the subject line (already sanitised). */
  lines: string[];
  ack?: { cli: string; api: string };
  keywords: string[];
  threadId?: string;
  /** The kind's own fields of the JSON payload. */
  json: Omit<
    AlertJson,
    'version' | 'kind' | 'alertId' | 'brand' | 'severity' | 'subject' | 'source' | 'acknowledge' | 'chatbot'
  >;
}

/** The one message assembler: text (subject, body, how to acknowledge, alert id), JSON, Chatbot card, attributes. */
function assemble(parts: MessageParts): AlertMessage {
  const { kind, alertId, brandId, severity, subject, source, lines, ack } = parts;
  const text = [sanitize(subject), ...lines, ...(ack ? ackLines(ack) : []), alertIdLine(alertId)].join('\n');
  const json: AlertJson = {
    version: MESSAGE_VERSION,
    kind,
    alertId,
    brand: { id: brandId, name: parts.brandName },
    severity,
    subject,
    source,
    ...parts.json,
    acknowledge: ack,
    chatbot: chatbot(
      sanitize(subject),
      lines.join('\n'),
      ack ? [ack.cli] : [],
      parts.keywords,
      alertId,
      parts.threadId,
    ),
  };
  return {
    alertId,
    kind,
    severity,
    brandId,
    subject,
    text,
    json,
    attributes: { brand: brandId, severity, source, kind },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Formatters

function formatMention(input: FormatInputs['mention']): AlertMessage {
  const { mention, incident, alertId } = input;
  const severity = mention.analysis.severity;
  const brand = brandName(mention.brandId, input.brandName);
  const sourceName = SOURCE_NAMES[mention.kind] ?? mention.kind;
  // The text, not the title: a comment's title is its thread's, and a post's text already starts with its title.
  const quote = sanitize(mention.text || mention.title || '', { html: false });
  const subject = quotedSubject(`${severityTag(severity)} ${brand} · ${sourceName} · `, quote);
  const whyItems = why(mention.analysis.cues, mention.analysis.language);
  const ack = ackInstructions(mention.sourceId, mention.id, input.triageApiUrl, input.configPath);
  const body = mentionLines(mention, whyItems);
  if (incident) body.push(incidentLine(incident));
  return assemble({
    kind: 'mention',
    alertId,
    brandId: mention.brandId,
    brandName: brand,
    severity,
    subject,
    source: mention.kind,
    lines: body,
    ack,
    keywords: [brand, severity, sourceName],
    threadId: incident?.key,
    json: {
      mention: mentionJson(mention),
      why: whyItems,
      aspects: mention.analysis.aspects,
      cxLevel: mention.analysis.cxLevel,
      incident: incident ? incidentJson(incident) : undefined,
    },
  });
}

function formatIncident(input: FormatInputs['incident']): AlertMessage {
  const { incident, mention, alertId } = input;
  const severity = incident.severity;
  const brand = brandName(incident.brandId, input.brandName);
  const subject = quotedSubject(
    `${severityTag(severity)} ${brand} · incident grew to ${incident.size} mentions · `,
    sanitize(incident.title, { html: false }),
  );
  const words = keyWords(incident, mention);
  const lines = [
    `Incident ${incident.key}: ${incident.size} similar mentions, ${postedSpan(incident)}`,
    `Sources: ${incident.sources.join(', ')}`,
    `Aspects: ${incident.aspects.join(', ') || 'none'}`,
    ...(words.length > 0 ? [`Key words: ${words.map((word) => sanitize(word)).join(', ')}`] : []),
  ];
  let whyItems: AlertJson['why'];
  let ack: { cli: string; api: string } | undefined;
  if (mention) {
    whyItems = why(mention.analysis.cues, mention.analysis.language);
    ack = ackInstructions(mention.sourceId, mention.id, input.triageApiUrl, input.configPath);
    lines.push('Latest mention:', ...mentionLines(mention, whyItems));
  }
  return assemble({
    kind: 'incident',
    alertId,
    brandId: incident.brandId,
    brandName: brand,
    severity,
    subject,
    source: mention?.kind ?? 'all',
    lines,
    ack,
    keywords: [brand, severity],
    threadId: incident.key,
    json: {
      mention: mention ? mentionJson(mention) : undefined,
      why: whyItems,
      aspects: incident.aspects,
      cxLevel: mention?.analysis.cxLevel,
      incident: incidentJson(incident),
    },
  });
}

function formatSpike(input: FormatInputs['spike']): AlertMessage {
  const { spike } = input;
  const severity: Severity = 'high';
  const brand = brandName(spike.brandId, input.brandName);
  const subject = truncate(
    `[SPIKE] ${brand} · ${spike.observed} negative mentions in hour ${spike.hour}Z (usually ${spike.expected})`,
    SUBJECT_MAX,
  );
  const lines = [
    `Observed ${spike.observed} negative mentions in ${spike.hour}:00 UTC; expected about ${spike.expected} ` +
      `(robust spread ${spike.spread}, threshold ${spike.threshold}, baseline ${spike.baselineHours} h).`,
  ];
  const examples = (input.examples ?? []).slice(0, 3);
  if (examples.length > 0) {
    lines.push('Examples:');
    for (const example of examples) {
      const url = safeUrl(example.url);
      lines.push(`  • ${truncate(sanitize(example.text), 160)}${url ? ` ${url}` : ''}`);
    }
  }
  const spikeAck = alertAckInstructions(spike.alertId, input.triageApiUrl, input.configPath);
  return assemble({
    kind: 'spike',
    alertId: spike.alertId,
    brandId: spike.brandId,
    brandName: brand,
    severity,
    subject,
    source: 'all',
    lines,
    ack: spikeAck,
    keywords: [brand, 'spike'],
    json: {
      spike: {
        hour: spike.hour,
        observed: spike.observed,
        expected: spike.expected,
        threshold: spike.threshold,
        baselineHours: spike.baselineHours,
      },
    },
  });
}

function formatEscalation(input: FormatInputs['escalation']): AlertMessage {
  const { original, level, mention, alertId } = input;
  const severity = original.severity;
  const brand = brandName(original.brandId, input.brandName);
  const minutes = input.now ? Math.round((input.now.getTime() - Date.parse(original.createdAt)) / 60_000) : undefined;
  const waited = minutes !== undefined ? ` ${minutes} min` : '';
  const originalSubject = sanitize(original.subject, { html: false });
  const subject = truncate(`[ESCALATION ${level}] unacknowledged${waited}: ${originalSubject}`, SUBJECT_MAX);
  const lines = [
    `Nobody has acknowledged this ${severity} ${original.kind} alert for ${brand}${waited ? ` after${waited}` : ''}.`,
    `Original alert: ${sanitize(original.subject)} (${sanitize(original.alertId)}, sent ${original.createdAt})`,
  ];
  const originalMention = original.mentionKey ? parseMentionKey(original.mentionKey) : undefined;
  let ack: { cli: string; api: string } | undefined;
  if (mention) {
    ack = ackInstructions(mention.sourceId, mention.id, input.triageApiUrl, input.configPath);
    lines.push(...mentionLines(mention, why(mention.analysis.cues, mention.analysis.language)));
  } else if (originalMention) {
    ack = ackInstructions(originalMention.sourceId, originalMention.id, input.triageApiUrl, input.configPath);
  } else {
    ack = alertAckInstructions(original.alertId, input.triageApiUrl, input.configPath);
  }
  return assemble({
    kind: 'escalation',
    alertId,
    brandId: original.brandId,
    brandName: brand,
    severity,
    subject,
    source: mention?.kind ?? 'all',
    lines,
    ack,
    keywords: [brand, severity, 'escalation'],
    threadId: original.incidentKey ?? original.alertId,
    json: {
      mention: mention ? mentionJson(mention) : undefined,
      escalation: {
        level,
        originalAlertId: original.alertId,
        originalSubject: original.subject,
        unacknowledgedMinutes: minutes,
      },
    },
  });
}

function formatDigest(input: FormatInputs['digest']): AlertMessage {
  const { items, alertId } = input;
  const brand = brandName(input.brandId, input.brandName);
  const severity = items.reduce<Severity>((worst, item) => maxSeverity(worst, item.severity), 'none');
  const subject = truncate(
    `[DIGEST] ${brand} · ${items.length} alert${items.length === 1 ? '' : 's'} held back in hour ${input.hour}Z (hourly cap)`,
    SUBJECT_MAX,
  );
  // The worst first, and only so many: a digest must stay well inside SNS's 256 KB (the triage queue has them all).
  const cleanItems = [...items]
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity))
    .slice(0, DIGEST_ITEMS_MAX)
    .map((item) => ({ ...item, subject: sanitize(item.subject, { html: false }), url: safeUrl(item.url) }));
  const more = items.length - cleanItems.length;
  const lines = [
    `The hourly alert cap for ${brand} was reached; these went into this digest instead of paging:`,
    ...cleanItems.map((item) => `  • ${sanitize(item.subject)}${item.url ? ` ${item.url}` : ''}`),
    ...(more > 0 ? [`  … and ${more} more in the triage queue (npx earshot triage list)`] : []),
  ];
  return assemble({
    kind: 'digest',
    alertId,
    brandId: input.brandId,
    brandName: brand,
    severity,
    subject,
    source: 'all',
    lines,
    keywords: [brand, 'digest'],
    json: { digest: { hour: input.hour, items: cleanItems } },
  });
}

/** Build the message for one alert of the given kind. */
export function formatAlert<K extends AlertKind>(kind: K, input: FormatInputs[K]): AlertMessage {
  switch (kind) {
    case 'mention':
      return formatMention(input as FormatInputs['mention']);
    case 'incident':
      return formatIncident(input as FormatInputs['incident']);
    case 'spike':
      return formatSpike(input as FormatInputs['spike']);
    case 'escalation':
      return formatEscalation(input as FormatInputs['escalation']);
    case 'digest':
      return formatDigest(input as FormatInputs['digest']);
    default:
      throw new Error(`unknown alert kind "${String(kind)}"`);
  }
}

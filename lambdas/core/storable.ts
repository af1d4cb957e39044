import { createHash } from 'node:crypto';
import type { Mention } from './mention';
import { mentionSchema } from './mention-schema';

/**
 * What the store can hold. DynamoDB limits a partition key to 2,048 bytes, a sort key to 1,024 and an item to
 * 400 KB; SQS a message to 256 KB. A source chooses ids and text, so one hostile item (a 3 KB RSS guid) must not
 * fail the whole hand-off and pin its source's cursor forever: long ids are hashed (deterministically, so a re-fetch
 * is still a duplicate), and items that still cannot be stored are rejected with a reason and passed by.
 */

/** Longest id kept as it is: the keys add the source id, a time and a few separators around it. */
export const MAX_ID_BYTES = 512;
/** Largest mention (as JSON) handed on; the stored item adds the analysis and keys. */
export const MAX_MENTION_BYTES = 200 * 1024;

/** The id as stored: unchanged when short, else a readable prefix plus a hash of the whole id. */
export function storableId(id: string): string {
  if (Buffer.byteLength(id, 'utf8') <= MAX_ID_BYTES) return id;
  const hash = createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 32);
  const prefix = Array.from(id.replace(/[^\w.:/@-]/g, ''))
    .slice(0, 64)
    .join('');
  return `${prefix}~sha256-${hash}`;
}

export type Storable = { ok: true; mention: Mention } | { ok: false; id: string; reason: string };

/** Make a mention storable (long id hashed, non-http(s) link dropped) or say why it cannot be. */
export function toStorable(mention: Mention): Storable {
  const id = storableId(String(mention.id ?? ''));
  const candidate: Mention = { ...mention, id };
  if (candidate.url !== undefined && !isHttpUrl(candidate.url)) delete candidate.url;
  const parsed = mentionSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, id, reason: `invalid item: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  const bytes = Buffer.byteLength(JSON.stringify(candidate), 'utf8');
  if (bytes > MAX_MENTION_BYTES) {
    return { ok: false, id, reason: `item too large: ${Math.round(bytes / 1024)} KB > ${MAX_MENTION_BYTES / 1024} KB` };
  }
  return { ok: true, mention: candidate };
}

/** Only http(s) links are kept: a `javascript:` URL must never reach a link in the inbox or an alert. */
export function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

import type { Mention } from '../../core/mention';

/** What a push source's delivery parser answers: mentions to ingest, or the HTTP status to refuse with. */
export type PushResult =
  | {
      ok: true;
      mentions: Mention[];
      /** Events acknowledged but not mentions (edits, other pages, own posts). */ ignored?: number;
    }
  | { ok: false; status: 400 | 401 | 413; error: string };

/** Case-insensitive header lookup over API Gateway / node header records. */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

export const MAX_PUSH_BODY_BYTES = 1_000_000;

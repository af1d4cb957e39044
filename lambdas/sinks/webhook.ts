import { createHash } from 'node:crypto';
import { truncate } from '../core/text';
import type { SecretRef, SecretResolver } from '../sources/secrets';
import type { AlertMessage, AlertSink } from './types';

export interface WebhookSinkOptions {
  timeoutMs?: number;
  /** Extra attempts after the first, for network errors, timeouts, 429 and 5xx. */
  retries?: number;
  /** First back-off delay; doubles on each retry. */
  retryDelayMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_RETRY_AFTER_MS = 10_000;

/** Slack incoming-webhook payload: `text` is the notification fallback, blocks the rich rendering. */
export function slackPayload(message: AlertMessage): { text: string; blocks: unknown[] } {
  const [, ...body] = message.text.split('\n');
  return {
    text: message.text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: truncate(message.subject, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: truncate(body.join('\n') || message.subject, 3000) } },
    ],
  };
}

/**
 * Slack-compatible HTTPS webhook. The URL's path is a secret (Slack hook URLs are bearer tokens), so the sink's
 * name and every error name only the host and a short hash of the URL.
 */
export function createWebhookSink(url: string, options: WebhookSinkOptions = {}): AlertSink {
  const host = new URL(url).host;
  const name = `webhook:${host}#${createHash('sha256').update(url).digest('hex').slice(0, 8)}`;
  return webhookSink(name, `webhook ${host}`, async () => url, options);
}

/** Where a webhook sink's URL is kept: an environment variable (local) or a secret (AWS). */
export type WebhookUrlRef = { env: string } | { secret: string };

/**
 * A webhook sink whose URL is a credential named by `ref`, read through `secrets` when an alert is sent (never at
 * start-up, so a run without alerts needs no credential; the resolver's cache decides how often it is re-read).
 * Its name (`webhook:env:NAME`, `webhook:secret:NAME`) stays the same whatever the URL is; errors name the
 * variable or secret, never the URL.
 */
export function createSecretWebhookSink(
  ref: WebhookUrlRef,
  secrets: SecretResolver,
  options: WebhookSinkOptions = {},
): AlertSink {
  const name = 'env' in ref ? `webhook:env:${ref.env}` : `webhook:secret:${ref.secret}`;
  const secretRef: SecretRef = { label: `alert sink ${name}`, ...ref };
  return webhookSink(
    name,
    name,
    async () => {
      const url = await secrets.resolve(secretRef);
      if (!isHttpUrl(url)) throw new Error(`${name}: the value is not an http(s) URL`);
      return url;
    },
    options,
  );
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value.trim()).protocol);
  } catch {
    return false;
  }
}

/** The delivery shared by both forms: POST the Slack payload, retrying transient failures. */
function webhookSink(
  name: string,
  label: string,
  resolveUrl: () => Promise<string>,
  options: WebhookSinkOptions,
): AlertSink {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const retries = options.retries ?? 2;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));

  async function attempt(
    url: string,
    body: string,
  ): Promise<{ retryable: boolean; error?: Error; retryAfterMs?: number }> {
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      // Duck-typed: the DOMException fetch throws may come from another realm, so instanceof is unreliable.
      const name = (err as { name?: unknown } | null)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      const reason = timedOut ? `timed out after ${timeoutMs} ms` : `failed: ${describe(err)}`;
      return { retryable: true, error: new Error(`${label} ${reason}`) };
    }
    await response.arrayBuffer().catch(() => undefined); // drain so the connection is reused
    if (response.ok) return { retryable: false };
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      retryable: response.status === 429 || response.status >= 500,
      error: new Error(`${label} answered HTTP ${response.status}`),
      retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
    };
  }

  return {
    name,
    async send(message: AlertMessage): Promise<void> {
      const url = (await resolveUrl()).trim();
      const body = JSON.stringify(slackPayload(message));
      for (let attemptNo = 0; ; attemptNo++) {
        const result = await attempt(url, body);
        if (!result.error) return;
        if (!result.retryable || attemptNo >= retries) throw result.error;
        await sleep(Math.min(MAX_RETRY_AFTER_MS, result.retryAfterMs ?? retryDelayMs * 2 ** attemptNo));
      }
    },
  };
}

/** An error's message without anything that could echo the URL. */
function describe(err: unknown): string {
  const { message, cause } = (err ?? {}) as { message?: unknown; cause?: { code?: unknown } };
  if (cause?.code !== undefined) return String(cause.code);
  return String(message ?? err).replace(/https?:\/\/\S+/g, '<url>');
}

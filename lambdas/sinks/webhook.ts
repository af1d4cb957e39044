import { createHash } from 'node:crypto';
import { truncate } from '../core/text';
import { HttpClient, HttpError } from '../sources/http';
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

/**
 * The delivery shared by both forms: POST the Slack payload through the one outbound HTTP client (timeouts,
 * bounded retries with backoff on 5xx and network errors, Retry-After on 429, no cross-origin redirects). The URL
 * is registered as a secret, so no error can carry it; errors name the sink's label instead.
 */
function webhookSink(
  name: string,
  label: string,
  resolveUrl: () => Promise<string>,
  options: WebhookSinkOptions,
): AlertSink {
  const timeoutMs = options.timeoutMs ?? 5_000;
  return {
    name,
    async send(message: AlertMessage): Promise<void> {
      const url = (await resolveUrl()).trim();
      // One client per send: its request and time budgets cover this alert's attempts only.
      const http = new HttpClient({
        timeoutMs,
        maxRetries: options.retries ?? 2,
        baseDelayMs: options.retryDelayMs ?? 500,
        maxWaitMs: MAX_RETRY_AFTER_MS,
        fetch: options.fetch,
        sleep: options.sleep,
      });
      http.addSecret(url);
      try {
        await http.request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(slackPayload(message)),
        });
      } catch (error) {
        throw new Error(describeFailure(label, error, timeoutMs, http), { cause: error });
      }
    },
  };
}

/** The sink's own words for a failed delivery: its label and what went wrong, never the URL. */
function describeFailure(label: string, error: unknown, timeoutMs: number, http: HttpClient): string {
  if (!(error instanceof HttpError))
    return `${label} failed: ${http.redact(String((error as Error)?.message ?? error))}`;
  if (error.status !== undefined) return `${label} answered HTTP ${error.status}`;
  if (error.kind === 'timeout') return `${label} timed out after ${timeoutMs} ms`;
  return `${label} failed: ${error.message}`;
}

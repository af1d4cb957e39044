import { EarshotError } from '../core/errors';
/**
 * The one HTTP client every source adapter uses: global fetch with a per-request timeout, bounded retries with
 * exponential backoff and full jitter on 5xx and network errors, 429 handling that honours Retry-After and the
 * sources' rate-limit headers, a per-poll request budget, and error messages that never carry credentials.
 * Sources are outside our control, so every poll is bounded: a response-size cap counted on the decompressed
 * stream (a gzip bomb is aborted, not inflated), a wall-clock budget, redirects followed by hand (each hop counts
 * against the request budget, cross-origin hops refused unless allowed, loops not retried).
 * Sleep, clock and randomness are injectable so tests run fast and deterministically.
 */

export const USER_AGENT = 'earshot/0.1 (+https://github.com/earshot; social listening)';

export type HttpErrorKind =
  'http' | 'rate_limited' | 'timeout' | 'network' | 'malformed' | 'budget' | 'too_large' | 'redirect' | 'stopped';

/** Default cap on one response body, after decompression. */
export const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
/** Default wall-clock budget of one poll (every request, retry and wait of it). */
export const DEFAULT_POLL_BUDGET_MS = 60_000;
/** Redirect hops followed for one request at most. */
export const MAX_REDIRECTS = 5;

/** A failed request. `message` is safe to log: URLs and bodies in it are redacted. */
export class HttpError extends EarshotError {
  override readonly name = 'HttpError';
  constructor(
    message: string,
    readonly kind: HttpErrorKind,
    /** The upstream's response status, when it answered. */
    readonly status?: number,
    /** The response body (truncated, redacted) for adapters that read error payloads (e.g. YouTube reasons). */
    readonly body?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message, 'upstream_failed', 502);
  }
}

export interface HttpClientOptions {
  userAgent?: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Retries after the first attempt on 5xx, network errors, timeouts and short 429 waits. */
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest rate-limit wait the client sleeps through; longer waits fail the poll with "retry after N s". */
  maxWaitMs?: number;
  /** Requests allowed per poll (every attempt and every redirect hop counts). */
  requestBudget?: number;
  /** Largest response body accepted, counted after decompression. */
  maxResponseBytes?: number;
  /** Wall-clock time one poll may take, from the client's creation (`forPoll`). */
  pollBudgetMs?: number;
  /** Follow redirects to another origin (scheme, host, port). Off: such a redirect fails the request. */
  allowCrossOriginRedirects?: boolean;
  sleep?: (ms: number) => Promise<void>;
  /** Epoch milliseconds. */
  now?: () => number;
  random?: () => number;
  fetch?: typeof fetch;
  /** Aborted when the process stops (Ctrl-C): requests in flight end, waits wake, nothing new starts or retries. */
  signal?: AbortSignal;
}

export interface HttpRequestOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | URLSearchParams;
  timeoutMs?: number;
  /** Statuses returned to the caller instead of thrown (e.g. 304 Not Modified). 2xx always are. */
  acceptStatus?: number[];
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  body: T;
  url: string;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The one redaction rule for every adapter, sink and log line: credential query parameters and anything derived
 * from a credential (signatures, HMAC proofs). The name may carry a prefix (`client_secret`, `app_secret`,
 * `appsecret_proof`, `X-Amz-Signature`); `sign`, `sig`, `mac` are the signed-request names Lazada, Shopee and
 * Zalo use. Also matched at the start of text or after a space, so a form body or `key=value` message is covered.
 */
const SECRET_QUERY =
  /((?:^|[?&\s])(?:api[_-]?key|key|(?:access|refresh|id|session)?_?token|[\w.-]*?(?:secret|password|signature|_proof)|sig|sign|hmac|mac)=)[^&#\s"']*/gim;
const AUTH_VALUE = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]+/g;
const JSON_SECRET =
  /("(?:accessJwt|refreshJwt|access_token|refresh_token|id_token|token|password|secret|client_secret|app_?secret|appsecret_proof|apikey|api_key|sign|signature)"\s*:\s*")[^"]*"/gi;

/** Remove credentials from text meant for logs and errors: secret query params, auth headers, token fields. */
export function redactSecrets(text: string, knownSecrets: Iterable<string> = []): string {
  let out = text.replace(SECRET_QUERY, '$1***').replace(AUTH_VALUE, '$1 ***').replace(JSON_SECRET, '$1***"');
  for (const secret of knownSecrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}

/** Seconds to wait from a `Retry-After` value: delta seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.max(0, Number(trimmed));
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - nowMs) / 1000);
}

/**
 * Seconds until a rate-limit window resets. Sources disagree on the unit: Reddit sends seconds until the reset,
 * Mastodon an ISO timestamp, Bluesky and X epoch seconds. Large numbers are therefore epoch seconds.
 */
export function parseRateLimitReset(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    return n > 1_000_000_000 ? Math.max(0, n - nowMs / 1000) : n;
  }
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - nowMs) / 1000);
}

function header(headers: Headers, ...names: string[]): string | null {
  for (const name of names) {
    const value = headers.get(name);
    if (value !== null) return value;
  }
  return null;
}

/** Seconds to wait before the next request according to a response's headers, if it says. */
function waitFromHeaders(headers: Headers, nowMs: number): number | undefined {
  const retryAfter = parseRetryAfter(headers.get('retry-after'), nowMs);
  if (retryAfter !== undefined) return retryAfter;
  return parseRateLimitReset(header(headers, 'x-ratelimit-reset', 'ratelimit-reset', 'x-rate-limit-reset'), nowMs);
}

/** Shared across the per-poll clients of one process: hosts that told us to pause, until when (epoch ms). */
type HostPauses = Map<string, number>;

export class HttpClient {
  private readonly options: Required<Omit<HttpClientOptions, 'fetch' | 'signal'>> &
    Pick<HttpClientOptions, 'fetch' | 'signal'>;
  private readonly pauses: HostPauses;
  private readonly secrets = new Set<string>();
  /** Requests made by this client (every attempt counts against the budget). */
  requestsMade = 0;
  /** Epoch ms after which this client starts no request and sleeps no more. */
  private readonly deadline: number;

  constructor(options: HttpClientOptions = {}, pauses: HostPauses = new Map()) {
    this.options = {
      userAgent: options.userAgent ?? USER_AGENT,
      timeoutMs: options.timeoutMs ?? 10_000,
      maxRetries: options.maxRetries ?? 3,
      baseDelayMs: options.baseDelayMs ?? 500,
      maxDelayMs: options.maxDelayMs ?? 8_000,
      maxWaitMs: options.maxWaitMs ?? 30_000,
      requestBudget: options.requestBudget ?? 30,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      pollBudgetMs: options.pollBudgetMs ?? DEFAULT_POLL_BUDGET_MS,
      allowCrossOriginRedirects: options.allowCrossOriginRedirects ?? false,
      sleep: options.sleep ?? defaultSleep,
      now: options.now ?? Date.now,
      random: options.random ?? Math.random,
      fetch: options.fetch,
      signal: options.signal,
    };
    this.pauses = pauses;
    this.deadline = this.options.now() + this.options.pollBudgetMs;
  }

  /** A client for one poll: fresh request budget, same sleep/clock/fetch and shared host pauses. */
  forPoll(
    overrides: Pick<
      HttpClientOptions,
      'timeoutMs' | 'requestBudget' | 'userAgent' | 'maxResponseBytes' | 'pollBudgetMs' | 'allowCrossOriginRedirects'
    > = {},
  ): HttpClient {
    const child = new HttpClient({ ...this.options, ...stripUndefined(overrides) }, this.pauses);
    for (const secret of this.secrets) child.secrets.add(secret);
    return child;
  }

  /** Register a credential value so it is scrubbed from every error message this client produces. */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 4) this.secrets.add(value);
  }

  redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }

  get budgetLeft(): number {
    return this.options.requestBudget - this.requestsMade;
  }

  sleep(ms: number): Promise<void> {
    return this.stoppable(this.options.sleep(ms), 'a wait');
  }

  /** Fail at once once the process is stopping: no request starts, no retry is tried. */
  private throwIfStopped(label: string): void {
    if (this.options.signal?.aborted) throw new HttpError(`stopped: ${label}`, 'stopped');
  }

  /** A wait that ends early, with the "stopped" error, when the process stops. */
  private stoppable(wait: Promise<void>, label: string): Promise<void> {
    const signal = this.options.signal;
    if (!signal) return wait;
    this.throwIfStopped(label);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(new HttpError(`stopped: ${label}`, 'stopped'));
      signal.addEventListener('abort', onAbort, { once: true });
      wait.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Milliseconds left of this poll's wall-clock budget. */
  get timeLeftMs(): number {
    return this.deadline - this.options.now();
  }

  /** Sleep before a retry, unless the wait would outlast the poll's budget. */
  private async pause(ms: number, label: string): Promise<void> {
    if (ms >= this.timeLeftMs) this.outOfTime(label);
    await this.stoppable(this.options.sleep(ms), label);
  }

  private outOfTime(label: string): never {
    throw new HttpError(
      `poll time budget of ${Math.round(this.options.pollBudgetMs / 1000)} s used up (at ${label})`,
      'budget',
    );
  }

  now(): number {
    return this.options.now();
  }

  async getJson(url: string, options: HttpRequestOptions = {}): Promise<HttpResponse<unknown>> {
    const response = await this.request(url, options);
    return { ...response, body: this.parseJson(response.body, url, response.status) };
  }

  async postJson(url: string, payload: unknown, options: HttpRequestOptions = {}): Promise<HttpResponse<unknown>> {
    const response = await this.request(url, {
      ...options,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(payload),
    });
    return { ...response, body: this.parseJson(response.body, url, response.status) };
  }

  /** Parse JSON with an error that names the host, not the whole (possibly secret-bearing) URL. */
  parseJson(text: string, url: string, status?: number): unknown {
    if (status === 304) return null;
    if (text.trim() === '') return this.malformed(url, 'empty body');
    try {
      return JSON.parse(text);
    } catch (error) {
      return this.malformed(url, (error as Error).message);
    }
  }

  private malformed(url: string, why: string): never {
    const { host, pathname } = new URL(url);
    throw new HttpError(this.redact(`malformed JSON from ${host}${pathname}: ${why.slice(0, 120)}`), 'malformed');
  }

  /** One logical request with retries; returns the body as text. Throws HttpError. */
  async request(url: string, options: HttpRequestOptions = {}): Promise<HttpResponse<string>> {
    const { host } = new URL(url);
    const label = this.redact(`${options.method ?? 'GET'} ${url}`);
    for (let attempt = 0; ; attempt++) {
      this.throwIfStopped(label);
      await this.waitForHost(host, label);
      let response: Response;
      let text: string;
      let finalUrl: string;
      const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
      try {
        ({ response, url: finalUrl } = await this.fetchFollowing(url, options, label, timeoutMs));
        text = await this.readBody(response, label);
      } catch (error) {
        this.throwIfStopped(label); // aborted by the stop, not by the source: no retry, no "timed out"
        if (error instanceof HttpError) throw error; // too large, redirect refused, budget: retrying cannot help
        const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
        const message = timedOut
          ? `timed out after ${timeoutMs} ms: ${label}`
          : `network error: ${label}: ${describeCause(error)}`;
        // A host that does not resolve will not resolve in a second either (EAI_AGAIN, a DNS hiccup, is retried).
        const permanent = !timedOut && describeCause(error) === 'ENOTFOUND';
        if (attempt < this.options.maxRetries && !permanent) {
          await this.pause(this.backoffMs(attempt), label);
          continue;
        }
        throw new HttpError(
          this.redact(`${message} (after ${attempt + 1} attempt${attempt === 0 ? '' : 's'})`),
          timedOut ? 'timeout' : 'network',
        );
      }

      this.notePause(host, response.headers);
      const { status } = response;
      if ((status >= 200 && status < 300) || options.acceptStatus?.includes(status)) {
        return { status, headers: response.headers, body: text, url: finalUrl };
      }
      const snippet = this.redact(text.slice(0, 500));
      if (status === 429 || (status === 503 && response.headers.has('retry-after'))) {
        const waitSeconds = waitFromHeaders(response.headers, this.options.now());
        const waitMs = waitSeconds === undefined ? this.backoffMs(attempt) : Math.ceil(waitSeconds * 1000);
        if (waitMs > this.options.maxWaitMs || attempt >= this.options.maxRetries || waitMs >= this.timeLeftMs) {
          const seconds = Math.ceil(waitMs / 1000);
          throw new HttpError(
            `rate limited by ${host}, retry after ${seconds} s (${label})`,
            'rate_limited',
            status,
            snippet,
            seconds,
          );
        }
        await this.stoppable(this.options.sleep(waitMs), label);
        continue;
      }
      if (status >= 500 && attempt < this.options.maxRetries) {
        await this.pause(this.backoffMs(attempt), label);
        continue;
      }
      throw new HttpError(
        `HTTP ${status} from ${label}${snippet ? `: ${snippet.slice(0, 200)}` : ''}`,
        'http',
        status,
        snippet,
      );
    }
  }

  /** Take one request from the budget, or fail the poll when the budget or the poll's time is used up. */
  private spendRequest(label: string): void {
    if (this.requestsMade >= this.options.requestBudget) {
      throw new HttpError(
        `request budget of ${this.options.requestBudget} exhausted for this poll (at ${label})`,
        'budget',
      );
    }
    if (this.timeLeftMs <= 0) this.outOfTime(label);
    this.requestsMade++;
  }

  /**
   * fetch with redirects followed by hand: each hop is a request against the budget, a hop to another origin is
   * refused unless allowed (and then carries no Authorization header), and too many hops (a loop) is an error that
   * is not retried.
   */
  private async fetchFollowing(
    url: string,
    options: HttpRequestOptions,
    label: string,
    timeoutMs: number,
  ): Promise<{ response: Response; url: string }> {
    let current = url;
    let method = options.method ?? 'GET';
    let body = options.body;
    let headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: 'application/json, */*;q=0.5',
      ...options.headers,
    };
    // One signal for every hop and the body: the request's timeout, never past the poll's deadline.
    const timeout = AbortSignal.timeout(Math.max(1, Math.min(timeoutMs, this.timeLeftMs)));
    const signal = this.options.signal ? AbortSignal.any([timeout, this.options.signal]) : timeout;
    for (let hop = 0; ; hop++) {
      this.spendRequest(label);
      const response = await (this.options.fetch ?? fetch)(current, {
        method,
        headers,
        body,
        redirect: 'manual',
        signal,
      });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || response.status === 304 || !location) {
        return { response, url: current };
      }
      await response.body?.cancel().catch(() => undefined);
      if (hop >= MAX_REDIRECTS) {
        throw new HttpError(`more than ${MAX_REDIRECTS} redirects (a redirect loop?) at ${label}`, 'redirect');
      }
      const next = new URL(location, current);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new HttpError(`redirect to a non-http(s) URL refused at ${label}`, 'redirect');
      }
      if (next.origin !== new URL(current).origin) {
        if (!this.options.allowCrossOriginRedirects) {
          throw new HttpError(
            this.redact(
              `redirect from ${new URL(current).origin} to another origin (${next.origin}) refused at ${label}; ` +
                'set allowCrossOriginRedirects: true on the source to follow it',
            ),
            'redirect',
          );
        }
        headers = Object.fromEntries(
          Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'),
        );
      }
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-type'));
      }
      current = next.href;
    }
  }

  /** Read a body as text, counting decompressed bytes as they arrive and aborting past the cap. */
  private async readBody(response: Response, label: string): Promise<string> {
    const cap = this.options.maxResponseBytes;
    const tooLarge = (size: string) =>
      new HttpError(
        `response larger than the ${formatBytes(cap)} cap (${size}) from ${label}`,
        'too_large',
        response.status,
      );
    const declared = Number(response.headers.get('content-length'));
    const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
    if (!encoded && Number.isFinite(declared) && declared > cap) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(`${formatBytes(declared)} declared`);
    }
    if (!response.body) return '';
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > cap) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(encoded ? 'after decompression' : 'read so far');
      }
      chunks.push(value);
    }
    return new TextDecoder().decode(Buffer.concat(chunks, total)); // as Response.text(): UTF-8, BOM dropped
  }

  /** Full jitter: a uniformly random wait up to the exponential cap. */
  private backoffMs(attempt: number): number {
    const cap = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** attempt);
    return Math.floor(this.options.random() * cap);
  }

  /** A response that says the window is used up (remaining < 1) pauses that host until the reset. */
  private notePause(host: string, headers: Headers): void {
    const remaining = header(headers, 'x-ratelimit-remaining', 'ratelimit-remaining', 'x-rate-limit-remaining');
    if (remaining === null || Number(remaining) >= 1) return;
    const reset = parseRateLimitReset(
      header(headers, 'x-ratelimit-reset', 'ratelimit-reset', 'x-rate-limit-reset'),
      this.options.now(),
    );
    if (reset !== undefined) this.pauses.set(host, this.options.now() + reset * 1000);
  }

  private async waitForHost(host: string, label: string): Promise<void> {
    const until = this.pauses.get(host);
    if (until === undefined) return;
    const waitMs = until - this.options.now();
    if (waitMs <= 0) {
      this.pauses.delete(host);
      return;
    }
    if (waitMs > this.options.maxWaitMs) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new HttpError(
        `rate limited by ${host}, retry after ${seconds} s (${label})`,
        'rate_limited',
        undefined,
        undefined,
        seconds,
      );
    }
    await this.stoppable(this.options.sleep(waitMs), label);
    this.pauses.delete(host);
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Append query parameters (skipping undefined) to a base URL and path. */
export function buildUrl(
  base: string,
  path: string,
  query: Record<string, string | number | boolean | undefined | string[]> = {},
): string {
  // Relative to the base's path, so a baseUrl like http://127.0.0.1:8080/hn keeps its prefix.
  const url = new URL(path.replace(/^\/+/, ''), base.endsWith('/') ? base : `${base}/`);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item);
    else url.searchParams.set(key, String(value));
  }
  return url.toString();
}

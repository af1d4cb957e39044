import { HttpError, parseRateLimitReset, parseRetryAfter, redactSecrets } from '../../../lambdas/sources/http';
import { NOW, startServer, testHttp, type TestServer } from './server';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

describe('HttpClient', () => {
  it('sends the descriptive User-Agent and parses JSON', async () => {
    server.on('GET', '/ok', { body: { hello: 'world' } });
    const http = testHttp();
    const response = await http.getJson(`${server.url}/ok`);
    expect(response.body).toEqual({ hello: 'world' });
    expect(server.requests[0].headers['user-agent']).toBe(
      'earshot/0.1 (+https://github.com/earshot; social listening)',
    );
  });

  it('retries 500 with jittered backoff, then succeeds', async () => {
    server.on('GET', '/flaky', [{ status: 500 }, { status: 502 }, { body: [1] }]);
    const http = testHttp();
    expect((await http.getJson(`${server.url}/flaky`)).body).toEqual([1]);
    expect(server.requests).toHaveLength(3);
    expect(http.waits).toEqual([250, 500]); // random 0.5 × 500·2^attempt
  });

  it('gives up on persistent 5xx after the bounded retries', async () => {
    server.on('GET', '/down', { status: 503, body: 'down' });
    const http = testHttp({ maxRetries: 2 });
    await expect(http.getJson(`${server.url}/down`)).rejects.toThrow(/HTTP 503/);
    expect(server.requests).toHaveLength(3);
  });

  it('honours Retry-After seconds and HTTP dates on 429', async () => {
    const date = new Date(NOW.getTime() + 7000).toUTCString();
    server.on('GET', '/limited', [
      { status: 429, headers: { 'retry-after': '3' } },
      { status: 429, headers: { 'retry-after': date } },
      { body: {} },
    ]);
    const http = testHttp();
    await http.getJson(`${server.url}/limited`);
    expect(http.waits).toEqual([3000, 7000]);
  });

  it('reads Reddit, Mastodon and Bluesky reset headers', () => {
    const now = NOW.getTime();
    expect(parseRateLimitReset('42', now)).toBe(42);
    expect(parseRateLimitReset(new Date(now + 60_000).toISOString(), now)).toBe(60);
    expect(parseRateLimitReset(String(now / 1000 + 90), now)).toBe(90);
    expect(parseRetryAfter('garbage', now)).toBeUndefined();
  });

  it('fails fast with "retry after N s" when the wait exceeds the cap', async () => {
    server.on('GET', '/slow-down', { status: 429, headers: { 'retry-after': '600' } });
    const http = testHttp();
    const error = await http.getJson(`${server.url}/slow-down`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).message).toMatch(/rate limited by 127\.0\.0\.1:\d+, retry after 600 s/);
    expect(http.waits).toEqual([]);
  });

  it('pauses a host whose rate-limit window is used up (Reddit remaining 0)', async () => {
    server.on('GET', '/a', { headers: { 'x-ratelimit-remaining': '0.0', 'x-ratelimit-reset': '5' }, body: {} });
    const http = testHttp();
    await http.getJson(`${server.url}/a`);
    await http.getJson(`${server.url}/a`);
    expect(http.waits).toEqual([5000]);
  });

  it('times out a request that never answers', async () => {
    server.on('GET', '/hang', { hang: true });
    const http = testHttp({ timeoutMs: 100, maxRetries: 1 });
    await expect(http.getJson(`${server.url}/hang`)).rejects.toThrow(/timed out after 100 ms/);
  });

  it('reports malformed JSON with the host', async () => {
    server.on('GET', '/bad', { body: '{"oops":' });
    await expect(testHttp().getJson(`${server.url}/bad?key=SECRETKEY`)).rejects.toThrow(
      /^malformed JSON from 127\.0\.0\.1:\d+\/bad: /,
    );
  });

  it('enforces the per-poll request budget', async () => {
    server.on('GET', '/x', { body: {} });
    const http = testHttp().forPoll({ requestBudget: 2 });
    await http.getJson(`${server.url}/x`);
    await http.getJson(`${server.url}/x`);
    await expect(http.getJson(`${server.url}/x`)).rejects.toThrow(/request budget of 2 exhausted/);
  });

  it('never puts credentials in error messages', async () => {
    server.on('GET', '/secret', { status: 403, body: { echo: 'token=abc', accessJwt: 'eyJhbGciOi.payload.sig' } });
    const http = testHttp();
    http.addSecret('super-secret-value');
    const error = (await http
      .getJson(`${server.url}/secret?apikey=KEY123&token=TOK456&q=acme`, {
        headers: { authorization: 'Bearer super-secret-value' },
      })
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/HTTP 403/);
    expect(error.message).toContain('q=acme');
    for (const secret of ['KEY123', 'TOK456', 'eyJhbGciOi', 'super-secret-value'])
      expect(error.message).not.toContain(secret);
    expect(redactSecrets('Authorization: Bearer abc.def')).toBe('Authorization: Bearer ***');
    // Credential-derived parameters (proofs, request signatures) are as secret as the credential: one rule for all.
    expect(
      redactSecrets(
        'GET https://x/v1?appsecret_proof=P1&sign=S2&signature=S3&client_secret=C4&app_key=public&X-Amz-Signature=S5&q=acme',
      ),
    ).toBe(
      'GET https://x/v1?appsecret_proof=***&sign=***&signature=***&client_secret=***&app_key=public&X-Amz-Signature=***&q=acme',
    );
    expect(redactSecrets('refresh_token=R1&grant_type=refresh_token')).toBe(
      'refresh_token=***&grant_type=refresh_token',
    );
    expect(redactSecrets('{"appsecret_proof":"P1","sign":"S2","name":"acme"}')).toBe(
      '{"appsecret_proof":"***","sign":"***","name":"acme"}',
    );
  });
});

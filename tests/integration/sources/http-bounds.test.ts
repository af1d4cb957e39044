import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { HttpClient, HttpError } from '../../../lambdas/sources/http';

/**
 * Sources are outside our control: every response is bounded in size (after decompression), every poll in time
 * and requests, and redirects go only where they are allowed. Real HTTP on 127.0.0.1.
 */

type Handler = Parameters<typeof createServer>[1] & {};

const servers: Server[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

function client(options: ConstructorParameters<typeof HttpClient>[0] = {}): HttpClient {
  return new HttpClient({ sleep: async () => undefined, random: () => 0.5, maxRetries: 2, ...options });
}

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe('response size', () => {
  test('a 2 MB gzip bomb is aborted at the cap, not inflated', async () => {
    // One member inflates 8 MB of zeros; 2 MB of such members would inflate to about 2 GB.
    const member = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    const copies = Math.ceil((2 * 1024 * 1024) / member.length);
    expect(member.length * copies).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    let requests = 0;
    let sent = 0;
    const url = await serve((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      const write = () => {
        while (sent < copies) {
          sent++;
          if (!res.write(member)) return void res.once('drain', write);
        }
        res.end();
      };
      res.on('error', () => undefined);
      write();
    });
    const error = await failure(client({ maxResponseBytes: 4 * 1024 * 1024 }).getJson(`${url}/bomb`));
    expect(error.kind).toBe('too_large');
    expect(error.message).toMatch(/larger than the 4 MB cap \(after decompression\)/);
    expect(requests).toBe(1); // not retried
  });

  test('a 400 MB body without a length is cut off at the cap', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let written = 0;
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.on('error', () => undefined);
      const write = () => {
        while (written < 400 * 1024 * 1024 && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', write);
        }
        res.end();
      };
      write();
    });
    const error = await failure(client().request(`${url}/huge`));
    expect(error.kind).toBe('too_large');
    expect(error.message).toMatch(/larger than the 5 MB cap/);
    expect(written).toBeLessThan(400 * 1024 * 1024);
  });

  test('a declared Content-Length over the cap fails before reading', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      res.on('error', () => undefined);
      res.write('x');
    });
    const error = await failure(client({ maxResponseBytes: 1024 * 1024 }).request(`${url}/declared`));
    expect(error.message).toMatch(/10 MB declared/);
  });

  test('a body within the cap is read whole', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ ok: 'é'.repeat(1000) })));
    });
    const response = await client({ maxResponseBytes: 4096 }).getJson(`${url}/ok`);
    expect(response.body).toEqual({ ok: 'é'.repeat(1000) });
  });
});

describe('redirects', () => {
  test('a redirect loop fails once with a clear error, hops counted, not retried', async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests++;
      res.writeHead(301, { location: '/loop' }).end();
    });
    const http = client({ requestBudget: 30 });
    const error = await failure(http.request(`${url}/loop`));
    expect(error.kind).toBe('redirect');
    expect(error.message).toMatch(/more than 5 redirects/);
    expect(requests).toBe(6);
    expect(http.requestsMade).toBe(6);
  });

  test('each hop spends the request budget', async () => {
    const url = await serve((req, res) => {
      const n = Number(req.url!.slice(1));
      if (n < 4) res.writeHead(302, { location: `/${n + 1}` }).end();
      else res.end('{}');
    });
    const error = await failure(client({ requestBudget: 3 }).request(`${url}/0`));
    expect(error.kind).toBe('budget');
    const http = client({ requestBudget: 5 });
    const ok = await http.request(`${url}/0`);
    expect(ok.url).toBe(`${url}/4`);
    expect(http.requestsMade).toBe(5);
  });

  test('a redirect to another origin is refused unless allowed, and drops Authorization when followed', async () => {
    const seen: (string | undefined)[] = [];
    const other = await serve((req, res) => {
      seen.push(req.headers.authorization);
      res.end('{"elsewhere":true}');
    });
    const url = await serve((_req, res) => res.writeHead(302, { location: `${other}/data` }).end());
    const error = await failure(
      client().getJson(`${url}/start`, { headers: { authorization: 'Bearer s3cret-token' } }),
    );
    expect(error.kind).toBe('redirect');
    expect(error.message).toMatch(/to another origin .* refused.*allowCrossOriginRedirects/);
    expect(seen).toEqual([]);
    const followed = await client({ allowCrossOriginRedirects: true }).getJson(`${url}/start`, {
      headers: { authorization: 'Bearer s3cret-token' },
    });
    expect(followed.body).toEqual({ elsewhere: true });
    expect(seen).toEqual([undefined]);
  });

  test('a redirect to a non-http scheme is refused', async () => {
    const url = await serve((_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end());
    expect((await failure(client().request(`${url}/x`))).message).toMatch(/non-http\(s\)/);
  });
});

describe('time', () => {
  test('a slow-loris source fails its poll at the wall-clock budget, retries included', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      const drip = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(drip));
    });
    const http = new HttpClient({ timeoutMs: 400, maxRetries: 10, baseDelayMs: 10, pollBudgetMs: 1000 });
    const error = await failure(http.getJson(`${url}/drip`));
    expect(error.kind).toBe('budget');
    expect(error.message).toMatch(/poll time budget of 1 s used up/);
    expect(http.requestsMade).toBeLessThan(5);
  });
});

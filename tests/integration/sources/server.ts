import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brandSchema, sourceSchemaOf, type BrandConfig, type SourceConfig } from '../../../lambdas/config/schema';
import { HttpClient } from '../../../lambdas/sources/http';
import { localSecrets } from '../../../lambdas/sources/secrets';
import type { PollContext } from '../../../lambdas/sources/types';
import type { SourceCursor } from '../../../lambdas/core/source-state';

/** Shared helpers for the source adapter tests: a real HTTP server on 127.0.0.1:0 with scripted replies. */

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON. */
  body?: unknown;
  /** Never answer (for timeouts). */
  hang?: boolean;
}

export type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  /** Route `METHOD /path` to a handler, a fixed reply, or a sequence of replies (the last one repeats). */
  on(method: string, path: string, reply: Handler | Reply | Reply[]): void;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Handler>();
  const requests: RecordedRequest[] = [];
  const hanging = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const handler = routes.get(`${recorded.method} ${recorded.path}`);
      const reply: Reply = handler ? await handler(recorded) : { status: 404, body: { error: 'no route' } };
      if (reply.hang) {
        const end = () => res.destroy();
        hanging.add(end);
        return;
      }
      const body =
        reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, {
        'content-type': typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
        ...reply.headers,
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on(method, path, reply) {
      if (typeof reply === 'function') {
        routes.set(`${method} ${path}`, reply);
      } else if (Array.isArray(reply)) {
        let i = 0;
        routes.set(`${method} ${path}`, () => reply[Math.min(i++, reply.length - 1)]);
      } else {
        routes.set(`${method} ${path}`, () => reply);
      }
    },
    async close() {
      for (const end of hanging) end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const NOW = new Date('2026-06-10T12:00:00Z');

export const ACME: BrandConfig = brandSchema.parse({
  id: 'acme',
  name: 'Acme',
  keywords: ['acme', 'acme air'],
  exclude: ['acme museum'],
});

export function sourceConfig(options: Record<string, unknown>): SourceConfig {
  return sourceSchemaOf().parse({ brand: 'acme', ...options });
}

/** A client that never really sleeps, records the waits it was asked for. */
export function testHttp(options: ConstructorParameters<typeof HttpClient>[0] = {}): HttpClient & { waits: number[] } {
  const waits: number[] = [];
  const client = new HttpClient({
    sleep: async (ms) => {
      waits.push(ms);
    },
    now: () => NOW.getTime(),
    random: () => 0.5,
    ...options,
  }) as HttpClient & { waits: number[] };
  client.waits = waits;
  return client;
}

export function pollContext(
  source: SourceConfig,
  overrides: Partial<PollContext> & { env?: Record<string, string> } = {},
): PollContext {
  const { env, ...rest } = overrides;
  return {
    source,
    brand: ACME,
    cursor: null,
    now: NOW,
    http: testHttp().forPoll({ timeoutMs: source.timeoutMs, requestBudget: source.requestBudget }),
    secrets: localSecrets(env ?? {}),
    state: new Map(),
    ...rest,
  };
}

export function cursorAt(
  sourceId: string,
  watermark: string,
  seenIds: string[] = [],
  extra?: Record<string, string>,
): SourceCursor {
  return { sourceId, watermark, seenIds, ...(extra ? { extra } : {}), updatedAt: NOW.toISOString() };
}

/** Unix seconds for an ISO time. */
export const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

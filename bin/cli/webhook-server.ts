import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerWebhookHandshake, receiveWebhook } from '../../lambdas/pipeline/webhook-ingest';
import type { PassDeps } from '../../lambdas/pipeline/run-pass';
import { isTriagePath, type TriageRoutes } from './serve-triage';

/** Largest body read before answering 413 (the parser checks the exact limit too). */
const MAX_BODY_BYTES = 1_100_000;

/** `/ingest/{sourceId}` → the source id, else undefined. */
export function ingestSourceId(pathname: string): string | undefined {
  return /^\/ingest\/([\w-]+)$/.exec(pathname)?.[1];
}

/** Facebook's subscription handshake (GET /ingest/{sourceId}): the challenge comes back as plain text. */
export function handleIngestHandshake(res: ServerResponse, sourceId: string, requestUrl: URL, deps: PassDeps): void {
  answerWebhookHandshake(sourceId, Object.fromEntries(requestUrl.searchParams), deps)
    .then((result) => res.writeHead(result.status, { 'content-type': 'text/plain' }).end(result.body))
    .catch(() => res.writeHead(500, { 'content-type': 'text/plain' }).end('could not read the verify token'));
}

/** One pushed delivery (POST /ingest/{sourceId}): read the body, verify, store and alert; shared with `earshot serve`. */
export function handleIngest(
  req: IncomingMessage,
  res: ServerResponse,
  sourceId: string,
  deps: PassDeps,
  log: (line: string) => void,
): void {
  const reply = (status: number, body: object) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > MAX_BODY_BYTES) {
      reply(413, { error: 'body too large' });
      return;
    }
    receiveWebhook(sourceId, Buffer.concat(chunks).toString('utf8'), req.headers, deps)
      .then((result) => {
        log(`webhook ${sourceId}: ${result.status} ${JSON.stringify(result.body)}`);
        reply(result.status, result.body);
      })
      .catch((error: Error) => {
        log(`webhook ${sourceId}: 500 ${error.message}`);
        reply(500, { error: 'could not store the delivery; retry' });
      });
  });
}

/**
 * `earshot run`'s listener on 127.0.0.1: with `--listen PORT`, pushed mentions at POST /ingest/{sourceId}; and the
 * triage routes (`/triage…`, loopback only, like `earshot serve` on loopback), so an alert's printed ack goes
 * through the running process that owns the store.
 */
export async function startWebhookServer(
  port: number,
  deps: PassDeps,
  log: (line: string) => void,
  opts: { ingest?: boolean; triage?: TriageRoutes } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const ingest = opts.ingest ?? true;
  const server: Server = createServer((req, res) => {
    const requestUrl = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (opts.triage && isTriagePath(requestUrl.pathname)) {
      opts.triage(req, res, requestUrl).catch((err: Error) => {
        log(`request failed: ${err.message}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'internal error' }));
      });
      return;
    }
    const sourceId = ingest ? ingestSourceId(requestUrl.pathname) : undefined;
    if (req.method === 'GET' && sourceId) {
      handleIngestHandshake(res, sourceId, requestUrl, deps);
      return;
    }
    if (req.method !== 'POST' || !sourceId) {
      const routes = [ingest ? 'POST /ingest/{sourceId}' : '', opts.triage ? '/triage…' : ''].filter(Boolean);
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: routes.join(', ') }));
      return;
    }
    handleIngest(req, res, sourceId, deps, log);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

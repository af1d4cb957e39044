import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { EarshotConfig } from '../../lambdas/config/schema';
import { routeInboxRequest } from '../../lambdas/handlers/inbox-routes';
import { InboxService } from '../../lambdas/pipeline/inbox-service';
import type { LocalPipeline } from '../../lambdas/pipeline/local';
import { TriageService } from '../../lambdas/pipeline/triage-service';
import { inboxCsp } from '../../web/assets';
import { SERVE_TOKEN_ENV } from './serve-file';
import { sourceRows, SOURCES_PATH } from './sources';

/**
 * The triage and inbox HTTP routes (`/triage…`, as on AWS) over a local pipeline's store: `earshot serve` answers them,
 * and so does `earshot run`, so `earshot triage …` goes through whichever process owns the store.
 */

const MAX_API_BODY = 1_000_000;

export const SECURITY_HEADERS = {
  'content-security-policy': inboxCsp(),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_API_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_API_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A Node request as the API Gateway HTTP API (payload v2) event the triage Lambda gets. */
function toApiEvent(req: IncomingMessage, url: URL, body: string): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = value;
  const method = (req.method ?? 'GET').toUpperCase();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    body: body || undefined,
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
    },
  } as APIGatewayProxyEventV2;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** `/triage` or `/triage/…`: the routes this answers. */
export function isTriagePath(pathname: string): boolean {
  return pathname === '/triage' || pathname.startsWith('/triage/');
}

export type TriageRoutes = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** Answers a `/triage…` request on the pipeline's store; with `token`, only a request that bears it. */
export function triageRoutes(
  config: EarshotConfig,
  pipeline: Pick<LocalPipeline, 'deps' | 'repo'>,
  opts: { token?: string; log: (line: string) => void },
): TriageRoutes {
  const now = pipeline.deps.now;
  const inbox = new InboxService(new TriageService(pipeline.repo, () => now().toISOString()), config, now);
  return async (req, res, url) => {
    const method = (req.method ?? 'GET').toUpperCase();
    if (opts.token !== undefined && !tokenMatches(req.headers.authorization, opts.token)) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
      res.end(JSON.stringify({ error: `a bearer token is required (the value of $${SERVE_TOKEN_ENV})` }));
      return;
    }
    // Local only (the CLI's, not AWS's): `earshot sources --config` reads the health here while this process holds
    // the store, the same rows it reads from the store otherwise.
    if (method === 'GET' && url.pathname === SOURCES_PATH) {
      const rows = await sourceRows(config, pipeline.repo);
      res.writeHead(200, { ...SECURITY_HEADERS, 'cache-control': 'no-store', 'content-type': 'application/json' });
      res.end(JSON.stringify(rows));
      return;
    }
    const body = await readBody(req);
    if (body === undefined) {
      res.writeHead(413, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'body too large' }));
      return;
    }
    const result = await routeInboxRequest(toApiEvent(req, url, body), inbox, (err) =>
      opts.log(`${method} ${url.pathname}: ${(err as Error).stack ?? String(err)}`),
    );
    res.writeHead(result.statusCode ?? 200, {
      ...SECURITY_HEADERS,
      'cache-control': 'no-store',
      ...(result.headers as Record<string, string>),
    });
    res.end(result.body ?? '');
  };
}

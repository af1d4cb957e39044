import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { TriageAction } from '../core/triage';
import { TRIAGE_STATUSES, type TriageStatus } from '../core/triage';
import { BadRequestError, errorReply } from '../core/errors';
import type { TriageActor, TriageService } from '../pipeline/triage-service';
import { callerOf } from './caller';

/**
 * The triage HTTP API (API Gateway HTTP API, payload v2), as a function of the request and a TriageService:
 *   GET  /triage?brand=&status=&limit=                 the queue
 *   GET  /triage/stats?brand=                          counts and false-positive precision (no brand: all brands)
 *   GET  /triage/{sourceId}/{id}                       one mention
 *   POST /triage/{sourceId}/{id}/{ack|resolve|false-positive|reopen|assign|note}   body {by?, note?, assignee?}
 *   POST /triage/alerts/{alertId}/ack                  acknowledge an alert by id (spikes, digests)   body {by?}
 * Path segments are URL-decoded (mention ids can hold `/` or `:`, alert ids `#` and `:`). A stage prefix before
 * `/triage` is ignored. `alerts` is reserved: no source may have that id (the config schema refuses it).
 * The caller's IAM identity, when the route uses IAM auth, is recorded as `by` and wins over the body's.
 */

const ACTIONS: Record<string, TriageAction> = {
  ack: 'acknowledge',
  acknowledge: 'acknowledge',
  resolve: 'resolve',
  'false-positive': 'false_positive',
  reopen: 'reopen',
  assign: 'assign',
  note: 'note',
};
const MAX_LIMIT = 500;
/** `/triage/alerts/{alertId}/ack`: the first segment that would otherwise be a source id. */
export const ALERTS_SEGMENT = 'alerts';

type Result = APIGatewayProxyStructuredResultV2;

/** A JSON reply; the inbox's routes answer the same way. */
export function json(statusCode: number, body: unknown): Result {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export async function routeTriageRequest(
  event: APIGatewayProxyEventV2,
  service: TriageService,
  onError: (err: unknown) => void = () => undefined,
): Promise<Result> {
  try {
    return await route(event, service);
  } catch (err) {
    const reply = errorReply(err);
    if (reply.status >= 500) onError(err);
    return json(reply.status, reply.body);
  }
}

async function route(event: APIGatewayProxyEventV2, service: TriageService): Promise<Result> {
  const method = event.requestContext.http.method.toUpperCase();
  const segments = pathAfterTriage(event.rawPath);
  if (!segments) return json(404, { error: `no route for ${event.rawPath}` });
  const query = event.queryStringParameters ?? {};

  if (segments.length === 0 || (segments.length === 1 && segments[0] === 'stats')) {
    if (method !== 'GET') return json(405, { error: `${method} not allowed here; use GET` });
    // Stats without a brand are every brand's, as `earshot triage stats` gives them; a queue is always one brand's.
    if (segments.length === 1) return json(200, await service.stats(query.brand || undefined));
    const brandId = required(query.brand, 'brand');
    return json(200, await service.list({ brandId, status: status(query.status), limit: limit(query.limit) }));
  }

  if (segments.length === 2) {
    if (method !== 'GET') return json(405, { error: `${method} not allowed here; use GET` });
    const [sourceId, id] = segments;
    return json(200, await service.show(sourceId, id));
  }

  if (segments.length === 3 && segments[0] === ALERTS_SEGMENT) {
    const [, alertId, verb] = segments;
    if (verb !== 'ack') return json(404, { error: `unknown alert action "${verb}" (use ack)` });
    if (method !== 'POST') return json(405, { error: `${method} not allowed here; use POST` });
    return json(200, await service.ackAlert(alertId, actorOf(event)));
  }

  if (segments.length === 3) {
    const [sourceId, id, verb] = segments;
    const action = ACTIONS[verb];
    if (!action)
      return json(404, { error: `unknown triage action "${verb}" (use ${Object.keys(ACTIONS).join(', ')})` });
    if (method !== 'POST') return json(405, { error: `${method} not allowed here; use POST` });
    const actor = actorOf(event);
    return json(200, await service.apply(sourceId, id, action, actor));
  }

  return json(404, { error: `no route for ${event.rawPath}` });
}

/** Decoded path segments after the `triage` segment, or undefined when there is none. */
export function pathAfterTriage(rawPath: string): string[] | undefined {
  const raw = rawPath.split('/').filter(Boolean);
  const at = raw.indexOf('triage');
  if (at < 0) return undefined;
  try {
    return raw.slice(at + 1).map((segment) => decodeURIComponent(segment));
  } catch {
    throw new BadRequestError('malformed URL encoding in path');
  }
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new BadRequestError(`query parameter "${name}" is required`);
  return value;
}

function status(value: string | undefined): TriageStatus | undefined {
  if (value === undefined || value === '') return undefined;
  const normalized = value.replace(/-/g, '_');
  if (!(TRIAGE_STATUSES as readonly string[]).includes(normalized)) {
    throw new BadRequestError(`status must be one of ${TRIAGE_STATUSES.join(', ')}`);
  }
  return normalized as TriageStatus;
}

function limit(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT)
    throw new BadRequestError(`limit must be an integer 1–${MAX_LIMIT}`);
  return n;
}

function actorOf(event: APIGatewayProxyEventV2): TriageActor {
  let body: unknown = {};
  if (event.body) {
    const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    try {
      body = JSON.parse(text);
    } catch {
      throw new BadRequestError('body must be JSON');
    }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestError('body must be a JSON object like {"by": "...", "note": "...", "assignee": "..."}');
  }
  const fields = body as Record<string, unknown>;
  const actor: TriageActor = {};
  for (const name of ['by', 'note', 'assignee'] as const) {
    const value = fields[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw new BadRequestError(`"${name}" must be a string`);
    actor[name] = value;
  }
  // IAM callers by ARN, people signed in to the inbox (JWT) by email.
  const caller = callerOf(event);
  if (caller) actor.by = caller;
  return actor;
}

import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { SEVERITIES, type Severity } from '../core/analysis/types';
import { TriageInputError, type TriageAction } from '../core/triage';
import { QUEUE_SORTS, QUEUE_STATUS_VIEWS, type InboxQuery, type InboxService } from '../pipeline/inbox-service';
import { json, pathAfterTriage, routeTriageRequest } from './triage-routes';
import { errorReply } from '../core/errors';
import type { TriageActor } from '../pipeline/triage-service';
import { callerOf } from './caller';

/**
 * The inbox's routes, beside the triage API's (triage-routes.ts), same payload v2 and error shapes:
 *   GET  /triage/meta                                   brands, sources, SLA policy, cue names
 *   GET  /triage/queue?brand=&status=&severity=&source=&cue=&lang=&assignee=&q=&sort=&limit=&cursor=
 *   GET  /triage/overview?brand=&hours=                 hourly volume with spikes, SNR, top cues, precision, health
 *   GET  /triage/incidents?brand=                       open incidents, biggest first
 *   GET  /triage/incidents/{brand}/{key}                one incident and its mentions
 *   POST /triage/incidents/{brand}/{key}/ack            acknowledge the incident's mentions and alerts
 *   POST /triage/bulk                                   {action, items: [{sourceId, id}], assignee?, note?}
 *   GET  /triage/{sourceId}/{id}                        the mention, plus its SLA state and incident
 * Everything else goes to routeTriageRequest. The caller's identity (IAM or a JWT's email/username) is `by`.
 */

type Result = APIGatewayProxyStructuredResultV2;

const BULK_ACTIONS: Record<string, TriageAction> = {
  ack: 'acknowledge',
  resolve: 'resolve',
  'false-positive': 'false_positive',
  reopen: 'reopen',
  assign: 'assign',
  note: 'note',
};
const INCIDENTS = 'incidents';

function bodyOf(event: APIGatewayProxyEventV2): Record<string, unknown> {
  if (!event.body) return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new TriageInputError('body must be JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TriageInputError('body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new TriageInputError(`"${name}" must be a string`);
  return value;
}

function actorOf(event: APIGatewayProxyEventV2, body: Record<string, unknown>): TriageActor {
  return {
    by: callerOf(event) ?? optionalString(body, 'by'),
    note: optionalString(body, 'note'),
    assignee: optionalString(body, 'assignee'),
  };
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined || value === '') return undefined;
  const normalized = value.replace(/-/g, '_');
  const found = allowed.find((option) => option === value || option === normalized);
  if (!found) throw new TriageInputError(`${name} must be one of ${allowed.join(', ')}`);
  return found;
}

function queryOf(params: Record<string, string | undefined>): InboxQuery {
  const brandId = params.brand;
  if (!brandId) throw new TriageInputError('query parameter "brand" is required');
  let limit: number | undefined;
  if (params.limit) {
    limit = Number(params.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new TriageInputError('limit must be 1–200');
  }
  return {
    brandId,
    status: oneOf(params.status, QUEUE_STATUS_VIEWS, 'status'),
    severity: oneOf(params.severity, SEVERITIES, 'severity') as Severity | undefined,
    sourceId: params.source || undefined,
    cue: params.cue || undefined,
    language: params.lang || undefined,
    assignee: params.assignee || undefined,
    q: params.q || undefined,
    sort: oneOf(params.sort, QUEUE_SORTS, 'sort'),
    limit,
    cursor: params.cursor || undefined,
  };
}

export async function routeInboxRequest(
  event: APIGatewayProxyEventV2,
  inbox: InboxService,
  onError: (err: unknown) => void = () => undefined,
): Promise<Result> {
  try {
    const routed = await route(event, inbox);
    if (routed) return routed;
  } catch (err) {
    const reply = errorReply(err);
    if (reply.status >= 500) onError(err);
    return json(reply.status, reply.body);
  }
  return routeTriageRequest(event, inbox.triage, onError);
}

async function route(event: APIGatewayProxyEventV2, inbox: InboxService): Promise<Result | undefined> {
  const method = event.requestContext.http.method.toUpperCase();
  const segments = pathAfterTriage(event.rawPath);
  if (!segments) return undefined;
  const params = event.queryStringParameters ?? {};
  const [first, second, third, fourth] = segments;
  const get = method === 'GET';
  const post = method === 'POST';

  if (segments.length === 1 && get) {
    if (first === 'meta') return json(200, inbox.meta());
    if (first === 'queue') return json(200, await inbox.queue(queryOf(params)));
    if (first === 'overview') {
      const brand = params.brand;
      if (!brand) throw new TriageInputError('query parameter "brand" is required');
      const hours = params.hours ? Number(params.hours) : undefined;
      if (hours !== undefined && (!Number.isInteger(hours) || hours < 1 || hours > 24 * 31)) {
        throw new TriageInputError('hours must be 1–744');
      }
      return json(200, await inbox.overview(brand, hours));
    }
    if (first === INCIDENTS) {
      if (!params.brand) throw new TriageInputError('query parameter "brand" is required');
      return json(200, await inbox.incidents(params.brand));
    }
  }
  if (segments.length === 1 && post && first === 'bulk') {
    const body = bodyOf(event);
    const action = BULK_ACTIONS[String(body.action)];
    if (!action) throw new TriageInputError(`action must be one of ${Object.keys(BULK_ACTIONS).join(', ')}`);
    if (!Array.isArray(body.items)) throw new TriageInputError('"items" must be a list of {sourceId, id}');
    const refs = body.items.map((item: unknown) => {
      const ref = item as { sourceId?: unknown; id?: unknown };
      if (typeof ref?.sourceId !== 'string' || typeof ref?.id !== 'string') {
        throw new TriageInputError('each item needs a string sourceId and id');
      }
      return { sourceId: ref.sourceId, id: ref.id };
    });
    return json(200, { results: await inbox.bulk(action, refs, actorOf(event, body)) });
  }
  if (first === INCIDENTS && segments.length === 3 && get) return json(200, await inbox.incident(second, third));
  if (first === INCIDENTS && segments.length === 4 && fourth === 'ack' && post) {
    return json(200, await inbox.ackIncident(second, third, actorOf(event, bodyOf(event))));
  }
  if (segments.length === 2 && get && first !== INCIDENTS) return json(200, await inbox.mention(first, second));
  return undefined;
}

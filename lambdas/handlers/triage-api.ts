import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { InboxService } from '../pipeline/inbox-service';
import { TriageService } from '../pipeline/triage-service';
import { routeInboxRequest } from './inbox-routes';
import { runtimeConfig } from './deployed-config';
import { logger } from './logger';
import { repository } from './runtime';

// Module scope: created once per execution environment and reused across invocations.
const service = new TriageService(repository);
// The inbox needs the brands, sources, spike settings and SLA policy of the deployed config.
const inbox = new InboxService(service, runtimeConfig('triage-api'));

/** Triage HTTP API (API Gateway HTTP API, payload v2): the inbox's routes (inbox-routes.ts), then triage-routes.ts. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  return routeInboxRequest(event, inbox, (err) =>
    logger.error('triage request failed', { error: err as Error, path: event.rawPath }),
  );
}

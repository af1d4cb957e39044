import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ENV, requireEnv } from '../config/env';
import { Repository } from '../store/repository';
import { documentClient } from '../store/table-client';
import { TriageService } from '../pipeline/triage-service';
import { routeTriageRequest } from './triage-routes';

// Module scope: created once per execution environment and reused across invocations.
const logger = new Logger();
const service = new TriageService(new Repository(documentClient(new DynamoDBClient({})), requireEnv(ENV.TABLE_NAME)));

/** Triage HTTP API (API Gateway HTTP API, payload v2); routes in triage-routes.ts. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  return routeTriageRequest(event, service, (err) =>
    logger.error('triage request failed', { error: err as Error, path: event.rawPath }),
  );
}

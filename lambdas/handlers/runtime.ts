import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ENV, requireEnv } from '../config/env';
import { Repository } from '../store/repository';
import { documentClient } from '../store/table-client';

/**
 * The table, for the handlers that read or write it, built once per execution environment (module scope, so its
 * cost is init, not the first request). Each handler imports only what it uses: `logger.ts`, `metrics.ts`,
 * `deployed-config.ts`, this file (DynamoDB), `alert-runtime.ts` (SNS and the sinks), so no bundle loads a client
 * its function never calls. Reading env vars fails fast, naming the variable.
 */
export const repository = new Repository(documentClient(new DynamoDBClient({})), requireEnv(ENV.TABLE_NAME));

import { createHash, randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type {
  APIGatewayProxyEventV2,
  AttributeValue as StreamAttributeValue,
  Context,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import type { SendMessageBatchCommandInput, SendMessageBatchCommandOutput } from '@aws-sdk/client-sqs';
import { ENV } from '../../../lambdas/config/env';
import { parseConfig } from '../../../lambdas/config/load';
import type { Mention } from '../../../lambdas/core/mention';
import { startLocalStore, type LocalStore } from '../../../lambdas/store/local';
import { Repository } from '../../../lambdas/store/repository';

/**
 * Shared set-up for the Lambda handler tests: an embedded dynalite reached through the real SDK (the handlers build
 * their own clients from the environment, as on AWS), the environment the stack sets, and events in the exact
 * shapes Lambda delivers them.
 */

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
export const ALERTS_TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:earshot-alerts`;
export const ESCALATION_TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:earshot-escalation`;
export const QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/earshot-mentions`;
export const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:earshot-mentions`;
export const WEBHOOK_SECRET_ENV = 'EARSHOT_TEST_WEBHOOK_SECRET';
export const WEBHOOK_SECRET = 'test-webhook-secret-9f2c';

/** The validated config the stack serializes into EARSHOT_CONFIG_JSON. */
export function configJson(sources: Record<string, unknown>[] = []): string {
  const config = parseConfig({
    brands: [
      { id: 'acme', name: 'Acme', keywords: ['acme'], exclude: ['acme museum'] },
      { id: 'globex', name: 'Globex', keywords: ['globex'] },
      { id: 'initech', name: 'Initech', keywords: ['initech'] },
    ],
    sources: [
      { id: 'acme-desk', kind: 'webhook', brand: 'acme', secretEnv: WEBHOOK_SECRET_ENV },
      { id: 'globex-desk', kind: 'webhook', brand: 'globex', secretEnv: WEBHOOK_SECRET_ENV },
      ...sources,
    ],
    storage: 'memory',
  });
  return JSON.stringify(config);
}

export interface HandlerEnv {
  store: LocalStore;
  repo: Repository;
  /** Restore process.env as it was. */
  restore(): Promise<void>;
}

/**
 * Start dynalite and set the environment a deployed function sees. Call before requiring a handler module: the
 * handlers read their environment and build their clients at module load.
 */
export async function startHandlerEnv(config: string = configJson()): Promise<HandlerEnv> {
  const saved = { ...process.env };
  // The SDK's notice about future Node versions says nothing about these tests.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const store = await startLocalStore('memory');
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: store.endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    [ENV.TABLE_NAME]: store.tableName,
    [ENV.QUEUE_URL]: QUEUE_URL,
    [ENV.ALERTS_TOPIC_ARN]: ALERTS_TOPIC_ARN,
    [ENV.ESCALATION_TOPIC_ARN]: ESCALATION_TOPIC_ARN,
    [ENV.CONFIG_JSON]: config,
    [ENV.SERVICE_NAME]: 'earshot-test',
    [ENV.METRICS_NAMESPACE]: 'EarshotTest',
    [WEBHOOK_SECRET_ENV]: WEBHOOK_SECRET,
    // Keep test output quiet: no EMF lines, no logs.
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  return {
    store,
    repo: new Repository(store.doc, store.tableName),
    async restore() {
      await store.close();
      process.env = saved;
    },
  };
}

/** The context object Lambda passes as the second argument. */
export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2026/06/10/[$LATEST]${randomUUID().replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

// ---- SQS -------------------------------------------------------------------------------------------------------

/** One SQS record as the event source mapping delivers it. */
export function sqsRecord(body: string, receiveCount = 1): SQSRecord {
  const sentAt = Date.now() - 2_000;
  return {
    messageId: randomUUID(),
    receiptHandle: `AQEB${createHash('sha256').update(body).digest('base64')}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(sentAt),
      SenderId: 'AROAEXAMPLE:earshot-poll',
      ApproximateFirstReceiveTimestamp: String(sentAt + 1_000),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN,
    awsRegion: REGION,
  };
}

/** The same records delivered again, as SQS does after a visibility timeout: new receipt handles, same ids. */
export function redelivered(event: SQSEvent): SQSEvent {
  return {
    Records: event.Records.map((record) => ({
      ...record,
      receiptHandle: `${record.receiptHandle}-2`,
      attributes: { ...record.attributes, ApproximateReceiveCount: '2' },
    })),
  };
}

/**
 * What SQS answers to SendMessageBatch, with its limits: at most 10 entries and 256 KiB of bodies per call (the
 * queue's default maximum message size), else the whole call is refused.
 */
export function sqsBatchReply(input: SendMessageBatchCommandInput): SendMessageBatchCommandOutput {
  const entries = input.Entries ?? [];
  if (entries.length > 10) {
    throw Object.assign(new Error('Maximum number of entries per request are 10.'), {
      name: 'TooManyEntriesInBatchRequest',
    });
  }
  const bytes = entries.reduce((sum, entry) => sum + Buffer.byteLength(entry.MessageBody ?? ''), 0);
  if (bytes > 256 * 1024) {
    throw Object.assign(new Error(`Batch requests cannot be longer than 262144 bytes. You have sent ${bytes} bytes.`), {
      name: 'BatchRequestTooLong',
    });
  }
  return {
    Successful: entries.map((entry) => ({
      Id: entry.Id,
      MessageId: randomUUID(),
      MD5OfMessageBody: createHash('md5')
        .update(entry.MessageBody ?? '')
        .digest('hex'),
    })),
    Failed: [],
    $metadata: {},
  };
}

// ---- DynamoDB streams ------------------------------------------------------------------------------------------

let sequence = 100_000_000_000_000_000_000n;

/** One stream record for an INSERT, the NewImage exactly as the table holds it (StreamViewType NEW_IMAGE). */
export function streamInsert(newImage: Record<string, AttributeValue>): DynamoDBRecord {
  sequence += 1n;
  // The SDK's and aws-lambda's AttributeValue types describe the same wire format.
  const image = newImage as Record<string, StreamAttributeValue>;
  return {
    eventID: randomUUID().replace(/-/g, ''),
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: REGION,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: { pk: image.pk, sk: image.sk },
      NewImage: image,
      SequenceNumber: String(sequence),
      SizeBytes: JSON.stringify(newImage).length,
      StreamViewType: 'NEW_IMAGE',
    },
    eventSourceARN: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/earshot/stream/2026-06-10T00:00:00.000`,
  };
}

export function streamEvent(records: DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: records };
}

// ---- API Gateway HTTP API (payload v2) -------------------------------------------------------------------------

export function httpApiEvent(
  method: string,
  rawPath: string,
  options: { body?: string; headers?: Record<string, string>; pathParameters?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${method} /ingest/{sourceId}`,
    rawPath,
    rawQueryString: '',
    headers: {
      accept: '*/*',
      'content-length': String(Buffer.byteLength(options.body ?? '')),
      'content-type': 'application/json',
      host: 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
      'user-agent': 'support-desk/2.3',
      'x-amzn-trace-id': 'Root=1-66660000-0123456789abcdef01234567',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...options.headers,
    },
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'a1b2c3d4e5',
      domainName: 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'a1b2c3d4e5',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'support-desk/2.3' },
      requestId: 'Xk9sQjZ0oAMEV1w=',
      routeKey: `${method} /ingest/{sourceId}`,
      stage: '$default',
      time: '10/Jun/2026:12:00:00 +0000',
      timeEpoch: Date.now(),
    },
    pathParameters: options.pathParameters,
    body: options.body,
    isBase64Encoded: false,
  };
}

// ---- mentions ---------------------------------------------------------------------------------------------------

/** A mention as a poller or the webhook puts it on the queue; `createdAt` a few minutes ago. */
export function mention(overrides: Partial<Mention> & { id: string }): Mention {
  return {
    sourceId: 'acme-desk',
    kind: 'webhook',
    brandId: 'acme',
    text: 'Acme lost my bag on flight AC123 and nobody answered my emails for 3 weeks. I paid for premium! Never again, cancelling.',
    createdAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    author: 'pat',
    ...overrides,
  };
}

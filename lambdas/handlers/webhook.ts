import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ENV, requireEnv } from '../config/env';
import { sendMentions } from '../pipeline/queue';
import { awsSecrets } from '../sources/secrets';
import { verifyWebhookDelivery } from '../sources/webhook-delivery';
import { logger, runtimeConfig } from './runtime';

const queueUrl = requireEnv(ENV.QUEUE_URL);
const sqs = new SQSClient({});
const secrets = awsSecrets();

function reply(statusCode: number, body: object): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** `POST /ingest/{sourceId}`: a pushing source (support desk, chat widget, form) delivers signed mentions. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const sourceId = event.pathParameters?.sourceId;
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  const result = await verifyWebhookDelivery(sourceId, raw, event.headers ?? {}, runtimeConfig(), secrets, new Date());
  if (!result.ok) {
    logger.warn('webhook delivery refused', { sourceId, status: result.status, error: result.error });
    return reply(result.status, { error: result.error });
  }
  await sendMentions(sqs, queueUrl, result.mentions);
  return reply(202, { accepted: result.mentions.length });
}

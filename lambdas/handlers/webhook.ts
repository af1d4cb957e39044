import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ENV, requireEnv } from '../config/env';
import { sendMentions } from '../pipeline/queue';
import { awsSecrets } from '../sources/secrets';
import { verifyWebhookDelivery, verifyWebhookHandshake } from '../sources/webhook-delivery';
import { runtimeConfig } from './deployed-config';
import { logger } from './logger';

// Module scope: the config is validated during init, once per execution environment.
const config = runtimeConfig('webhook');
const queueUrl = requireEnv(ENV.QUEUE_URL);
const sqs = new SQSClient({});
const secrets = awsSecrets();

function reply(statusCode: number, body: object): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/**
 * `POST /ingest/{sourceId}`: a pushing source (support desk, chat widget, form, a Facebook Page webhook, a Zalo OA)
 * delivers signed mentions. `GET /ingest/{sourceId}` answers Facebook's subscription handshake.
 */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const sourceId = event.pathParameters?.sourceId;
  if (event.requestContext?.http?.method === 'GET') {
    const query = event.queryStringParameters ?? {};
    const answer = await verifyWebhookHandshake(sourceId, query, config, secrets);
    if (answer.status !== 200) logger.warn('webhook handshake refused', { sourceId, status: answer.status });
    return { statusCode: answer.status, headers: { 'content-type': 'text/plain' }, body: answer.body };
  }
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  const result = await verifyWebhookDelivery(sourceId, raw, event.headers ?? {}, config, secrets, new Date());
  if (!result.ok) {
    logger.warn('webhook delivery refused', { sourceId, status: result.status, error: result.error });
    return reply(result.status, { error: result.error });
  }
  await sendMentions(sqs, queueUrl, result.mentions);
  return reply(202, { accepted: result.mentions.length });
}

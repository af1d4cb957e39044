import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ENV, requireEnv } from '../config/env';
import { sendMentions } from '../pipeline/queue';
import { parseWebhookDelivery } from '../sources/adapters/webhook';
import { awsSecrets, secretRef } from '../sources/secrets';
import { logger, runtimeConfig } from './runtime';

const queueUrl = requireEnv(ENV.QUEUE_URL);
const sqs = new SQSClient({});
const secrets = awsSecrets();

function reply(statusCode: number, body: object): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** `POST /ingest/{sourceId}`: a pushing source (support desk, chat widget, form) delivers signed mentions. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const config = runtimeConfig();
  const source = config.sources.find((s) => s.kind === 'webhook' && s.id === event.pathParameters?.sourceId);
  if (!source) return reply(404, { error: 'unknown webhook source' });
  const brand = config.brands.find((b) => b.id === source.brand)!;
  const ref = secretRef(source, 'secret');
  if (!ref) return reply(500, { error: 'webhook source has no secret configured' });
  const secret = await secrets.resolve(ref);
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  const result = parseWebhookDelivery(raw, event.headers ?? {}, secret, source, brand, new Date());
  if (!result.ok) {
    logger.warn('webhook delivery refused', { sourceId: source.id, status: result.status, error: result.error });
    return reply(result.status, { error: result.error });
  }
  await sendMentions(sqs, queueUrl, result.mentions);
  return reply(202, { accepted: result.mentions.length });
}

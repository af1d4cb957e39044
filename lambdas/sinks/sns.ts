import { PublishCommand, SNSClient, type MessageAttributeValue } from '@aws-sdk/client-sns';
import type { AlertMessage, AlertSink } from './types';

let sharedClient: SNSClient | undefined;

/** Replace the module-level SNS client (tests, custom endpoints or credentials). */
export function setSnsClient(client: SNSClient | undefined): void {
  sharedClient = client;
}

function snsClient(): SNSClient {
  // Created on first use and reused across warm Lambda invocations.
  sharedClient ??= new SNSClient({});
  return sharedClient;
}

export interface SnsSinkOptions {
  client?: SNSClient;
  /**
   * Publish per-protocol messages (MessageStructure json): email gets the text, HTTPS (AWS Chatbot) the custom
   * notification, SQS and Lambda the machine-readable JSON. Default false: everyone gets the text.
   */
  perProtocol?: boolean;
}

export function messageAttributes(message: AlertMessage): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [key, value] of Object.entries(message.attributes)) {
    attributes[key] = { DataType: 'String', StringValue: String(value) };
  }
  return attributes;
}

/** Publishes to an SNS topic; subscribers filter on the `brand`, `severity`, `source` and `kind` attributes. */
export function createSnsSink(topicArn: string, options: SnsSinkOptions = {}): AlertSink {
  return {
    name: `sns:${topicArn}`,
    async send(message: AlertMessage): Promise<void> {
      const client = options.client ?? snsClient();
      const structured = options.perProtocol === true;
      const body = structured
        ? JSON.stringify({
            default: message.text,
            email: message.text,
            https: JSON.stringify(message.json.chatbot),
            sqs: JSON.stringify(message.json),
            lambda: JSON.stringify(message.json),
          })
        : message.text;
      await client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: message.subject,
          Message: body,
          MessageStructure: structured ? 'json' : undefined,
          MessageAttributes: messageAttributes(message),
        }),
      );
    },
  };
}

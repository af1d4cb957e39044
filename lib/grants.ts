import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/**
 * Explicit least-privilege grants. The CDK `grant*` helpers for encrypted resources add wildcard KMS actions
 * (`kms:GenerateDataKey*`, `kms:ReEncrypt*`); these name exact actions on exact resources instead.
 */

export function allow(grantee: iam.IGrantable, sid: string, actions: string[], resources: string[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ sid, actions, resources }));
}

/** Publish to an SSE-KMS topic: SNS encrypts with a data key generated under the caller's identity. */
export function grantPublish(grantee: iam.IGrantable, sid: string, topic: sns.ITopic, key: kms.IKey): void {
  allow(grantee, sid, ['sns:Publish'], [topic.topicArn]);
  allow(grantee, `${sid}Key`, ['kms:GenerateDataKey', 'kms:Decrypt'], [key.keyArn]);
}

/** Send to an SSE-KMS queue. */
export function grantSend(grantee: iam.IGrantable, sid: string, queue: sqs.IQueue, key: kms.IKey): void {
  allow(grantee, sid, ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], [queue.queueArn]);
  allow(grantee, `${sid}Key`, ['kms:GenerateDataKey', 'kms:Decrypt'], [key.keyArn]);
}

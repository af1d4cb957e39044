import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/**
 * Explicit least-privilege grants. The CDK `grant*` helpers for encrypted resources add wildcard KMS actions
 * (`kms:GenerateDataKey*`, `kms:ReEncrypt*`); these name exact actions on exact resources instead.
 */

export function allow(grantee: iam.IGrantable, sid: string, actions: string[], resources: string[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ sid, actions, resources }));
}

/**
 * Publish to a topic encrypted with SNS's AWS managed key (`aws/sns`), whose key policy lets the account's principals
 * use it through SNS: no key grant is needed (or possible).
 */
export function grantPublish(grantee: iam.IGrantable, sid: string, topic: sns.ITopic): void {
  allow(grantee, sid, ['sns:Publish'], [topic.topicArn]);
}

/** Send to a queue with SQS-managed encryption (no key to grant). */
export function grantSend(grantee: iam.IGrantable, sid: string, queue: sqs.IQueue): void {
  allow(grantee, sid, ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], [queue.queueArn]);
}

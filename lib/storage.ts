import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GLOBAL_INDEXES, PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE } from '../lambdas/store/table';
import { allow } from './grants';

// Exactly the operations lambdas/store/table-client.ts sends from a Lambda: GetCommand, QueryCommand, PutCommand,
// UpdateCommand. (Its ScanCommand serves only `earshot triage stats` without a brand, which runs locally.)
const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'];
const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];

export interface StorageProps {
  /** Keep the table when the stack is deleted (default true). */
  retainData: boolean;
}

/**
 * The single table: on-demand, point-in-time recovery, TTL on `expiresAt`, a NEW_IMAGE stream for the alert Lambda,
 * encrypted with DynamoDB's AWS managed key (`aws/dynamodb`: KMS, its use in CloudTrail, no $1 a month of a key of
 * our own; callers need no key grant).
 */
export class Storage extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const removalPolicy = props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // TableV2 (AWS::DynamoDB::GlobalTable, one region): its stream grants are scoped to the stream ARN,
    // where the Table construct grants dynamodb:ListStreams on "*".
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      sortKey: { name: SORT_KEY, type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      dynamoStream: dynamodb.StreamViewType.NEW_IMAGE,
      deletionProtection: props.retainData,
      removalPolicy,
      globalSecondaryIndexes: GLOBAL_INDEXES.map((index) => ({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      })),
    });
  }

  /** The table and each index by its exact ARN (no `index/*`). */
  private tableResources(): string[] {
    return [this.table.tableArn, ...GLOBAL_INDEXES.map((index) => `${this.table.tableArn}/index/${index.indexName}`)];
  }

  grantReadData(grantee: iam.IGrantable, sid: string): void {
    allow(grantee, sid, TABLE_READ_ACTIONS, this.tableResources());
  }

  grantReadWriteData(grantee: iam.IGrantable, sid: string): void {
    allow(grantee, sid, TABLE_READ_ACTIONS, this.tableResources());
    // Indexes are read-only: writes name the table alone.
    allow(grantee, `${sid}Write`, TABLE_WRITE_ACTIONS, [this.table.tableArn]);
  }
}

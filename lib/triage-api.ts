import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';
import { ENV } from '../lambdas/config/env';
import type { EarshotConfig } from '../lambdas/config/schema';
import { API_BURST_LIMIT, API_RATE_LIMIT, EarshotFunction } from './earshot-function';
import { LoggedHttpApi } from './http-api';
import type { Storage } from './storage';

export interface TriageApiProps {
  config: EarshotConfig;
  storage: Storage;
}

/**
 * The triage HTTP API (list the queue, acknowledge, assign, resolve, mark false positives). Every route needs
 * SigV4 (IAM auth): callers are support tools and people with an IAM identity allowed `execute-api:Invoke`.
 * The Lambda does its own routing, so one greedy route plus the root reach it.
 */
export class TriageApi extends Construct {
  readonly triage: EarshotFunction;
  readonly http: LoggedHttpApi;
  readonly routes: apigwv2.HttpRoute[];

  constructor(scope: Construct, id: string, props: TriageApiProps) {
    super(scope, id);
    this.triage = new EarshotFunction(this, 'Triage', {
      handler: 'triage-api',
      config: props.config,
      logRetentionDays: props.config.deploy.logRetentionDays,
      environment: { [ENV.TABLE_NAME]: props.storage.table.tableName },
    });
    props.storage.grantReadWriteData(this.triage.fn, 'Table');

    this.http = new LoggedHttpApi(this, 'Http', {
      description: 'Earshot triage API (IAM auth)',
      logRetentionDays: props.config.deploy.logRetentionDays,
      defaultAuthorizer: new HttpIamAuthorizer(),
      rateLimit: API_RATE_LIMIT,
      burstLimit: API_BURST_LIMIT,
    });
    const integration = new HttpLambdaIntegration('Triage', this.triage.fn);
    this.routes = ['/', '/{proxy+}'].flatMap((path) =>
      this.http.api.addRoutes({ path, methods: [apigwv2.HttpMethod.ANY], integration }),
    );
  }
}

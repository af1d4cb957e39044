import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { toRetention } from './earshot-function';

export interface LoggedHttpApiProps {
  description: string;
  logRetentionDays: number;
  /** Applied to every route (IAM for the triage API). */
  defaultAuthorizer?: apigwv2.IHttpRouteAuthorizer;
  /** Steady-state requests per second and burst for the whole stage. */
  rateLimit: number;
  burstLimit: number;
}

/** An HTTP API whose one `$default` stage writes JSON access logs and throttles every route. */
export class LoggedHttpApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LoggedHttpApiProps) {
    super(scope, id);
    this.api = new apigwv2.HttpApi(this, 'Api', {
      description: props.description,
      createDefaultStage: false,
      defaultAuthorizer: props.defaultAuthorizer,
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: toRetention(props.logRetentionDays),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigw.AccessLogFormat.jsonWithStandardFields(),
      },
    });
  }

  get url(): string {
    return this.stage.url;
  }
}

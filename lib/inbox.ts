import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { inboxAssets, inboxCsp } from '../web/assets';
import type { TriageApi } from './triage-api';

export interface InboxProps {
  triageApi: TriageApi;
  /** The Cognito hosted sign-in domain's prefix (config `deploy.inbox.domainPrefix`). */
  domainPrefix: string;
  retainData: boolean;
}

/** Where the triage API answers the browser: CloudFront sends `/triage…` here (origin path), under a JWT authorizer. */
export const INBOX_API_PREFIX = '/inbox';

/**
 * The web inbox on AWS: the same files `earshot serve` serves (web/assets.ts), in a private S3 bucket read by
 * CloudFront through origin access control. People sign in with a Cognito user pool (hosted UI, code + PKCE, MFA);
 * CloudFront forwards the page's `/triage…` calls, same origin, to `/inbox/triage…` on the triage HTTP API, where a
 * JWT authorizer checks the user pool's ID token. Machines keep calling the IAM routes of the same API.
 */
export class Inbox extends Construct {
  readonly bucket: s3.Bucket;
  readonly logs: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  readonly routes: apigwv2.HttpRoute[];
  readonly deployment: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: InboxProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const retain = props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // CloudFront standard logs need ACLs on their bucket; the site bucket logs its own access here too.
    this.logs = new s3.Bucket(this, 'Logs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: false,
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: 's3/',
      // The files come from the package on every deploy; nothing in the bucket is data.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.userPool = new cognito.UserPool(this, 'Users', {
      // Support leads are invited (aws cognito-idp admin-create-user); nobody signs themselves up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: props.retainData,
      removalPolicy: retain,
    });
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix } });

    // The API's own answers say `cache-control: no-store`; the Authorization header is in the key so that a cached
    // answer can never reach another viewer even if one did not.
    const apiCache = new cloudfront.CachePolicy(this, 'ApiCache', {
      comment: 'Earshot inbox API: forward the bearer token, cache nothing',
      defaultTtl: Duration.seconds(0),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Authorization'),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
    });
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Earshot inbox: CSP (own scripts, Cognito token endpoint), HSTS, no framing',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: inboxCsp([this.domain.baseUrl()]), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
    });
    const api = props.triageApi.http.api;
    const apiDomain = `${api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Earshot inbox',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      additionalBehaviors: {
        'triage*': {
          origin: new origins.HttpOrigin(apiDomain, {
            originPath: INBOX_API_PREFIX,
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: apiCache,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });
    const siteUrl = `https://${this.distribution.distributionDomainName}/`;

    this.client = this.userPool.addClient('Browser', {
      // A public client in the browser: authorization code with PKCE, no secret.
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [siteUrl],
        logoutUrls: [siteUrl],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(8),
    });

    // The browser's routes on the triage API: the same Lambda, a JWT (user pool ID token) instead of SigV4.
    const authorizer = new HttpUserPoolAuthorizer('InboxUsers', this.userPool, { userPoolClients: [this.client] });
    const integration = new HttpLambdaIntegration('InboxTriage', props.triageApi.triage.fn);
    this.routes = [`${INBOX_API_PREFIX}/triage`, `${INBOX_API_PREFIX}/triage/{proxy+}`].flatMap((routePath) =>
      api.addRoutes({ path: routePath, methods: [apigwv2.HttpMethod.ANY], integration, authorizer }),
    );

    this.deployment = new s3deploy.BucketDeployment(this, 'Files', {
      sources: [
        s3deploy.Source.asset(stageAssets()),
        // Read by web/api.js: where to sign in. Deploy-time values (the pool's ids) are filled in by CloudFormation.
        s3deploy.Source.jsonData('config.json', {
          cognito: { domain: this.domain.baseUrl(), clientId: this.client.userPoolClientId },
        }),
      ],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      memoryLimit: 256,
    });
    // Its provider Lambda (an aws-cdk-lib singleton) runs only while `cdk deploy` copies the files, once per
    // deployment: 1 reserved, like every function of the stack it has a stated limit (deploys are never concurrent).
    for (const provider of Stack.of(this).node.children.filter((c) =>
      c.node.id.startsWith('Custom::CDKBucketDeployment'),
    )) {
      const fn = provider.node.defaultChild as CfnFunction | undefined;
      if (fn?.cfnResourceType === 'AWS::Lambda::Function') fn.reservedConcurrentExecutions = 1;
    }

    this.acknowledgeFindings();
  }

  get url(): string {
    return `https://${this.distribution.distributionDomainName}/`;
  }

  /** cdk-nag AwsSolutions findings that are deliberate here, each on the narrowest construct, with its reason. */
  private acknowledgeFindings(): void {
    Validations.of(this.logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the access-log destination of the inbox bucket and the CloudFront distribution; logging it into itself would loop.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus feature plan (threat protection) is billed per active user; this pool has no self sign-up, invites each support lead, requires TOTP MFA and 12-character passwords. Switch featurePlan to PLUS in lib/inbox.ts where the audience grows.',
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Support teams sign in from wherever they work (the first brand teams are in Vietnam, others travel); every page and API call needs a Cognito sign-in with MFA, so a country block adds no protection.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves public static files and forwards API calls that the JWT authorizer checks and the API stage throttles; a WAF web ACL would cost more than the whole stack for an internal tool with few users. Add one in front if the inbox is exposed more widely.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The inbox uses the default *.cloudfront.net certificate, with which CloudFront cannot pin the minimum viewer TLS version; viewers are redirected to HTTPS and HSTS is sent. A custom domain with its own certificate would allow TLSv1.2_2021.',
      },
    );
    // The BucketDeployment's provider function is one CDK singleton per stack. cdk-nag reports its IAM findings one
    // by one (action or resource), so each is named.
    const stack = Stack.of(this);
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const site = stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    const wildcards = [
      'Action::s3:GetObject*',
      'Action::s3:GetBucket*',
      'Action::s3:List*',
      'Action::s3:DeleteObject*',
      'Action::s3:Abort*',
      `Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${account}-${region}/*`,
      `Resource::<${site}.Arn>/*`,
      'Resource::*',
    ];
    const provider = stack.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    for (const construct of provider) {
      Validations.of(construct).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason:
            "The aws-s3-deployment provider Lambda (maintained in aws-cdk-lib) runs with AWSLambdaBasicExecutionRole for its own log stream; it runs only during cdk deploy to copy the inbox's files.",
        },
        ...wildcards.map((finding) => ({
          id: `AwsSolutions-IAM5[${finding}]`,
          reason:
            "The aws-s3-deployment provider (aws-cdk-lib) copies every object of the CDK asset into the inbox bucket, prunes the rest and invalidates the distribution's cache: object-level grants on those two buckets (bucket/*), and CloudFront invalidations, which take no resource ARN.",
        })),
        {
          id: 'AwsSolutions-L1',
          reason:
            'The aws-s3-deployment provider Lambda runtime (Python, with the AWS CLI layer) is chosen and updated by aws-cdk-lib, not by this project.',
        },
      );
    }
  }
}

/** The inbox's files written to a fresh folder at synth time, so the CDK asset is exactly what serve serves. */
function stageAssets(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'earshot-inbox-'));
  for (const asset of inboxAssets()) {
    const file = path.join(dir, asset.path);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, asset.body);
  }
  return dir;
}

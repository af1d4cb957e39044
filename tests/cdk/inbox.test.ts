import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ConfigError, parseConfig } from '../../lambdas/config/load';
import { createEarshotApp } from '../../lib/earshot-app';
import { inboxAssets } from '../../web/assets';

const ENV = { account: '123456789012', region: 'ap-southeast-1' };
/** The template tests do not need the Lambda code. */
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

const base = {
  brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }],
  sources: [{ id: 'acme-hn', kind: 'hackernews', brand: 'acme' }],
};
const config = parseConfig({ ...base, deploy: { inbox: { domainPrefix: 'acme-earshot' } } });

let template: Template;
let built: ReturnType<typeof createEarshotApp>;
let outdir: string;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'earshot-inbox-cdk-'));
  built = createEarshotApp(config, { env: ENV, appProps: { outdir, context: NO_BUNDLING } });
  built.app.synth();
  template = Template.fromStack(built.stack);
}, 120_000);

type Resource = { Properties: Record<string, unknown> };
const only = (type: string): Resource => {
  const found = Object.values(template.findResources(type)) as Resource[];
  expect(found).toHaveLength(1);
  return found[0];
};

test('the site bucket is private, readable by this distribution only through origin access control', () => {
  template.hasResourceProperties('AWS::S3::Bucket', {
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    },
    LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3/' }),
  });
  for (const bucket of Object.values(template.findResources('AWS::S3::Bucket')) as Resource[]) {
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
  }
  template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
    OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }),
  });
  const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as Resource[];
  const reads = policies.flatMap((p) =>
    ((p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement ?? []).filter(
      (s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: 'cloudfront.amazonaws.com' }),
    ),
  );
  expect(reads).toHaveLength(1);
  expect(reads[0].Action).toBe('s3:GetObject');
  // Only this distribution may read: the condition names its ARN.
  expect(JSON.stringify(reads[0].Condition)).toContain('AWS:SourceArn');
  expect(JSON.stringify(reads[0].Condition)).toContain('InboxDistribution');
});

test('CloudFront serves index.html over HTTPS and sends /triage… to the JWT routes of the triage API', () => {
  const distribution = only('AWS::CloudFront::Distribution').Properties.DistributionConfig as Record<string, unknown>;
  expect(distribution.DefaultRootObject).toBe('index.html');
  expect(distribution.DefaultCacheBehavior).toMatchObject({
    ViewerProtocolPolicy: 'redirect-to-https',
    Compress: true,
  });
  expect(distribution.Logging).toBeDefined();
  const [api] = distribution.CacheBehaviors as Record<string, unknown>[];
  expect(api).toMatchObject({ PathPattern: 'triage*', ViewerProtocolPolicy: 'https-only' });
  expect(api.AllowedMethods).toEqual(expect.arrayContaining(['POST', 'GET']));
  const apiOrigin = (distribution.Origins as Record<string, unknown>[]).find((o) => o.OriginPath === '/inbox');
  expect(JSON.stringify(apiOrigin?.DomainName)).toContain('execute-api');
  // The Authorization header reaches the API (cache key), and nothing is cached for long.
  template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
    CachePolicyConfig: Match.objectLike({
      DefaultTTL: 0,
      ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
        HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Authorization'] },
      }),
    }),
  });
});

test('the response headers carry the inbox CSP with the Cognito domain, HSTS and no framing', () => {
  const policy = only('AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig as {
    SecurityHeadersConfig: Record<string, Record<string, unknown>>;
  };
  const csp = JSON.stringify(policy.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  // The token exchange goes to the pool's hosted domain (acme-earshot.auth.<region>.amazoncognito.com).
  expect(csp).toMatch(
    /connect-src 'self' https:\/\/",\{"Ref":"InboxUsersDomain\w+"\},"\.auth\.ap-southeast-1\.amazoncognito\.com;/,
  );
  expect(policy.SecurityHeadersConfig.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
  expect(policy.SecurityHeadersConfig.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31536000 });
});

test('people sign in with the user pool: invited only, MFA, strong passwords, code flow with PKCE and no secret', () => {
  template.hasResourceProperties('AWS::Cognito::UserPool', {
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    MfaConfiguration: 'ON',
    EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
  });
  template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'acme-earshot' });
  const client = only('AWS::Cognito::UserPoolClient').Properties;
  expect(client.GenerateSecret).toBe(false);
  expect(client.AllowedOAuthFlows).toEqual(['code']);
  expect(client.AllowedOAuthScopes).toEqual(expect.arrayContaining(['openid', 'email']));
  expect(JSON.stringify(client.CallbackURLs)).toContain('InboxDistribution');
});

test('the browser routes use a JWT authorizer on the user pool; every other route keeps IAM', () => {
  const authorizer = only('AWS::ApiGatewayV2::Authorizer').Properties;
  expect(authorizer.AuthorizerType).toBe('JWT');
  expect(JSON.stringify(authorizer.JwtConfiguration)).toContain('cognito-idp');
  expect(JSON.stringify((authorizer.JwtConfiguration as { Audience: unknown }).Audience)).toContain(
    'InboxUsersBrowser',
  );
  const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as Resource[];
  const byKey = Object.fromEntries(
    routes.map((r) => [r.Properties.RouteKey as string, r.Properties.AuthorizationType]),
  );
  expect(byKey).toMatchObject({
    'ANY /inbox/triage': 'JWT',
    'ANY /inbox/triage/{proxy+}': 'JWT',
    'ANY /': 'AWS_IAM',
    'ANY /{proxy+}': 'AWS_IAM',
  });
  for (const [key, type] of Object.entries(byKey)) {
    if (!key.startsWith('ANY /inbox/')) expect(type).not.toBe('JWT');
  }
});

test('the deployed files are exactly the ones earshot serve serves, plus config.json naming the sign-in', () => {
  const deployment = only('Custom::CDKBucketDeployment').Properties;
  expect(deployment.Prune).toBe(true);
  expect(deployment.DistributionPaths).toEqual(['/*']);
  // The staged asset folder of the inbox files, in the cloud assembly.
  const staged = readdirSync(outdir)
    .filter((name) => name.startsWith('asset.'))
    .map((name) => path.join(outdir, name))
    .find((dir) => existsSync(path.join(dir, 'index.html')));
  expect(staged).toBeDefined();
  for (const asset of inboxAssets()) expect(existsSync(path.join(staged!, asset.path))).toBe(true);
  // config.json's values are filled in at deploy time from the pool and its client.
  const markers = JSON.stringify(deployment.SourceMarkers);
  expect(markers).toContain('InboxUsersBrowser');
  expect(markers).toContain('InboxUsersDomain');
  template.hasOutput('InboxUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
  template.hasOutput('InboxUserPoolId', Match.anyValue());
});

test("the deployment's provider Lambda reserves a concurrency of 1 (it runs once per cdk deploy)", () => {
  const functions = Object.entries(template.findResources('AWS::Lambda::Function')) as [string, Resource][];
  const providers = functions.filter(([id]) => id.startsWith('CustomCDKBucketDeployment'));
  expect(providers).toHaveLength(1);
  expect(providers[0][1].Properties.ReservedConcurrentExecutions).toBe(1);
});

test('cdk-nag finds nothing unacknowledged; each acknowledgement of the inbox is on its construct with a reason', () => {
  const report = built.nag.validateScope(built.app);
  expect(report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.locations)}`)).toEqual([]);
  const acknowledged: { path: string; id: string; reason: string }[] = [];
  for (const construct of built.stack.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== 'aws:cdk:acknowledged-rules') continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        acknowledged.push({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason });
      }
    }
  }
  const inbox = acknowledged.filter(
    (a) => a.id.startsWith('AwsSolutions-') && (a.path.includes('Inbox') || a.path.includes('CDKBucketDeployment')),
  );
  const ids = inbox.map(
    (a) => `${a.id.replace(/\[.*\]$/, '[…]')} ${a.path.replace(/CDKBucketDeployment\w+/, 'CDKBucketDeployment')}`,
  );
  expect([...new Set(ids)].sort()).toEqual([
    'AwsSolutions-CFR1 Earshot/Inbox/Distribution',
    'AwsSolutions-CFR2 Earshot/Inbox/Distribution',
    'AwsSolutions-CFR4 Earshot/Inbox/Distribution',
    'AwsSolutions-COG8 Earshot/Inbox/Users',
    'AwsSolutions-IAM4[…] Earshot/Custom::CDKBucketDeployment',
    'AwsSolutions-IAM5[…] Earshot/Custom::CDKBucketDeployment',
    'AwsSolutions-L1 Earshot/Custom::CDKBucketDeployment',
    'AwsSolutions-S1 Earshot/Inbox/Logs',
  ]);
  // The provider's wildcards are acknowledged one by one, none of them on the inbox's own roles.
  expect(inbox.filter((a) => a.id.startsWith('AwsSolutions-IAM5')).length).toBe(8);
  for (const a of inbox) expect(a.reason.length).toBeGreaterThan(60);
});

test('without deploy.inbox there is no distribution, user pool or JWT route', () => {
  const plain = createEarshotApp(parseConfig(base), { env: ENV, appProps: { context: NO_BUNDLING } });
  const t = Template.fromStack(plain.stack);
  t.resourceCountIs('AWS::CloudFront::Distribution', 0);
  t.resourceCountIs('AWS::Cognito::UserPool', 0);
  t.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
});

test('an invalid sign-in domain prefix is a config error naming the field', () => {
  expect(() => parseConfig({ ...base, deploy: { inbox: { domainPrefix: 'my-cognito-inbox' } } })).toThrow(ConfigError);
  expect(() => parseConfig({ ...base, deploy: { inbox: { domainPrefix: 'Acme_Inbox' } } })).toThrow(
    /deploy\.inbox\.domainPrefix/,
  );
});

import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { startLocalStore, type LocalStore } from '../../../lambdas/store/local';
import { Repository } from '../../../lambdas/store/repository';
import { routeTriageRequest } from '../../../lambdas/handlers/triage-routes';
import { TriageService } from '../../../lambdas/pipeline/triage-service';
import { ENV } from '../../../lambdas/config/env';
import { alertRecord, storedMention } from '../store/fixtures';

let store: LocalStore;
let service: TriageService;

const REVIEWER_ARN = 'arn:aws:iam::123456789012:user/support-lead';

beforeAll(async () => {
  store = await startLocalStore('memory');
  service = new TriageService(new Repository(store.doc, store.tableName), () => '2024-05-02T09:00:00.000Z');
  const rows = [
    { id: 'api-high', severity: 'high' as const, createdAt: '2024-05-01T10:00:00Z' },
    { id: 'api-crit', severity: 'critical' as const, createdAt: '2024-05-01T09:00:00Z' },
    { id: 'at://did:plc:abc/app.bsky.feed.post/3k', severity: 'medium' as const, createdAt: '2024-05-01T11:00:00Z' },
    { id: 'api-fp', severity: 'low' as const, createdAt: '2024-05-01T08:00:00Z' },
  ];
  for (const row of rows) await service.repo.mentions.put(storedMention({ ...row, brandId: 'api' }), 30);
});

afterAll(async () => {
  await store.close();
});

interface EventOptions {
  query?: Record<string, string>;
  body?: string;
  base64?: boolean;
  userArn?: string;
}

/** An HTTP API payload v2 event as API Gateway sends it for the `$default` stage. */
function apiEvent(method: string, rawPath: string, opts: EventOptions = {}): APIGatewayProxyEventV2 {
  const requestContext: APIGatewayProxyEventV2['requestContext'] & { authorizer?: unknown } = {
    accountId: '123456789012',
    apiId: 'a1b2c3d4e5',
    domainName: 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
    domainPrefix: 'a1b2c3d4e5',
    http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'curl/8.5.0' },
    requestId: 'Xk9sQjZ0oAMEV1w=',
    routeKey: '$default',
    stage: '$default',
    time: '02/May/2024:09:00:00 +0000',
    timeEpoch: 1714640400000,
  };
  if (opts.userArn) {
    requestContext.authorizer = {
      iam: {
        accessKey: 'AKIAEXAMPLE',
        accountId: '123456789012',
        callerId: 'AIDAEXAMPLE',
        cognitoIdentity: null,
        principalOrgId: null,
        userArn: opts.userArn,
        userId: 'AIDAEXAMPLE',
      },
    };
  }
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: new URLSearchParams(opts.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', host: 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com' },
    queryStringParameters: opts.query,
    requestContext,
    body: opts.base64 && opts.body ? Buffer.from(opts.body).toString('base64') : opts.body,
    isBase64Encoded: Boolean(opts.base64),
  };
}

async function call(method: string, rawPath: string, opts: EventOptions = {}) {
  const result = await routeTriageRequest(apiEvent(method, rawPath, opts), service);
  return { status: result.statusCode, body: JSON.parse(String(result.body)) };
}

describe('triage HTTP API', () => {
  test('GET /triage lists the queue as JSON rows, critical first', async () => {
    const { status, body } = await call('GET', '/triage', { query: { brand: 'api', status: 'new' } });
    expect(status).toBe(200);
    expect(body.map((row: { id: string }) => row.id)).toEqual([
      'api-crit',
      'api-high',
      'at://did:plc:abc/app.bsky.feed.post/3k',
      'api-fp',
    ]);
    expect(body[0]).toMatchObject({ sourceId: 'acme-hn', status: 'new', severity: 'critical' });
  });

  test('bad query parameters are 400', async () => {
    expect((await call('GET', '/triage')).status).toBe(400);
    const badStatus = await call('GET', '/triage', { query: { brand: 'api', status: 'closed' } });
    expect(badStatus).toEqual({ status: 400, body: { error: expect.stringContaining('status must be one of') } });
    expect((await call('GET', '/triage', { query: { brand: 'api', limit: '0' } })).status).toBe(400);
  });

  test('GET one mention by URL-encoded id; unknown ones are 404', async () => {
    const id = 'at://did:plc:abc/app.bsky.feed.post/3k';
    const found = await call('GET', `/triage/acme-hn/${encodeURIComponent(id)}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id, sourceId: 'acme-hn', analysis: { severity: 'medium' } });
    expect((await call('GET', '/triage/acme-hn/nope')).status).toBe(404);
  });

  test('POST ack records the IAM caller, and acking twice is 409', async () => {
    const acked = await call('POST', '/triage/acme-hn/api-high/ack', {
      body: JSON.stringify({ by: 'spoofed', note: 'looking' }),
      userArn: REVIEWER_ARN,
    });
    expect(acked.status).toBe(200);
    expect(acked.body.triage.status).toBe('acknowledged');
    expect(acked.body.triage.history.at(-1)).toEqual({
      at: '2024-05-02T09:00:00.000Z',
      action: 'acknowledged',
      by: REVIEWER_ARN,
      note: 'looking',
    });
    const again = await call('POST', '/triage/acme-hn/api-high/ack', { userArn: REVIEWER_ARN });
    expect(again).toEqual({ status: 409, body: { error: expect.stringContaining('cannot acknowledge a mention') } });
  });

  test('invalid transitions are 409 with the reason', async () => {
    expect((await call('POST', '/triage/acme-hn/api-fp/false-positive', { body: '{"by":"kim"}' })).status).toBe(200);
    const refused = await call('POST', '/triage/acme-hn/api-fp/resolve', { body: '{}' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toContain('cannot resolve a mention that is false_positive');
    expect((await call('POST', '/triage/acme-hn/missing/resolve')).status).toBe(404);
  });

  test('assign and note take a JSON body (base64 too); bad bodies are 400', async () => {
    const assigned = await call('POST', '/triage/acme-hn/api-crit/assign', {
      body: JSON.stringify({ assignee: 'kim', by: 'sam' }),
      base64: true,
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body.triage).toMatchObject({ status: 'new', assignee: 'kim' });

    expect((await call('POST', '/triage/acme-hn/api-crit/assign', { body: '{"by":"sam"}' })).status).toBe(400);
    expect((await call('POST', '/triage/acme-hn/api-crit/note', { body: '{not json' })).status).toBe(400);
    expect((await call('POST', '/triage/acme-hn/api-crit/note', { body: '{"note": 42}' })).status).toBe(400);
    expect((await call('POST', '/triage/acme-hn/api-crit/note', { body: '["a"]' })).status).toBe(400);
  });

  test('POST /triage/alerts/{alertId}/ack acknowledges a spike alert by its URL-encoded id, idempotently', async () => {
    const alertId = 'spike#api#2024-05-01T10';
    await service.repo.alerts.putOnce(alertRecord({ alertId, brandId: 'api', kind: 'spike' }));
    const path = `/triage/alerts/${encodeURIComponent(alertId)}/ack`;
    expect(path).not.toContain('#');

    const acked = await call('POST', path, { body: '{"by":"spoofed"}', userArn: REVIEWER_ARN });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({
      acknowledgedNow: true,
      alert: { alertId, kind: 'spike', acknowledgedBy: REVIEWER_ARN, acknowledgedAt: '2024-05-02T09:00:00.000Z' },
    });
    // Acknowledged alerts leave the escalation index: the sweeper no longer sees it.
    expect(await service.repo.alerts.listForEscalation('2024-05-01T12:00:00.000Z')).not.toContainEqual(
      expect.objectContaining({ alertId }),
    );

    const again = await call('POST', path, { body: '{"by":"kim"}' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ acknowledgedNow: false, alert: { acknowledgedBy: REVIEWER_ARN } });
  });

  test('acknowledging an escalation acknowledges the alert it escalates', async () => {
    const original = 'digest#api#2024-05-01T08';
    const escalation = `escalation#${original}#1`;
    await service.repo.alerts.putOnce(alertRecord({ alertId: original, brandId: 'api', kind: 'digest' }));
    await service.repo.alerts.putOnce(alertRecord({ alertId: escalation, brandId: 'api', kind: 'escalation' }));
    const acked = await call('POST', `/triage/alerts/${encodeURIComponent(escalation)}/ack`, { body: '{"by":"kim"}' });
    expect(acked.status).toBe(200);
    expect(acked.body.original).toMatchObject({ alertId: original, acknowledgedBy: 'kim' });
    expect((await service.repo.alerts.get(original))?.acknowledgedBy).toBe('kim');
  });

  test('alert acks: unknown alert 404, unknown action 404, wrong method 405', async () => {
    const missing = await call('POST', `/triage/alerts/${encodeURIComponent('spike#api#1999-01-01T00')}/ack`);
    expect(missing).toEqual({ status: 404, body: { error: 'no alert spike#api#1999-01-01T00' } });
    expect((await call('POST', '/triage/alerts/spike%23api/resolve')).status).toBe(404);
    expect((await call('GET', '/triage/alerts/spike%23api/ack')).status).toBe(405);
  });

  test('unknown routes are 404 and wrong methods 405', async () => {
    expect((await call('POST', '/triage/acme-hn/api-crit/explode')).status).toBe(404);
    expect((await call('DELETE', '/triage/acme-hn/api-crit')).status).toBe(405);
    expect((await call('GET', '/triage/acme-hn/api-crit/ack')).status).toBe(405);
    expect((await call('GET', '/elsewhere')).status).toBe(404);
  });

  test('GET /triage/stats counts statuses and precision', async () => {
    const { status, body } = await call('GET', '/triage/stats', { query: { brand: 'api' } });
    expect(status).toBe(200);
    expect(body.byStatus).toEqual({ new: 2, acknowledged: 1, resolved: 0, false_positive: 1 });
    expect(body.precision).toBe(0.5);
  });

  test('GET /triage/stats without a brand counts every brand, as the CLI does locally', async () => {
    await service.repo.mentions.put(storedMention({ id: 'other-1', sourceId: 'other-hn', brandId: 'other' }), 30);
    const one = await call('GET', '/triage/stats', { query: { brand: 'api' } });
    const all = await call('GET', '/triage/stats');
    expect(all.status).toBe(200);
    expect(all.body).toEqual(JSON.parse(JSON.stringify(await service.stats())));
    expect(all.body.brandId).toBeUndefined();
    expect(all.body.flagged).toBe(one.body.flagged + 1);
    expect(all.body.bySource.map((row: { key: string }) => row.key).sort()).toEqual(['acme-hn', 'other-hn']);
  });

  test('unexpected failures are 500 without details, and reported', async () => {
    const broken = new TriageService(new Repository(store.doc, 'no-such-table'));
    const errors: unknown[] = [];
    const result = await routeTriageRequest(apiEvent('GET', '/triage/a/b'), broken, (err) => errors.push(err));
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(String(result.body))).toEqual({ error: 'internal error' });
    expect(errors).toHaveLength(1);
  });
});

describe('TriageService', () => {
  test('concurrent notes both land: the loser of the conditional write retries on a fresh read', async () => {
    await service.repo.mentions.put(storedMention({ id: 'notes', brandId: 'api-notes' }), 30);
    await Promise.all([
      service.note('acme-hn', 'notes', { by: 'a', note: 'first' }),
      service.note('acme-hn', 'notes', { by: 'b', note: 'second' }),
    ]);
    const history = (await service.show('acme-hn', 'notes')).triage?.history ?? [];
    expect(
      history
        .filter((event) => event.action === 'noted')
        .map((event) => event.note)
        .sort(),
    ).toEqual(['first', 'second']);
  });
});

describe('triage-api Lambda handler', () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  test('reads the table name from the environment and answers through the real SDK client', async () => {
    process.env[ENV.TABLE_NAME] = store.tableName;
    process.env[ENV.CONFIG_JSON] = JSON.stringify({ brands: [{ id: 'api', name: 'API', keywords: ['api'] }] });
    process.env.AWS_ENDPOINT_URL_DYNAMODB = store.endpoint;
    process.env.AWS_REGION = 'local';
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    process.env.POWERTOOLS_DEV = 'true';
    let handler: ((event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>) | undefined;
    jest.isolateModules(() => {
      handler = require('../../../lambdas/handlers/triage-api').handler;
    });
    const result = await handler!(apiEvent('GET', '/triage', { query: { brand: 'api', status: 'acknowledged' } }));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(String(result.body)).map((row: { id: string }) => row.id)).toEqual(['api-high']);
    // The inbox's routes answer from the same function.
    const queue = await handler!(apiEvent('GET', '/triage/queue', { query: { brand: 'api', status: 'acknowledged' } }));
    expect(queue.statusCode).toBe(200);
    expect(JSON.parse(String(queue.body)).items.map((row: { id: string }) => row.id)).toEqual(['api-high']);
  });
});

import { createHmac } from 'node:crypto';
import { formatMention } from '../../../bin/cli/triage';
import { parseConfig } from '../../../lambdas/config/load';
import type { BrandReply } from '../../../lambdas/core/mention';
import { openLocalPipeline, type LocalPipeline } from '../../../lambdas/pipeline/local';
import { runPass, type PassDeps } from '../../../lambdas/pipeline/run-pass';
import { TriageService } from '../../../lambdas/pipeline/triage-service';
import type { AlertMessage } from '../../../lambdas/sinks';
import { Repository } from '../../../lambdas/store/repository';
import { startServer, unix, type RecordedRequest, type TestServer } from '../sources/server';

/**
 * The brand's reply that comes after its review was stored (Google reviews' `reviewReply`, Shopee's
 * `comment_reply`) reaches the stored mention and `triage show`, once: polled on real sockets from local servers in
 * each API's format, stored on dynalite, both as the local process (the sole writer, batched writes) and as the
 * Lambdas write (conditional writes, many writers).
 */

const T0 = Date.parse('2026-06-10T12:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const env = {
  G_CLIENT: 'client-id-123.apps.googleusercontent.com',
  G_SECRET: 'gocspx-client-secret-abc',
  G_REFRESH: '1//refresh-token-xyz',
  SHOPEE_KEY: 'partner-key-0123456789abcdef',
  SHOPEE_TOKEN: 'shop-access-token-abcdef',
};
const COMPLAINT = 'Nồi chiên BH-55 tróc lớp chống dính sau 2 tuần, gọi bảo hành 5 lần không ai nghe máy, quá thất vọng';
const PRAISE = 'Nhân viên nhiệt tình, giao hàng nhanh';
const REPLY = 'Dạ Bếp Hồng xin lỗi anh, bên em sẽ gọi lại ngay ạ';

let server: TestServer;
/** What the local APIs answer now; each test changes them between passes. */
let reviews: unknown[];
let comments: unknown[];

const REVIEWS = '/v4/accounts/1000001/locations/2000001/reviews';
const SHOPEE = '/api/v2/product/get_comment';

function review(id: string, updateTime: string, comment: string, reply?: BrandReply) {
  return {
    name: `accounts/1000001/locations/2000001/reviews/${id}`,
    reviewId: id,
    reviewer: { displayName: `Khách ${id}`, isAnonymous: false },
    starRating: 'ONE',
    comment,
    createTime: '2026-06-10T09:00:00Z',
    updateTime,
    ...(reply ? { reviewReply: { comment: reply.text, updateTime: reply.createdAt } } : {}),
  };
}

function comment(id: number, iso: string, text: string, reply?: BrandReply) {
  return {
    comment_id: id,
    comment: text,
    buyer_username: `buyer${id}`,
    item_id: 1700001,
    rating_star: 1,
    hidden: false,
    create_time: unix(iso),
    comment_reply: reply ? { reply: reply.text, hidden: false, create_time: unix(reply.createdAt!) } : null,
  };
}

/** Shopee's own check of the partner signature. */
function shopeeSigned(req: RecordedRequest): boolean {
  const q = req.query;
  const base = `${q.get('partner_id')}${req.path}${q.get('timestamp')}${q.get('access_token')}${q.get('shop_id')}`;
  return q.get('sign') === createHmac('sha256', env.SHOPEE_KEY).update(base).digest('hex');
}

beforeEach(async () => {
  server = await startServer();
  reviews = [];
  comments = [];
  server.on('POST', '/token', (req) =>
    new URLSearchParams(req.body).get('refresh_token') === env.G_REFRESH
      ? { body: { access_token: 'ya29.access', expires_in: 3599, token_type: 'Bearer' } }
      : { status: 400, body: { error: 'invalid_grant' } },
  );
  server.on('GET', REVIEWS, (req) =>
    req.headers.authorization === 'Bearer ya29.access'
      ? { body: { reviews, totalReviewCount: reviews.length } }
      : { status: 401, body: { error: { code: 401, status: 'UNAUTHENTICATED' } } },
  );
  server.on('GET', SHOPEE, (req) =>
    shopeeSigned(req)
      ? {
          body: {
            error: '',
            message: '',
            request_id: 'req-1',
            response: { item_comment_list: comments, more: false, next_cursor: '' },
          },
        }
      : { status: 403, body: { error: 'error_sign', message: 'Wrong sign.' } },
  );
});
afterEach(() => server.close());

function config() {
  return parseConfig({
    brands: [{ id: 'bephong', name: 'Bếp Hồng', keywords: ['bếp hồng', 'bh-55'] }],
    sources: [
      {
        id: 'bh-google',
        kind: 'googlereviews',
        brand: 'bephong',
        baseUrl: server.url,
        authUrl: server.url,
        accountId: '1000001',
        locationIds: ['2000001'],
        clientIdEnv: 'G_CLIENT',
        clientSecretEnv: 'G_SECRET',
        refreshTokenEnv: 'G_REFRESH',
        lookbackHours: 24,
      },
      {
        id: 'bh-shopee',
        kind: 'shopee',
        brand: 'bephong',
        baseUrl: server.url,
        partnerId: 2001234,
        shopId: '880001',
        partnerKeyEnv: 'SHOPEE_KEY',
        accessTokenEnv: 'SHOPEE_TOKEN',
        lookbackHours: 24,
      },
    ],
    storage: 'memory',
    // No escalation within the test's hours: every alert counted here would be about a new mention.
    alerts: {
      minSeverity: 'low',
      spikes: { enabled: false },
      incidents: { cooldownMinutes: 0 },
      escalation: { afterMinutes: 7 * 24 * 60 },
    },
  });
}

describe.each([
  ['the local process (sole writer, batched writes)', false],
  ['the Lambdas (conditional writes, many writers)', true],
])('a reply that comes after the review was stored, written as %s', (_name, manyWriters) => {
  let pipeline: LocalPipeline;
  let deps: PassDeps;
  let clock: Date;
  const alerts: AlertMessage[] = [];

  beforeEach(async () => {
    alerts.length = 0;
    clock = new Date(T0);
    pipeline = await openLocalPipeline(config(), {
      now: () => clock,
      env,
      sinks: [{ name: 'recording', send: async (message: AlertMessage) => void alerts.push(message) }],
      http: { sleep: async () => undefined },
    });
    deps = manyWriters
      ? { ...pipeline.deps, repo: new Repository(pipeline.store.doc, pipeline.store.tableName) }
      : pipeline.deps;
  });
  afterEach(() => pipeline.close());

  const pass = async (minutes: number) => {
    clock = new Date(T0 + minutes * 60_000);
    return runPass(deps);
  };
  const show = async (sourceId: string, id: string) =>
    formatMention(await new TriageService(deps.repo, () => clock.toISOString()).show(sourceId, id));
  const stored = (sourceId: string, id: string) => deps.repo.mentions.get(sourceId, id);
  const idOf = async (sourceId: string) => {
    const [mention] = await deps.repo.mentions.triageQueue({ brandId: 'bephong' });
    expect(mention?.sourceId).toBe(sourceId);
    return mention.id;
  };

  /** Pass 2 set the reply; pass 3, with the same answers, changes nothing and sends nothing. */
  async function expectReplyOnce(sourceId: string, id: string, reply: BrandReply, secondPass: number) {
    const before = await stored(sourceId, id);
    expect(before?.reply).toBeUndefined();
    expect(await show(sourceId, id)).not.toContain('↳');
    const alertsBefore = alerts.length;

    const second = await pass(secondPass);
    expect(second).toMatchObject({ stored: 0, flagged: 0, alerts: 0, replied: 1 });
    const after = await stored(sourceId, id);
    expect(after?.reply).toEqual(reply);
    // Only the reply changed: triage state, analysis, incident and the rest are as stored.
    expect({ ...after, reply: undefined }).toEqual({ ...before, reply: undefined });
    expect(await show(sourceId, id)).toContain(`↳ the brand replied at ${reply.createdAt}: ${reply.text}`);

    const third = await pass(secondPass + 10);
    expect(third).toMatchObject({ stored: 0, flagged: 0, alerts: 0, replied: 0 });
    expect(await stored(sourceId, id)).toEqual(after);
    expect(alerts).toHaveLength(alertsBefore);
    const counts = await deps.repo.counters.bySource('bephong', at(-24 * 60).slice(0, 13), at(60).slice(0, 13));
    expect(counts.reduce((n, c) => n + (c.flagged ?? 0), 0)).toBe(1);
  }

  it('Google: the owner replies within the re-read overlap (the review id is still in the cursor)', async () => {
    reviews = [review('r5', at(-10), COMPLAINT)];
    const first = await pass(0);
    expect(first).toMatchObject({ stored: 1, flagged: 1 });
    expect(alerts.length).toBeGreaterThan(0);
    const id = await idOf('bh-google');

    // The reply bumps the review's updateTime; words and stars are the same, so the id is the same.
    const reply = { text: REPLY, createdAt: at(5) };
    reviews = [review('r5', at(5), COMPLAINT, reply)];
    await expectReplyOnce('bh-google', id, reply, 10);
  });

  it('Google: the owner replies hours later (the review is handed on again and stored as a duplicate)', async () => {
    reviews = [review('r6', at(-10), PRAISE), review('r5', at(-120), COMPLAINT)];
    const first = await pass(0);
    expect(first).toMatchObject({ stored: 2, flagged: 1 });
    const id = await idOf('bh-google');

    const reply = { text: REPLY, createdAt: at(170) };
    reviews = [review('r5', at(170), COMPLAINT, reply), review('r6', at(-10), PRAISE)];
    await expectReplyOnce('bh-google', id, reply, 180);
    // A changed reply (edited by the owner) replaces it.
    const edited = { text: `${REPLY} (đã gọi lại)`, createdAt: at(200) };
    reviews = [review('r5', at(200), COMPLAINT, edited), review('r6', at(-10), PRAISE)];
    expect(await pass(210)).toMatchObject({ stored: 0, alerts: 0, replied: 1 });
    expect((await stored('bh-google', id))?.reply).toEqual(edited);
  });

  it('Shopee: the seller replies to a comment below the watermark, on a page read anyway', async () => {
    comments = [comment(9002, at(-60), PRAISE), comment(9001, at(-120), COMPLAINT)];
    const first = await pass(0);
    expect(first).toMatchObject({ stored: 2, flagged: 1 });
    expect(await idOf('bh-shopee')).toBe('9001');

    const reply = { text: REPLY, createdAt: at(30) };
    comments = [
      comment(9003, at(35), PRAISE),
      comment(9002, at(-60), PRAISE),
      comment(9001, at(-120), COMPLAINT, reply),
    ];
    // The new comment is stored; the old one only gets its reply.
    const before = await stored('bh-shopee', '9001');
    const second = await pass(40);
    expect(second).toMatchObject({ stored: 1, flagged: 0, alerts: 0, replied: 1 });
    expect((await stored('bh-shopee', '9001'))?.reply).toEqual(reply);
    expect({ ...(await stored('bh-shopee', '9001')), reply: undefined }).toEqual({ ...before, reply: undefined });
    expect(await show('bh-shopee', '9001')).toContain(`↳ the brand replied at ${reply.createdAt}: ${REPLY}`);

    const third = await pass(50);
    expect(third).toMatchObject({ stored: 0, flagged: 0, alerts: 0, replied: 0 });
  });

  it('a reply to an item never stored creates nothing', async () => {
    comments = [comment(9002, at(-60), PRAISE)];
    await pass(0);
    // 9000 is older than anything handed on (before the source was set up): its reply has no mention to go to.
    comments = [
      comment(9002, at(-60), PRAISE),
      comment(9000, at(-48 * 60), COMPLAINT, { text: REPLY, createdAt: at(5) }),
    ];
    expect(await pass(10)).toMatchObject({ stored: 0, replied: 0, alerts: 0 });
    expect(await stored('bh-shopee', '9000')).toBeUndefined();
  });
});

import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalStore, type LocalStore } from '../../../lambdas/store/local';
import { ConflictError, NotFoundError } from '../../../lambdas/core/errors';
import { keys } from '../../../lambdas/store/keys';
import { Repository } from '../../../lambdas/store/repository';
import { TriageService, type TriageActor } from '../../../lambdas/pipeline/triage-service';
import { FLAGGED_MIN_RETENTION_DAYS } from '../../../lambdas/store/table';
import { TriageTransitionError, type TriageAction } from '../../../lambdas/core/triage';
import type { StoredMention } from '../../../lambdas/core/mention';
import type { Incident } from '../../../lambdas/core/incident';
import { alertRecord, storedMention } from './fixtures';

let store: LocalStore;
let repo: Repository;

beforeAll(async () => {
  store = await startLocalStore('memory');
  repo = new Repository(store.doc, store.tableName);
});

afterAll(async () => {
  await store.close();
});

/** A triage action at a fixed time (or now): the transition rules and the acknowledgement cascade are the service's. */
function updateTriage(
  sourceId: string,
  id: string,
  action: TriageAction,
  opts: TriageActor & { now?: string } = {},
): Promise<StoredMention> {
  const { now, ...actor } = opts;
  return new TriageService(repo, () => now ?? new Date().toISOString()).apply(sourceId, id, action, actor);
}

async function itemsWithPk(pk: string) {
  const out = await store.doc.send(
    new QueryCommand({
      TableName: store.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return out.Items ?? [];
}

describe('mentions', () => {
  test('a second put of the same source + id is a duplicate and leaves one unchanged item', async () => {
    const first = storedMention({ id: 'dup-1', brandId: 'dup-brand' });
    expect(await repo.mentions.put(first, 30)).toBe('created');
    const retry = { ...first, text: 'edited on a re-fetch' };
    expect(await repo.mentions.put(retry, 30)).toBe('duplicate');

    const items = await itemsWithPk(keys.mention('acme-hn', 'dup-1').pk);
    expect(items).toHaveLength(1);
    const stored = await repo.mentions.get('acme-hn', 'dup-1');
    expect(stored?.text).toBe(first.text);
    expect(stored?.triage?.status).toBe('new');
    expect(await repo.mentions.get('acme-hn', 'missing')).toBeUndefined();
  });

  test.each([
    ['conditional writes (many writers)', false],
    ['batched writes (sole writer)', true],
  ])('setReply, %s: sets a new or changed reply only, never creates a mention', async (_name, sole) => {
    const writer = sole ? new Repository(store.doc, store.tableName, { soleWriterSince: Date.now() }) : repo;
    const id = `reply-${sole ? 'sole' : 'many'}`;
    const first = storedMention({ id, brandId: 'reply-brand' });
    expect(await writer.mentions.put(first, 30)).toBe('created');
    const reply = { text: 'Dạ shop xin lỗi ạ', createdAt: '2024-05-02T08:00:00.000Z' };
    expect(await writer.mentions.setReply('acme-hn', id, reply)).toBe(true);
    expect(await writer.mentions.setReply('acme-hn', id, reply)).toBe(false);
    const [item] = await itemsWithPk(keys.mention('acme-hn', id).pk);
    expect(item).toMatchObject({ reply, text: first.text, triage: first.triage ?? expect.anything() });
    // Another time, other words, or no time at all are each another reply.
    const later = { ...reply, createdAt: '2024-05-03T08:00:00.000Z' };
    expect(await writer.mentions.setReply('acme-hn', id, later)).toBe(true);
    expect(await writer.mentions.setReply('acme-hn', id, { text: 'Đã gọi lại' })).toBe(true);
    expect(await writer.mentions.setReply('acme-hn', id, { text: 'Đã gọi lại' })).toBe(false);
    expect((await writer.mentions.get('acme-hn', id))?.reply).toEqual({ text: 'Đã gọi lại' });
    expect(await writer.mentions.setReply('acme-hn', id, { text: 'Đã gọi lại', createdAt: later.createdAt })).toBe(
      true,
    );
    // No mention, no item.
    expect(await writer.mentions.setReply('acme-hn', `${id}-missing`, reply)).toBe(false);
    expect(await itemsWithPk(keys.mention('acme-hn', `${id}-missing`).pk)).toHaveLength(0);
  });

  test('the same id from two sources is two mentions', async () => {
    expect(await repo.mentions.put(storedMention({ id: 'shared', brandId: 'two-src' }), 30)).toBe('created');
    expect(await repo.mentions.put(storedMention({ id: 'shared', sourceId: 'acme-rss', brandId: 'two-src' }), 30)).toBe(
      'created',
    );
    expect(await repo.mentions.get('acme-hn', 'shared')).toMatchObject({ brandId: 'two-src' });
    expect(await repo.mentions.get('acme-rss', 'shared')).toMatchObject({ brandId: 'two-src' });
  });

  test('raw mentions expire after retentionDays; flagged ones are kept at least a year', async () => {
    const raw = storedMention({ id: 'ttl-raw', flagged: false, brandId: 'ttl' });
    const flagged = storedMention({ id: 'ttl-flagged', brandId: 'ttl' });
    await repo.mentions.put(raw, 30);
    await repo.mentions.put(flagged, 30);
    const storedAt = Date.parse(raw.storedAt) / 1000;
    const rawItem = await store.doc.send(
      new GetCommand({ TableName: store.tableName, Key: keys.mention('acme-hn', 'ttl-raw') }),
    );
    const flaggedItem = await store.doc.send(
      new GetCommand({ TableName: store.tableName, Key: keys.mention('acme-hn', 'ttl-flagged') }),
    );
    expect(rawItem.Item?.expiresAt).toBe(storedAt + 30 * 86400);
    expect(flaggedItem.Item?.expiresAt).toBe(storedAt + FLAGGED_MIN_RETENTION_DAYS * 86400);
    // Unflagged mentions stay out of triage; the key attributes never leak into the returned mention.
    const back = await repo.mentions.get('acme-hn', 'ttl-raw');
    expect(back?.triage).toBeUndefined();
    expect(back).not.toHaveProperty('pk');
    expect(back).not.toHaveProperty('expiresAt');
  });

  test('ungrouped flagged mentions are listed oldest first, page with after, and leave once grouped', async () => {
    const times = [
      '2024-05-01T08:00:00Z',
      '2024-05-01T12:30:00+02:00',
      '2024-05-02T09:00:00.000Z',
      '2024-04-30T23:59:59Z',
      '2024-05-01T09:00:00Z',
    ];
    for (const [i, createdAt] of times.entries()) {
      // tl-4 is not flagged: it is never grouped, so it is never listed.
      await repo.mentions.put(storedMention({ id: `tl-${i}`, brandId: 'ungrouped', createdAt, flagged: i !== 4 }), 30);
    }
    await repo.mentions.put(storedMention({ id: 'other', brandId: 'ungrouped-other' }), 30);

    const all = await repo.mentions.listUngrouped('ungrouped');
    // 12:30+02:00 is 10:30Z: offsets are normalized before sorting.
    expect(all.map((m) => m.id)).toEqual(['tl-3', 'tl-0', 'tl-1', 'tl-2']);
    const firstPage = await repo.mentions.listUngrouped('ungrouped', { limit: 2 });
    expect(firstPage.map((m) => m.id)).toEqual(['tl-3', 'tl-0']);
    const next = await repo.mentions.listUngrouped('ungrouped', { after: keys.ungroupedSort(firstPage[1]) });
    expect(next.map((m) => m.id)).toEqual(['tl-1', 'tl-2']);

    await repo.mentions.setIncident('acme-hn', 'tl-0', 'inc-x');
    expect((await repo.mentions.listUngrouped('ungrouped')).map((m) => m.id)).toEqual(['tl-3', 'tl-1', 'tl-2']);
    expect((await repo.mentions.get('acme-hn', 'tl-0'))?.incidentKey).toBe('inc-x');
  });
});

describe('triage queue', () => {
  beforeAll(async () => {
    const rows: [string, 'low' | 'medium' | 'high' | 'critical', string][] = [
      ['q-high-old', 'high', '2024-05-01T08:00:00Z'],
      ['q-crit-old', 'critical', '2024-05-01T07:00:00Z'],
      ['q-high-new', 'high', '2024-05-01T11:00:00Z'],
      ['q-medium', 'medium', '2024-05-01T12:00:00Z'],
      ['q-crit-new', 'critical', '2024-05-01T09:00:00Z'],
    ];
    for (const [id, severity, createdAt] of rows) {
      await repo.mentions.put(storedMention({ id, severity, createdAt, brandId: 'queue' }), 30);
    }
    await repo.mentions.put(storedMention({ id: 'q-unflagged', brandId: 'queue', flagged: false }), 30);
  });

  test('orders critical before high before medium, newest first within a severity', async () => {
    const queue = await repo.mentions.triageQueue({ brandId: 'queue', status: 'new' });
    expect(queue.map((m) => m.id)).toEqual(['q-crit-new', 'q-crit-old', 'q-high-new', 'q-high-old', 'q-medium']);
    expect(await repo.mentions.triageQueue({ brandId: 'queue', status: 'new', limit: 2 })).toHaveLength(2);
  });

  test('transitions move a mention between status queues and keep its history', async () => {
    const acked = await updateTriage('acme-hn', 'q-high-old', 'acknowledge', {
      by: 'sam',
      now: '2024-05-01T13:00:00.000Z',
    });
    expect(acked.triage?.status).toBe('acknowledged');
    expect((await repo.mentions.triageQueue({ brandId: 'queue', status: 'new' })).map((m) => m.id)).not.toContain(
      'q-high-old',
    );
    const resolved = await updateTriage('acme-hn', 'q-high-old', 'resolve', {
      by: 'sam',
      note: 'refund sent',
      now: '2024-05-01T14:00:00.000Z',
    });
    expect(resolved.triage?.history.map((e) => e.action)).toEqual(['created', 'acknowledged', 'resolved']);
    expect((await repo.mentions.get('acme-hn', 'q-high-old'))?.triage).toEqual(resolved.triage);
    expect((await repo.mentions.triageQueue({ brandId: 'queue', status: 'resolved' })).map((m) => m.id)).toEqual([
      'q-high-old',
    ]);

    // No status: every queue, new first.
    const everything = await repo.mentions.triageQueue({ brandId: 'queue' });
    expect(everything.map((m) => m.triage?.status)).toEqual(['new', 'new', 'new', 'new', 'resolved']);
  });

  test('invalid transitions are refused and change nothing', async () => {
    await updateTriage('acme-hn', 'q-medium', 'false_positive', { by: 'sam' });
    await expect(updateTriage('acme-hn', 'q-medium', 'resolve')).rejects.toThrow(
      'cannot resolve a mention that is false_positive',
    );
    await expect(updateTriage('acme-hn', 'q-medium', 'resolve')).rejects.toBeInstanceOf(TriageTransitionError);
    expect((await repo.mentions.get('acme-hn', 'q-medium'))?.triage?.status).toBe('false_positive');
    await expect(updateTriage('acme-hn', 'nope', 'acknowledge')).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateTriage('acme-hn', 'q-unflagged', 'acknowledge')).rejects.toBeInstanceOf(NotFoundError);
  });

  test('a write based on a stale read fails with ConflictError instead of clobbering', async () => {
    const stale = await repo.mentions.get('acme-hn', 'q-crit-old');
    await updateTriage('acme-hn', 'q-crit-old', 'assign', { assignee: 'kim' });
    const staleNext = { ...stale!.triage!, status: 'false_positive' as const, updatedAt: '2024-05-02T00:00:00.000Z' };
    await expect(repo.mentions.writeTriage(stale!, staleNext)).rejects.toBeInstanceOf(ConflictError);
    const now = await repo.mentions.get('acme-hn', 'q-crit-old');
    expect(now?.triage?.status).toBe('new');
    expect(now?.triage?.assignee).toBe('kim');
  });

  test('stats count statuses and false-positive precision by cue and source', async () => {
    await repo.mentions.put(storedMention({ id: 's1', brandId: 'stats', cues: ['churn'] }), 30);
    await repo.mentions.put(storedMention({ id: 's2', brandId: 'stats', cues: ['churn', 'effort'] }), 30);
    await repo.mentions.put(storedMention({ id: 's3', brandId: 'stats', sourceId: 'acme-rss', cues: ['effort'] }), 30);
    await repo.mentions.put(storedMention({ id: 's4', brandId: 'stats', cues: ['effort'] }), 30);
    await updateTriage('acme-hn', 's1', 'false_positive');
    await updateTriage('acme-hn', 's2', 'acknowledge');
    await updateTriage('acme-rss', 's3', 'resolve');

    const stats = await repo.mentions.triageStats('stats');
    expect(stats.byStatus).toEqual({ new: 1, acknowledged: 1, resolved: 1, false_positive: 1 });
    expect(stats.flagged).toBe(4);
    expect(stats.reviewed).toBe(3);
    expect(stats.precision).toBeCloseTo(2 / 3, 3);
    expect(stats.byCue.find((row) => row.key === 'churn')).toMatchObject({
      reviewed: 2,
      falsePositives: 1,
      precision: 0.5,
    });
    expect(stats.byCue.find((row) => row.key === 'effort')).toMatchObject({ flagged: 3, reviewed: 2, precision: 1 });
    expect(stats.bySource.find((row) => row.key === 'acme-rss')).toMatchObject({ reviewed: 1, precision: 1 });
    // Without a brand: every brand's flagged mentions.
    expect((await repo.mentions.triageStats()).flagged).toBeGreaterThan(stats.flagged);
  });
});

describe('incidents', () => {
  const incident: Incident = {
    brandId: 'inc',
    key: 'refund-delay',
    title: 'Refunds take weeks',
    signature: ['refund', 'weeks'],
    aspects: ['time'],
    severity: 'high',
    firstAt: '2024-05-01T10:00:00Z',
    lastAt: '2024-05-01T10:00:00Z',
    size: 1,
    mentionKeys: ['acme-hn#1'],
    sources: ['acme-hn'],
    alertedSizes: [1],
    status: 'open',
    version: 0,
  };

  test('optimistic locking: a save from a stale version throws ConflictError', async () => {
    const created = await repo.incidents.save(incident);
    expect(created.version).toBe(1);
    await expect(repo.incidents.save(incident)).rejects.toBeInstanceOf(ConflictError); // created twice

    const readA = (await repo.incidents.get('inc', 'refund-delay'))!;
    const readB = (await repo.incidents.get('inc', 'refund-delay'))!;
    const savedA = await repo.incidents.save({ ...readA, size: 2, lastAt: '2024-05-01T11:00:00Z' });
    expect(savedA.version).toBe(2);
    await expect(repo.incidents.save({ ...readB, size: 5 })).rejects.toBeInstanceOf(ConflictError);
    expect(await repo.incidents.get('inc', 'refund-delay')).toEqual(savedA);
  });

  test('open incidents are listed by last activity; closed ones drop out', async () => {
    await repo.incidents.save({ ...incident, key: 'old', lastAt: '2024-04-01T00:00:00Z' });
    const other = await repo.incidents.save({ ...incident, key: 'app-crash', lastAt: '2024-05-01T12:00:00Z' });
    const open = await repo.incidents.listOpen('inc', '2024-05-01T00:00:00Z');
    expect(open.map((i) => i.key).sort()).toEqual(['app-crash', 'refund-delay']);

    await repo.incidents.save({ ...other, status: 'closed' });
    expect((await repo.incidents.listOpen('inc', '2024-05-01T00:00:00Z')).map((i) => i.key)).toEqual(['refund-delay']);
    expect((await repo.incidents.get('inc', 'app-crash'))?.status).toBe('closed');
  });
});

describe('cursors and health', () => {
  test('a cursor never moves backwards', async () => {
    const cursor = {
      sourceId: 'cur-src',
      watermark: '2024-05-01T10:00:00Z',
      seenIds: ['a'],
      updatedAt: '2024-05-01T10:01:00Z',
    };
    expect(await repo.sources.getCursor('cur-src')).toBeUndefined();
    expect(await repo.sources.advanceCursor(cursor)).toBe(true);
    expect(await repo.sources.advanceCursor({ ...cursor, watermark: '2024-05-01T09:59:59Z', seenIds: ['old'] })).toBe(
      false,
    );
    // Same instant written another way is not "backwards": ties add seen ids.
    expect(
      await repo.sources.advanceCursor({ ...cursor, watermark: '2024-05-01T12:00:00+02:00', seenIds: ['a', 'b'] }),
    ).toBe(true);
    expect(await repo.sources.advanceCursor({ ...cursor, watermark: '2024-05-01T11:00:00Z', seenIds: [] })).toBe(true);
    expect(await repo.sources.getCursor('cur-src')).toEqual({
      ...cursor,
      watermark: '2024-05-01T11:00:00Z',
      seenIds: [],
    });
  });

  test('health is stored per source and listed', async () => {
    await repo.sources.putHealth({ sourceId: 'h-b', kind: 'rss', consecutiveFailures: 2, lastError: 'HTTP 503' });
    await repo.sources.putHealth({
      sourceId: 'h-a',
      kind: 'reddit',
      consecutiveFailures: 0,
      lastSuccessAt: '2024-05-01T10:00:00Z',
    });
    await repo.sources.putHealth({ sourceId: 'h-b', kind: 'rss', consecutiveFailures: 0 });
    expect(await repo.sources.getHealth('h-b')).toEqual({ sourceId: 'h-b', kind: 'rss', consecutiveFailures: 0 });
    const listed = (await repo.sources.listHealth(['h-b', 'h-a', 'h-never'])).filter((h) =>
      h.sourceId.startsWith('h-'),
    );
    expect(listed.map((h) => h.sourceId)).toEqual(['h-a', 'h-b']);
  });
});

describe('hourly counters', () => {
  test('ADD accumulates per source and per brand', async () => {
    await repo.counters.add('cnt', 'src-a', '2024-05-01T10', { fetched: 10, relevant: 4 });
    await repo.counters.add('cnt', 'src-a', '2024-05-01T10', { fetched: 5, negative: 2, flagged: 1 });
    await Promise.all([
      repo.counters.add('cnt', 'src-b', '2024-05-01T10', { fetched: 3 }),
      repo.counters.add('cnt', 'src-b', '2024-05-01T10', { fetched: 3 }),
    ]);
    await repo.counters.add('cnt', 'src-a', '2024-05-01T12', { fetched: 1 });
    await repo.counters.add('cnt', 'src-a', '2024-05-01T13', { fetched: 100 });

    const rows = await repo.counters.bySource('cnt', '2024-05-01T10', '2024-05-01T12');
    // Every counter name is present (0 when never added).
    expect(rows).toMatchObject([
      { brandId: 'cnt', sourceId: 'src-a', hour: '2024-05-01T10', fetched: 15, relevant: 4, negative: 2, flagged: 1 },
      { brandId: 'cnt', sourceId: 'src-b', hour: '2024-05-01T10', fetched: 6, relevant: 0, negative: 0, flagged: 0 },
      { brandId: 'cnt', sourceId: 'src-a', hour: '2024-05-01T12', fetched: 1, relevant: 0, negative: 0, flagged: 0 },
    ]);
    const totals = await repo.counters.brandTotals('cnt', '2024-05-01T00', '2024-05-01T23');
    expect(totals.map((row) => [row.hour, row.fetched, row.relevant])).toEqual([
      ['2024-05-01T10', 21, 4],
      ['2024-05-01T12', 1, 0],
      ['2024-05-01T13', 100, 0],
    ]);
    await expect(repo.counters.add('cnt', 'src-a', '2024-05-01 10h', { fetched: 1 })).rejects.toThrow('hour must');
  });

  test('concurrent adds are summed into a few writes (group commit), each resolving once written', async () => {
    let updates = 0;
    const send = store.doc.send.bind(store.doc);
    const counting = Object.assign(Object.create(store.doc) as typeof store.doc, {
      send: ((command: { constructor: { name: string } }, ...rest: unknown[]) => {
        if (command.constructor.name === 'UpdateCommand') updates++;
        return (send as (...args: unknown[]) => unknown)(command, ...rest);
      }) as typeof store.doc.send,
    });
    const grouped = new Repository(counting, store.tableName);
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        grouped.counters.add('gc', `src-${i % 2}`, '2024-06-01T10', { fetched: 1, flagged: i % 4 === 0 ? 1 : 0 }),
      ),
    );
    // Without grouping: 400 updates (a source row and the brand total per add).
    expect(updates).toBeLessThanOrEqual(12);
    const rows = await repo.counters.bySource('gc', '2024-06-01T10', '2024-06-01T10');
    expect(rows.map((r) => [r.sourceId, r.fetched, r.flagged])).toEqual([
      ['src-0', 100, 50],
      ['src-1', 100, 0],
    ]);
    const [total] = await repo.counters.brandTotals('gc', '2024-06-01T10', '2024-06-01T10');
    expect([total.fetched, total.flagged]).toEqual([200, 50]);
  });
});

describe('alerts and escalations', () => {
  test('an alert is created once; delivery is recorded once per sink', async () => {
    const alert = alertRecord({ alertId: 'once-1' });
    expect(await repo.alerts.putOnce(alert)).toBe(true);
    expect(await repo.alerts.putOnce({ ...alert, subject: 'retry' })).toBe(false);
    expect((await repo.alerts.get('once-1'))?.subject).toBe(alert.subject);
    expect(await repo.alerts.markDelivered('once-1', 'sns')).toBe(true);
    expect(await repo.alerts.markDelivered('once-1', 'sns')).toBe(false);
    expect(await repo.alerts.markDelivered('once-1', 'webhook')).toBe(true);
    expect((await repo.alerts.get('once-1'))?.deliveredTo).toEqual(['sns', 'webhook']);
    expect(await repo.alerts.markDelivered('no-such-alert', 'sns')).toBe(false);
  });

  test('pending escalations: high/critical, unacknowledged, old enough, in the window; each level once', async () => {
    const brandId = 'esc';
    await repo.alerts.putOnce(alertRecord({ alertId: 'esc-high', brandId, createdAt: '2024-06-10T09:00:00.000Z' }));
    await repo.alerts.putOnce(
      alertRecord({ alertId: 'esc-crit-yesterday', brandId, severity: 'critical', createdAt: '2024-06-09T23:50:00Z' }),
    );
    await repo.alerts.putOnce(
      alertRecord({ alertId: 'esc-medium', brandId, severity: 'medium', createdAt: '2024-06-10T09:00:00Z' }),
    );
    await repo.alerts.putOnce(
      alertRecord({ alertId: 'esc-of-esc', brandId, kind: 'escalation', createdAt: '2024-06-10T09:00:00Z' }),
    );
    await repo.alerts.putOnce(alertRecord({ alertId: 'esc-too-recent', brandId, createdAt: '2024-06-10T09:50:00Z' }));
    await repo.alerts.putOnce(alertRecord({ alertId: 'esc-too-old', brandId, createdAt: '2024-06-01T09:00:00Z' }));
    await repo.alerts.putOnce(alertRecord({ alertId: 'esc-acked', brandId, createdAt: '2024-06-10T08:00:00Z' }));
    expect(await repo.alerts.acknowledge('esc-acked', 'sam', '2024-06-10T08:10:00Z')).toBe(true);
    expect(await repo.alerts.acknowledge('esc-acked', 'sam', '2024-06-10T08:11:00Z')).toBe(false);

    const due = await repo.alerts.listForEscalation('2024-06-10T10:00:00Z', { olderThanMinutes: 30 });
    expect(due.map((a) => a.alertId)).toEqual(['esc-crit-yesterday', 'esc-high']);
    const criticalOnly = await repo.alerts.listForEscalation('2024-06-10T10:00:00Z', { severities: ['critical'] });
    expect(criticalOnly.map((a) => a.alertId)).toEqual(['esc-crit-yesterday']);

    expect(await repo.alerts.recordEscalation('esc-high', 1)).toBe(true);
    expect(await repo.alerts.recordEscalation('esc-high', 1)).toBe(false);
    expect(await repo.alerts.recordEscalation('esc-high', 2)).toBe(true);
    expect((await repo.alerts.get('esc-high'))?.escalatedLevels).toEqual([1, 2]);
    expect(await repo.alerts.recordEscalation('esc-acked', 1)).toBe(false);
  });

  test('acknowledging a mention in triage acknowledges its alerts and its incident alerts', async () => {
    const mention = storedMention({ id: 'ack-m', brandId: 'ackb' });
    await repo.mentions.put(mention, 30);
    await repo.mentions.setIncident('acme-hn', 'ack-m', 'inc-1');
    const createdAt = '2024-06-10T09:00:00Z';
    await repo.alerts.putOnce(
      alertRecord({ alertId: 'ack-mention', brandId: 'ackb', mentionKey: 'acme-hn#ack-m', createdAt }),
    );
    await repo.alerts.putOnce(
      alertRecord({ alertId: 'ack-incident', brandId: 'ackb', kind: 'incident', incidentKey: 'inc-1', createdAt }),
    );
    await repo.alerts.putOnce(
      alertRecord({ alertId: 'ack-other', brandId: 'ackb', mentionKey: 'acme-hn#other', createdAt }),
    );

    await updateTriage('acme-hn', 'ack-m', 'acknowledge', { by: 'lee', now: '2024-06-10T09:20:00.000Z' });
    expect(await repo.alerts.get('ack-mention')).toMatchObject({
      acknowledgedBy: 'lee',
      acknowledgedAt: '2024-06-10T09:20:00.000Z',
    });
    expect((await repo.alerts.get('ack-incident'))?.acknowledgedBy).toBe('lee');
    expect((await repo.alerts.get('ack-other'))?.acknowledgedAt).toBeUndefined();
    const due = await repo.alerts.listForEscalation('2024-06-10T10:00:00Z');
    expect(due.map((a) => a.alertId)).toContain('ack-other');
    expect(due.map((a) => a.alertId)).not.toContain('ack-mention');
  });
});

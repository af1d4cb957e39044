import { startLocalStore, type LocalStore } from '../../../lambdas/store/local';
import { NotFoundError } from '../../../lambdas/core/errors';
import { Repository } from '../../../lambdas/store/repository';
import { TriageService } from '../../../lambdas/pipeline/triage-service';
import { storedMention } from './fixtures';

/**
 * A process that is its local store's only writer (Repository with soleWriterSince, as `earshot run` opens it)
 * writes concurrent mention puts and incident notes together: the same outcomes as one conditional write each, in
 * a few batch requests.
 */

let store: LocalStore;
let repo: Repository;
/** DynamoDB operations sent, by name (X-Amz-Target). */
let sent: string[] = [];

beforeAll(async () => {
  store = await startLocalStore('memory');
  repo = new Repository(store.doc, store.tableName, { soleWriterSince: Date.now() });
  store.client.middlewareStack.add(
    (next) => async (args) => {
      const target = (args.request as { headers?: Record<string, string> }).headers?.['x-amz-target'];
      if (target) sent.push(target.split('.')[1]);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'countOperations' },
  );
});

afterAll(async () => {
  await store.close();
});

beforeEach(() => {
  sent = [];
});

const brandOf = (name: string) => ({ brandId: name });

test('concurrent puts: each id is created once, repeats are duplicates, in one read and a few batch writes', async () => {
  const mentions = Array.from({ length: 60 }, (_, i) => storedMention({ id: `c-${i}`, ...brandOf('batch-put') }));
  const repeats = mentions.slice(0, 20).map((m) => ({ ...m, text: 'a re-fetch that must not overwrite' }));
  const outcomes = await Promise.all([...mentions, ...repeats].map((m) => repo.mentions.put(m, 30)));

  expect(outcomes.slice(0, 60)).toEqual(mentions.map(() => 'created'));
  expect(outcomes.slice(60)).toEqual(repeats.map(() => 'duplicate'));
  expect(sent.filter((op) => op === 'BatchGetItem')).toHaveLength(1);
  expect(sent.filter((op) => op === 'BatchWriteItem')).toHaveLength(3); // 60 items, 25 a request
  expect(sent.filter((op) => op === 'PutItem')).toHaveLength(0);

  expect((await repo.mentions.get('acme-hn', 'c-3'))?.text).toBe(mentions[3].text);
  expect(await repo.mentions.listUngrouped('batch-put', { limit: 100 })).toHaveLength(60);
  expect(await repo.mentions.put(mentions[0], 30)).toBe('duplicate'); // a later retry too
});

test('concurrent notes: each mention leaves the ungrouped partition with its incident; a missing one is NotFoundError', async () => {
  const mentions = Array.from({ length: 30 }, (_, i) => storedMention({ id: `n-${i}`, ...brandOf('batch-note') }));
  await Promise.all(mentions.map((m) => repo.mentions.put(m, 30)));
  sent = [];
  const notes = await Promise.allSettled([
    ...mentions.map((m, i) => repo.mentions.setIncident(m.sourceId, m.id, `inc-${i % 3}`)),
    repo.mentions.setIncident('acme-hn', 'never-stored', 'inc-0'),
  ]);

  expect(notes.slice(0, 30).every((n) => n.status === 'fulfilled')).toBe(true);
  const missing = notes[30];
  expect(missing.status === 'rejected' && missing.reason).toBeInstanceOf(NotFoundError);
  expect(sent.filter((op) => op === 'UpdateItem')).toHaveLength(0);
  expect(await repo.mentions.listUngrouped('batch-note')).toEqual([]);
  const noted = await repo.mentions.get('acme-hn', 'n-4');
  expect(noted?.incidentKey).toBe('inc-1');
  expect(noted?.text).toBe(mentions[4].text);
  expect(noted?.triage?.status).toBe('new');
});

test('a put and a note of the same mention in one round: stored, then noted', async () => {
  const m = storedMention({ id: 'same-round', ...brandOf('same-round') });
  const [outcome] = await Promise.all([repo.mentions.put(m, 30), repo.mentions.setIncident(m.sourceId, m.id, 'inc-x')]);
  expect(outcome).toBe('created');
  expect((await repo.mentions.get(m.sourceId, m.id))?.incidentKey).toBe('inc-x');
  expect(await repo.mentions.listUngrouped('same-round')).toEqual([]);
});

test('a triage write while notes are being written is kept, and so are the notes', async () => {
  const mentions = Array.from({ length: 10 }, (_, i) => storedMention({ id: `t-${i}`, ...brandOf('batch-triage') }));
  await Promise.all(mentions.map((m) => repo.mentions.put(m, 30)));
  const triage = new TriageService(repo);
  await Promise.all([
    ...mentions.map((m) => repo.mentions.setIncident(m.sourceId, m.id, 'inc-t')),
    triage.ack('acme-hn', 't-5', { by: 'sam' }),
    ...mentions.map((m) => repo.mentions.setIncident(m.sourceId, m.id, 'inc-t2')),
  ]);
  const five = await repo.mentions.get('acme-hn', 't-5');
  expect(five?.triage?.status).toBe('acknowledged');
  expect(five?.incidentKey).toBe('inc-t2');
});

test('an item the store refuses fails alone, with the store error; the rest of its round is stored', async () => {
  const good = Array.from({ length: 5 }, (_, i) => storedMention({ id: `ok-${i}`, ...brandOf('refused') }));
  const huge = storedMention({ id: 'huge', ...brandOf('refused'), text: 'x'.repeat(500 * 1024) });
  // Its repeat in the same round is refused too, not answered "duplicate": nothing was stored.
  const outcomes = await Promise.allSettled([...good, huge, huge].map((m) => repo.mentions.put(m, 30)));

  expect(outcomes.slice(0, 5).map((o) => o.status === 'fulfilled' && o.value)).toEqual(good.map(() => 'created'));
  for (const refused of outcomes.slice(5)) {
    expect(refused.status === 'rejected' && (refused.reason as Error).name).toBe('ValidationException');
  }
  expect(await repo.mentions.get('acme-hn', 'huge')).toBeUndefined();
  expect(await repo.mentions.listUngrouped('refused')).toHaveLength(5);
});

test('without soleWriterSince (many writers, as on AWS) each write is one conditional request', async () => {
  const shared = new Repository(store.doc, store.tableName);
  const mentions = Array.from({ length: 4 }, (_, i) => storedMention({ id: `aws-${i}`, ...brandOf('aws') }));
  await Promise.all(mentions.map((m) => shared.mentions.put(m, 30)));
  await Promise.all(mentions.map((m) => shared.mentions.setIncident(m.sourceId, m.id, 'inc-aws')));
  expect(sent.filter((op) => op === 'PutItem')).toHaveLength(4);
  expect(sent.filter((op) => op === 'UpdateItem')).toHaveLength(4);
  expect(sent.filter((op) => op.startsWith('Batch'))).toEqual([]);
});

import { parseConfig } from '../../../lambdas/config/load';
import type { Mention } from '../../../lambdas/core/mention';
import { handleFlaggedMention } from '../../../lambdas/pipeline/flagged';
import { ingestMentions } from '../../../lambdas/pipeline/ingest';
import { openLocalPipeline, type LocalPipeline } from '../../../lambdas/pipeline/local';
import { sweepUngrouped } from '../../../lambdas/pipeline/sweep';
import { receiveWebhook, webhookAlertingSettled } from '../../../lambdas/pipeline/webhook-ingest';
import type { AlertMessage, AlertSink } from '../../../lambdas/sinks';
import { signWebhookBody } from '../../../lambdas/sources/adapters/webhook';
import { Repository } from '../../../lambdas/store/repository';

/**
 * One problem, many senders at once: exactly one incident and one first alert, whatever the concurrency, in one
 * process (pushes answered before grouping) and across processes (two repositories on one table, as two Lambdas).
 */

const SECRET = 'a-webhook-secret-of-some-length';
const COMPLAINT = 'Acme charged me twice and nobody answered my 4 emails in 2 weeks. Cancelling, never again!';

const config = parseConfig({
  brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }],
  sources: [{ id: 'acme-desk', kind: 'webhook', brand: 'acme', secretEnv: 'DESK_SECRET' }],
  storage: 'memory',
  alerts: { minSeverity: 'low', spikes: { enabled: false } },
});

function recordingSink(): AlertSink & { messages: AlertMessage[] } {
  const messages: AlertMessage[] = [];
  return {
    name: 'recording',
    messages,
    async send(message: AlertMessage) {
      messages.push(message);
    },
  };
}

let pipeline: LocalPipeline;
let sink: ReturnType<typeof recordingSink>;

beforeEach(async () => {
  sink = recordingSink();
  pipeline = await openLocalPipeline(config, { sinks: [sink], env: { DESK_SECRET: SECRET } });
});

afterEach(async () => {
  await pipeline.close();
});

async function incidents(repo: Repository) {
  return repo.table.scan({
    FilterExpression: '#type = :type',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: { ':type': 'INCIDENT' },
  });
}

/** Run `tasks` with at most `limit` in flight. */
async function withConcurrency<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

function mention(id: string): Mention {
  return {
    id,
    sourceId: 'acme-desk',
    brandId: 'acme',
    kind: 'webhook',
    text: COMPLAINT,
    createdAt: '2026-06-10T12:00:00Z',
  } as Mention;
}

test('150 signed pushes of one complaint at concurrency 50: all 202, one incident, one first alert', async () => {
  const pushes = Array.from({ length: 150 }, (_, i) => async () => {
    const body = JSON.stringify([{ id: `c-${i}`, text: COMPLAINT }]);
    const at = Math.floor(Date.now() / 1000);
    const headers = { 'x-earshot-timestamp': String(at), 'x-earshot-signature': signWebhookBody(body, SECRET, at) };
    return receiveWebhook('acme-desk', body, headers, pipeline.deps);
  });
  const replies = await withConcurrency(50, pushes);
  expect(replies.map((r) => r.status)).toEqual(replies.map(() => 202));
  expect(replies.reduce((sum, r) => sum + Number(r.body.stored), 0)).toBe(150);
  expect(replies.reduce((sum, r) => sum + Number(r.body.flagged), 0)).toBe(150);

  await webhookAlertingSettled(pipeline.repo);
  expect(await incidents(pipeline.repo)).toHaveLength(1);
  const ids = sink.messages.map((m) => m.alertId);
  expect(new Set(ids).size).toBe(ids.length); // no alert delivered twice
  expect(sink.messages.filter((m) => m.kind === 'mention')).toHaveLength(1);
  expect(await pipeline.repo.mentions.listUngrouped('acme')).toEqual([]);
});

test('two processes grouping the same problem at once (two repositories on one table) open one incident', async () => {
  const other = new Repository(pipeline.store.doc, pipeline.store.tableName);
  const mentions = Array.from({ length: 40 }, (_, i) => mention(`p-${i}`));
  const stored = await ingestMentions(mentions, { repo: pipeline.repo, retentionDays: 30, now: () => new Date() });
  expect(stored.flagged).toHaveLength(40);
  const outcomes = await Promise.all(
    stored.flagged.map((m, i) =>
      handleFlaggedMention(m, i % 2 === 0 ? pipeline.deps : { ...pipeline.deps, repo: other }),
    ),
  );
  expect(outcomes.filter((o) => o.deferred)).toEqual([]);
  expect(outcomes.filter((o) => o.newIncident)).toHaveLength(1);
  expect(await incidents(pipeline.repo)).toHaveLength(1);
  expect(sink.messages.filter((m) => m.kind === 'mention')).toHaveLength(1);
});

test('the catch-up groups every ungrouped flagged mention, oldest first, and resumes where its budget ended', async () => {
  const mentions = Array.from({ length: 250 }, (_, i) => ({
    ...mention(`u-${String(i).padStart(3, '0')}`),
    createdAt: new Date(Date.parse('2026-06-10T00:00:00Z') + i * 60_000).toISOString(),
  }));
  await ingestMentions(mentions, { repo: pipeline.repo, retentionDays: 30, now: () => new Date() });
  expect(await pipeline.repo.mentions.listUngrouped('acme', { limit: 1000 })).toHaveLength(250);

  const first = await sweepUngrouped(pipeline.deps, 0); // no budget: stops at once, the rest is left
  expect(first.remaining).toBe(true);
  const second = await sweepUngrouped(pipeline.deps);
  expect(second.remaining).toBe(false);
  expect(first.outcomes.length + second.outcomes.length).toBe(250);
  expect(await pipeline.repo.mentions.listUngrouped('acme')).toEqual([]);
  expect(await incidents(pipeline.repo)).toHaveLength(1);
  // Oldest first: the first mention opened the incident and is the one alerted.
  const [alert] = sink.messages.filter((m) => m.kind === 'mention');
  expect(alert.alertId).toBe('mention#acme-desk#u-000');
});

import { parseConfig } from '../../../lambdas/config/load';
import { ConflictError } from '../../../lambdas/core/errors';
import type { Mention } from '../../../lambdas/core/mention';
import { handleFlaggedMention } from '../../../lambdas/pipeline/flagged';
import { ingestMentions } from '../../../lambdas/pipeline/ingest';
import { openLocalPipeline, type LocalPipeline } from '../../../lambdas/pipeline/local';
import { sweepUngrouped } from '../../../lambdas/pipeline/sweep';
import type { AlertMessage, AlertSink } from '../../../lambdas/sinks';

/**
 * A batch of one brand's grouping saves an incident once for all the mentions that only grew it (no alert rides
 * on those saves). Nothing is lost: every mention is counted and noted, and when that one save fails, the
 * mentions it carried stay ungrouped and the sweep groups them.
 */

const COMPLAINT = 'Acme charged me twice and nobody answered my 4 emails in 2 weeks. Cancelling, never again!';
const config = parseConfig({
  brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }],
  sources: [{ id: 'acme-desk', kind: 'webhook', brand: 'acme', secretEnv: 'DESK_SECRET' }],
  storage: 'memory',
  alerts: { minSeverity: 'low', spikes: { enabled: false } },
});

let pipeline: LocalPipeline;
const messages: AlertMessage[] = [];
const sink: AlertSink = { name: 'recording', send: async (message) => void messages.push(message) };

beforeEach(async () => {
  messages.length = 0;
  pipeline = await openLocalPipeline(config, { sinks: [sink], env: { DESK_SECRET: 'x'.repeat(16) } });
});
afterEach(() => pipeline.close());

const mentions = (prefix: string, n: number): Mention[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${String(i).padStart(3, '0')}`,
    sourceId: 'acme-desk',
    brandId: 'acme',
    kind: 'webhook',
    text: COMPLAINT,
    createdAt: new Date(Date.now() - (n - i) * 1000).toISOString(),
  }));

async function onlyIncident() {
  const items = await pipeline.repo.table.scan({
    FilterExpression: '#type = :type',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: { ':type': 'INCIDENT' },
  });
  expect(items).toHaveLength(1);
  return items[0];
}

test('60 mentions grouped at once: one incident of size 60, every mention noted, one first alert', async () => {
  const stored = await ingestMentions(mentions('g', 60), {
    repo: pipeline.repo,
    retentionDays: 30,
    now: () => new Date(),
  });
  const outcomes = await Promise.all(
    stored.flagged.map((m) => handleFlaggedMention(m, pipeline.deps, { fresh: true })),
  );
  expect(outcomes.filter((o) => o.deferred)).toEqual([]);
  expect((await onlyIncident()).size).toBe(60);
  expect(await pipeline.repo.mentions.listUngrouped('acme')).toEqual([]);
  expect(messages.filter((m) => m.kind === 'mention')).toHaveLength(1);
});

test('when the batch-end save fails, its mentions stay ungrouped and the sweep counts each once', async () => {
  const first = await ingestMentions(mentions('a', 1), {
    repo: pipeline.repo,
    retentionDays: 30,
    now: () => new Date(),
  });
  await handleFlaggedMention(first.flagged[0], pipeline.deps, { fresh: true });
  const save = pipeline.repo.incidents.save.bind(pipeline.repo.incidents);
  let failed = 0;
  pipeline.repo.incidents.save = async (incident) => {
    if (failed === 0 && incident.size > 1) {
      failed++;
      throw new ConflictError('injected: someone else saved the incident');
    }
    return save(incident);
  };
  const rest = await ingestMentions(mentions('b', 3), {
    repo: pipeline.repo,
    retentionDays: 30,
    now: () => new Date(),
  });
  const outcomes = await Promise.all(rest.flagged.map((m) => handleFlaggedMention(m, pipeline.deps, { fresh: true })));
  expect(failed).toBe(1);
  const deferred = outcomes.filter((o) => o.deferred).length;
  expect(deferred).toBeGreaterThan(0);
  expect(await pipeline.repo.mentions.listUngrouped('acme')).toHaveLength(deferred);
  await sweepUngrouped(pipeline.deps);
  expect(await pipeline.repo.mentions.listUngrouped('acme')).toEqual([]);
  expect((await onlyIncident()).size).toBe(4);
});

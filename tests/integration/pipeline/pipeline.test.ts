import { parseConfig } from '../../../lambdas/config/load';
import type { EarshotConfig } from '../../../lambdas/config/schema';
import type { AlertMessage, AlertSink } from '../../../lambdas/sinks';
import { handleFlaggedMention } from '../../../lambdas/pipeline/flagged';
import { sweep, sweepEscalations, sweepSpike } from '../../../lambdas/pipeline/sweep';
import { ingestMentions } from '../../../lambdas/pipeline/ingest';
import { openLocalPipeline, type LocalPipeline } from '../../../lambdas/pipeline/local';
import { runPass } from '../../../lambdas/pipeline/run-pass';
import type { Mention } from '../../../lambdas/core/mention';
import { startServer, unix, type TestServer } from '../sources/server';

/**
 * End to end on dynalite and a local HTTP server in the Hacker News API's format: the same functions the Lambdas
 * call, wired in one process. The clock is injectable so escalation windows pass instantly.
 */

const START = new Date('2026-06-10T12:00:00Z');

function recordingSink(name: string): AlertSink & { messages: AlertMessage[]; failuresLeft: number } {
  const sink = {
    name,
    messages: [] as AlertMessage[],
    /** The next this-many sends fail. */
    failuresLeft: 0,
    async send(message: AlertMessage) {
      if (sink.failuresLeft > 0) {
        sink.failuresLeft--;
        throw new Error(`${name} is down`);
      }
      sink.messages.push(message);
    },
  };
  return sink;
}

const complaints = [
  'Acme Air lost my bag on flight AC123 and nobody answered my emails for 3 weeks. I paid for premium! Never again, cancelling my membership.',
  'Acme Air lost my luggage on AC123, waited 2 hours at the desk, still no refund and no reply. Worst airline ever, switching to another carrier.',
  'Flight AC123 with Acme Air: lost baggage, 5 calls to support, nobody replied. Expected better for the price. Never flying Acme again!',
  'Acme Air AC123 lost my suitcase, still waiting for a refund after 3 weeks, support ignored me. Absolutely terrible, cancelling.',
  'Lost bag on Acme Air flight AC123, no response from customer service in 10 days. I paid extra for priority. Never again.',
  'Acme Air lost our luggage on AC123, waited 4 hours, promised a call back that never came. Worst experience, switching airlines.',
];

function hnHit(id: string, iso: string, text: string) {
  return {
    objectID: id,
    created_at: iso,
    created_at_i: unix(iso),
    author: `user${id}`,
    title: null,
    url: null,
    points: null,
    num_comments: null,
    story_text: null,
    comment_text: text,
    story_title: 'Ask HN: airline horror stories',
    _tags: ['comment'],
  };
}

const hits = [
  ...complaints.map((text, i) => hnHit(String(200 + i), `2026-06-10T1${i % 2}:0${i}:00Z`, text)),
  hnHit('300', '2026-06-10T09:30:00Z', 'Flew Acme Air to Denver last week, smooth flight and friendly crew.'),
  hnHit('301', '2026-06-10T09:40:00Z', 'Does anyone know if Acme Air allows pets in the cabin?'),
  hnHit('302', '2026-06-10T09:50:00Z', 'The Acme museum has a great exhibit on cartoons.'),
];

function configFor(server: TestServer, overrides: Record<string, unknown> = {}): EarshotConfig {
  return parseConfig({
    brands: [{ id: 'acme', name: 'Acme', keywords: ['acme', 'acme air'], exclude: ['acme museum'] }],
    sources: [{ id: 'acme-hn', kind: 'hackernews', brand: 'acme', baseUrl: server.url, lookbackHours: 24 }],
    storage: 'memory',
    alerts: { minSeverity: 'low', spikes: { enabled: false }, incidents: { cooldownMinutes: 0 }, ...overrides },
  });
}

describe('the local pipeline, end to end', () => {
  let server: TestServer;
  let pipeline: LocalPipeline;
  let clock: Date;
  let sink: ReturnType<typeof recordingSink>;
  let flaky: ReturnType<typeof recordingSink>;

  beforeEach(async () => {
    server = await startServer();
    server.on('GET', '/api/v1/search_by_date', (req) => {
      const since = Number(/created_at_i>=(\d+)/.exec(req.query.get('numericFilters') ?? '')?.[1] ?? 0);
      const page = hits.filter((h) => h.created_at_i >= since).sort((a, b) => b.created_at_i - a.created_at_i);
      return { body: { hits: page, page: 0, nbPages: 1, hitsPerPage: 100, nbHits: page.length } };
    });
    clock = new Date(START);
    sink = recordingSink('recording');
    flaky = recordingSink('flaky');
    pipeline = await openLocalPipeline(configFor(server), {
      now: () => clock,
      sinks: [sink, flaky],
      http: { sleep: async () => undefined },
    });
  });

  afterEach(async () => {
    await pipeline.close();
    await server.close();
  });

  it('stores each mention once, groups the complaints into one incident, alerts once, and a second pass adds nothing', async () => {
    const first = await runPass(pipeline.deps);
    expect(first.sources).toEqual([
      expect.objectContaining({ id: 'acme-hn', kind: 'hackernews', fetched: 9, relevant: 8, noise: 1, errors: [] }),
    ]);
    expect(first.stored).toBe(8);
    expect(first.duplicates).toBe(0);
    expect(first.flagged).toBeGreaterThanOrEqual(4);
    expect(first.incidents).toBe(1);
    // One alert for the incident, one update when it reached 5 mentions.
    const kinds = sink.messages.map((m) => m.kind).sort();
    expect(kinds).toEqual(['incident', 'mention']);
    expect(new Set(sink.messages.map((m) => m.alertId)).size).toBe(sink.messages.length);
    expect(sink.messages[0].subject.length).toBeLessThanOrEqual(100);
    expect(sink.messages[0].attributes).toMatchObject({ brand: 'acme', kind: 'mention' });
    expect(sink.messages[0].text).toMatch(/AC123/);

    clock = new Date(START.getTime() + 60_000);
    const second = await runPass(pipeline.deps);
    expect(second).toMatchObject({ stored: 0, alerts: 0, incidents: 0, flagged: 0 });
    expect(sink.messages).toHaveLength(2);

    const queue = await pipeline.repo.mentions.triageQueue({ brandId: 'acme', status: 'new' });
    expect(queue.length).toBe(first.flagged);
  });

  it('a sink that fails then recovers gets the alert from the sweep; the others never get it twice', async () => {
    flaky.failuresLeft = 3; // down for the alert, the immediate retry in this pass's sweep, and one more
    const first = await runPass(pipeline.deps);
    expect(first.alertErrors.some((e) => e.includes('flaky is down'))).toBe(true);
    expect(flaky.messages.length).toBeLessThan(sink.messages.length);

    clock = new Date(START.getTime() + 120_000);
    const second = await runPass(pipeline.deps);
    expect(second.alertErrors).toEqual([]);
    expect(second.stored).toBe(0);
    expect(flaky.messages.map((m) => m.alertId).sort()).toEqual(sink.messages.map((m) => m.alertId).sort());
    expect(sink.messages).toHaveLength(2);

    clock = new Date(START.getTime() + 240_000);
    await runPass(pipeline.deps);
    expect(flaky.messages).toHaveLength(2);
    expect(sink.messages).toHaveLength(2);
  });

  it('a pass hours later, after the incident window closed, neither re-groups nor re-alerts anything', async () => {
    await runPass(pipeline.deps);
    const sent = sink.messages.map((m) => m.alertId);
    clock = new Date(START.getTime() + 5 * 3_600_000);
    const later = await runPass(pipeline.deps);
    // Only escalations of the unacknowledged alerts go out; nothing about the mentions is sent again.
    expect(later).toMatchObject({ stored: 0, incidents: 0, alerts: later.escalations, alertErrors: [] });
    expect(sink.messages.filter((m) => m.kind !== 'escalation').map((m) => m.alertId)).toEqual(sent);
  });

  it('past the hourly cap, alerts go into one digest sent after the hour, listing every held-back alert', async () => {
    const capped = await openLocalPipeline(configFor(server, { hourlyCap: 1, incidents: { minSimilarity: 1 } }), {
      now: () => clock,
      sinks: [sink],
      http: { sleep: async () => undefined },
    });
    try {
      // Unrelated complaints (no grouping) in one hour: one pages, the rest wait for the digest.
      for (const [i, text] of [
        'Acme charged my card twice and support never replied to 4 emails. Cancelling my account, never again!',
        'Acme app crashes every time I open it, waited 3 weeks for a fix. Worst app ever, uninstalling.',
        'My Acme router died after 2 days, paid $300 for premium. Nobody answers the phone. Returning it!',
      ].entries()) {
        const [stored] = (
          await ingestMentions(
            [
              {
                id: `cap${i}`,
                sourceId: 'acme-hn',
                kind: 'hackernews',
                brandId: 'acme',
                text,
                createdAt: START.toISOString(),
              },
            ],
            { repo: capped.repo, retentionDays: 90, now: () => clock },
          )
        ).flagged;
        expect(stored).toBeDefined();
        await handleFlaggedMention(stored, capped.deps);
      }
      expect(sink.messages.map((m) => m.kind)).toEqual(['mention']);
      expect((await sweep(capped.deps)).digests).toEqual([]); // the hour is not over yet

      clock = new Date(START.getTime() + 61 * 60_000);
      const { digests } = await sweep(capped.deps);
      expect(digests.map((d) => d.alertId)).toEqual(['digest#acme#2026-06-10T12']);
      const digest = sink.messages.find((m) => m.kind === 'digest')!;
      expect(digest.kind).toBe('digest');
      expect(digest.json.digest?.items).toHaveLength(2);
      expect((await sweep(capped.deps)).digests).toEqual([]);
    } finally {
      await capped.close();
    }
  });

  it('an incident update held back by the cooldown is sent by the sweep once the cooldown is over', async () => {
    const cooled = await openLocalPipeline(configFor(server, { incidents: { cooldownMinutes: 30 } }), {
      now: () => clock,
      sinks: [sink],
      http: { sleep: async () => undefined },
    });
    try {
      await runPass(cooled.deps);
      expect(sink.messages.map((m) => m.kind)).toEqual(['mention']); // grew to 5 within the cooldown: held back
      clock = new Date(START.getTime() + 31 * 60_000);
      const { incidentUpdates } = await sweep(cooled.deps);
      expect(incidentUpdates).toHaveLength(1);
      expect(sink.messages.map((m) => m.kind).filter((k) => k !== 'escalation')).toEqual(['mention', 'incident']);
      expect((await sweep(cooled.deps)).incidentUpdates).toEqual([]);
    } finally {
      await cooled.close();
    }
  });

  it('two deliverers of one alert at once (the stream and the sweep) send it once: the record is leased', async () => {
    const slow: AlertSink & { messages: AlertMessage[] } = {
      name: 'slow',
      messages: [],
      async send(message) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        slow.messages.push(message);
      },
    };
    const deps = { ...pipeline.deps, sinks: [slow] };
    const [stored] = (
      await ingestMentions(
        [
          {
            id: 'lease1',
            sourceId: 'acme-hn',
            kind: 'hackernews',
            brandId: 'acme',
            text: complaints[0],
            createdAt: START.toISOString(),
          },
        ],
        { repo: pipeline.repo, retentionDays: 90, now: () => clock },
      )
    ).flagged;
    await pipeline.repo.alerts.markDeliveryFailed('none', clock.toISOString()); // no such alert: harmless
    const first = handleFlaggedMention(stored, deps);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all([first, handleFlaggedMention(stored, deps), sweep(deps)]);
    expect(slow.messages.filter((m) => m.kind === 'mention')).toHaveLength(1);
  });

  it('flagged mentions stored by a pass that stopped before alerting are alerted by the next pass', async () => {
    const text =
      'Acme charged my card twice and support never replied to 4 emails. Cancelling my account, never again!';
    const stored = await ingestMentions(
      [
        {
          id: 'orphan',
          sourceId: 'acme-hn',
          kind: 'hackernews',
          brandId: 'acme',
          text,
          createdAt: START.toISOString(),
        },
      ],
      { repo: pipeline.repo, retentionDays: 90, now: () => clock },
    );
    expect(stored.flagged).toHaveLength(1);
    server.on('GET', '/api/v1/search_by_date', { body: { hits: [], page: 0, nbPages: 1 } }); // nothing new to poll
    await runPass(pipeline.deps);
    expect((await pipeline.repo.mentions.get('acme-hn', 'orphan'))?.incidentKey).toBeDefined();
    expect(sink.messages.map((m) => m.alertId)).toContain('mention#acme-hn#orphan');
  });

  it('the sweep never sends an alert that was withdrawn or that a person already acknowledged', async () => {
    const message = {
      alertId: 'mention#acme-hn#w1',
      kind: 'mention',
      severity: 'high',
      brandId: 'acme',
      subject: 's',
      text: 't',
      json: {},
      attributes: { brand: 'acme', severity: 'high', source: 'hackernews', kind: 'mention' },
    } as unknown as AlertMessage;
    const base = {
      brandId: 'acme',
      kind: 'mention' as const,
      severity: 'high' as const,
      createdAt: START.toISOString(),
      subject: 's',
      escalatedLevels: [],
      deliveredTo: [],
      expiresAt: 2_000_000_000,
    };
    await pipeline.repo.alerts.putOnce({ ...base, alertId: 'mention#acme-hn#w1', message });
    await pipeline.repo.alerts.putOnce({
      ...base,
      alertId: 'mention#acme-hn#w2',
      message: { ...message, alertId: 'mention#acme-hn#w2' },
    });
    expect(await pipeline.repo.alerts.withdraw('mention#acme-hn#w1', START.toISOString())).toBe(true);
    await pipeline.repo.alerts.acknowledge('mention#acme-hn#w2', 'lead', START.toISOString());
    clock = new Date(START.getTime() + 10 * 60_000);
    const swept = await sweep(pipeline.deps);
    expect(swept.redelivered).toEqual([]);
    expect(swept.escalations).toEqual([]);
    expect(sink.messages).toHaveLength(0);
    expect(await pipeline.repo.alerts.listUndelivered(clock.toISOString())).toEqual([]);
  });

  it('a redelivered batch creates no second mention and no second alert', async () => {
    const mentions: Mention[] = complaints.slice(0, 2).map((text, i) => ({
      id: `r${i}`,
      sourceId: 'acme-webhook',
      kind: 'webhook',
      brandId: 'acme',
      text,
      createdAt: START.toISOString(),
    }));
    const deps = { repo: pipeline.repo, retentionDays: 90, now: () => clock };
    const once = await ingestMentions(mentions, deps);
    const again = await ingestMentions(mentions, deps);
    expect(once.stored).toHaveLength(2);
    expect(again).toMatchObject({ stored: [], duplicates: 2, flagged: [] });

    for (const mention of once.flagged) await handleFlaggedMention(mention, pipeline.deps);
    const sent = sink.messages.length;
    for (const mention of once.flagged) {
      const retry = await handleFlaggedMention(mention, pipeline.deps);
      expect(retry.decision).toBeNull();
    }
    expect(sink.messages).toHaveLength(sent);
  });

  it('a failing source reports its error, keeps its cursor, and does not block the others', async () => {
    const config = parseConfig({
      brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'], exclude: ['acme museum'] }],
      sources: [
        { id: 'acme-ios', kind: 'appstore', brand: 'acme', appId: '123', baseUrl: server.url, countries: ['us'] },
        { id: 'acme-hn', kind: 'hackernews', brand: 'acme', baseUrl: server.url },
      ],
      storage: 'memory',
      alerts: { spikes: { enabled: false } },
    });
    server.on('GET', '/us/rss/customerreviews/page=1/id=123/sortby=mostRecent/json', { status: 500, body: 'boom' });
    const local = await openLocalPipeline(config, {
      now: () => clock,
      sinks: [sink],
      http: { sleep: async () => undefined, maxRetries: 1 },
    });
    try {
      const summary = await runPass(local.deps);
      const [ios, hn] = summary.sources;
      expect(ios.errors.join(' ')).toMatch(/500/);
      expect(ios.fetched).toBe(0);
      expect(await local.repo.sources.getCursor('acme-ios')).toBeUndefined();
      expect((await local.repo.sources.getHealth('acme-ios'))?.consecutiveFailures).toBe(1);
      expect(hn.relevant).toBe(8);
      expect(summary.stored).toBe(8);
    } finally {
      await local.close();
    }
  });

  it('escalates an unacknowledged high alert after the window, once per level, and never after an ack', async () => {
    const record = {
      alertId: 'mention#acme-hn#999',
      brandId: 'acme',
      kind: 'mention' as const,
      severity: 'high' as const,
      createdAt: START.toISOString(),
      subject: '[HIGH] Acme · HN · "lost my bag"',
      sourceId: 'acme-hn',
      escalatedLevels: [],
      deliveredTo: ['recording', 'flaky'],
      expiresAt: Math.floor(START.getTime() / 1000) + 86_400,
    };
    expect(await pipeline.repo.alerts.putOnce(record)).toBe(true);
    clock = new Date(START.getTime() + 10 * 60_000);
    expect(await sweepEscalations(pipeline.deps)).toEqual([]);

    clock = new Date(START.getTime() + 31 * 60_000);
    const level1 = await sweepEscalations({ ...pipeline.deps, escalationSinks: [sink] });
    expect(level1.map((o) => o.alertId)).toEqual(['escalation#mention#acme-hn#999#1']);
    expect(sink.messages.at(-1)?.kind).toBe('escalation');
    expect(await sweepEscalations({ ...pipeline.deps, escalationSinks: [sink] })).toEqual([]);

    clock = new Date(START.getTime() + 61 * 60_000);
    const level2 = await sweepEscalations({ ...pipeline.deps, escalationSinks: [sink] });
    expect(level2.map((o) => o.alertId)).toEqual(['escalation#mention#acme-hn#999#2']);

    await pipeline.repo.alerts.putOnce({ ...record, alertId: 'mention#acme-hn#998' });
    await pipeline.repo.alerts.acknowledge('mention#acme-hn#998', 'lead', clock.toISOString());
    clock = new Date(START.getTime() + 200 * 60_000);
    const after = await sweepEscalations({ ...pipeline.deps, escalationSinks: [sink] });
    expect(after.map((o) => o.alertId)).not.toContain('escalation#mention#acme-hn#998#1');
  });

  it('alerts a negative spike against the baseline once, and not for a quiet brand', async () => {
    const config = {
      ...pipeline.deps.config,
      alerts: {
        ...pipeline.deps.config.alerts,
        spikes: { enabled: true, minCount: 5, factor: 3, warmupHours: 24, baselineHours: 72 },
      },
    };
    const deps = { ...pipeline.deps, config };
    // 48 hours of a usual 0–1 negative mentions an hour.
    for (let h = 48; h >= 1; h--) {
      const hour = new Date(START.getTime() - h * 3_600_000).toISOString().slice(0, 13);
      await pipeline.repo.counters.add('acme', 'acme-hn', hour, { negative: h % 3 === 0 ? 1 : 0, fetched: 3 });
    }
    await pipeline.repo.counters.add('acme', 'acme-hn', START.toISOString().slice(0, 13), { negative: 2 });
    expect(await sweepSpike('acme', deps)).toBeNull();

    await pipeline.repo.counters.add('acme', 'acme-hn', START.toISOString().slice(0, 13), { negative: 10 });
    const spike = await sweepSpike('acme', deps);
    expect(spike?.alertId).toBe('spike#acme#2026-06-10T12');
    expect(spike?.sent).toContain('recording');
    const again = await sweepSpike('acme', deps);
    expect(again?.sent ?? []).toEqual([]);
    expect(sink.messages.filter((m) => m.kind === 'spike')).toHaveLength(1);
  });
});

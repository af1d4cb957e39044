import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadConfig, parseConfig } from '../../lambdas/config/load';
import type { EarshotConfig } from '../../lambdas/config/schema';
import { addHours, hourOf } from '../../lambdas/core/alerting/common';
import { sweepEscalations } from '../../lambdas/pipeline/sweep';
import { openLocalPipeline, type LocalPipeline } from '../../lambdas/pipeline/local';
import { idArgs, shellQuote } from '../../lambdas/core/alerting/format';
import { runPass, type PassSummary } from '../../lambdas/pipeline/run-pass';
import { storeOwner } from '../../lambdas/store/local';
import type { Repository } from '../../lambdas/store/repository';
import { toTriageItem } from '../../lambdas/pipeline/triage-service';
import { createTerminal } from './progress';
import { formatSummary, passHeader, summaryJson } from './run';
import { startSampleServer } from './sample-server';

/**
 * `npm run demo`: the whole pipeline offline. The real adapters poll a local server that serves hand-written sample
 * responses (examples/samples) in each source's format, on a clock set to when the samples were "captured".
 */

/** Credentials the sample server accepts; they exist only for the demo. */
const DEMO_ENV = {
  DEMO_REDDIT_ID: 'demo-client',
  DEMO_REDDIT_SECRET: 'demo-secret',
  DEMO_BSKY_ID: 'acme-demo.bsky.social',
  DEMO_BSKY_PASSWORD: 'demo-app-password',
  DEMO_YOUTUBE_KEY: 'demo-key',
  DEMO_TRUSTPILOT_KEY: 'demo-key',
  DEMO_FB_TOKEN: 'demo-page-token',
  DEMO_SHOPEE_KEY: 'demo-partner-key',
  DEMO_SHOPEE_TOKEN: 'demo-shop-token',
  DEMO_GOOGLE_CLIENT: 'demo-client',
  DEMO_GOOGLE_SECRET: 'demo-secret',
  DEMO_GOOGLE_REFRESH: 'demo-refresh',
  DEMO_PLACES_KEY: 'demo-key',
  DEMO_TIKTOK_TOKEN: 'demo-token',
  DEMO_LAZADA_SECRET: 'demo-app-secret',
  DEMO_LAZADA_TOKEN: 'demo-seller-token',
};

/** Where `demo --keep` keeps its store, and the config that points triage at it (both under the working directory). */
export const KEPT_STORE = '.earshot/demo';
export const KEPT_CONFIG = '.earshot/demo.yaml';
/**
 * Written into the kept store when the whole story is in it, last: a store without it was stopped midway (Ctrl-C)
 * and is told again from the start, so a kept story is either complete or redone, never half there.
 */
export const KEPT_MARKER = path.join(KEPT_STORE, 'demo-story-complete');

/** A kept store that a stopped `demo --keep` left unfinished: removed (unless in use), so the story is told afresh. */
function discardUnfinishedStory(say: (text: string) => void): void {
  if (!existsSync(KEPT_STORE) || existsSync(KEPT_MARKER)) return;
  const owner = storeOwner(KEPT_STORE);
  if (owner !== undefined) throw new Error(`store ${KEPT_STORE} is in use by pid ${owner}; stop it first`);
  say(`The kept store ${KEPT_STORE} has an unfinished demo story (stopped before its end): telling it again.\n`);
  rmSync(KEPT_STORE, { recursive: true, force: true });
}

export function demoConfig(baseUrl: string, storage: EarshotConfig['storage']): EarshotConfig {
  return parseConfig(demoConfigInput(baseUrl, storage), 'demo config');
}

/** The demo's config as a file would hold it. */
function demoConfigInput(baseUrl: string, storage: EarshotConfig['storage']): Record<string, unknown> {
  const local = { baseUrl };
  return {
    brands: [
      {
        id: 'acme',
        name: 'Acme Air',
        keywords: ['acme', 'acme air'],
        exclude: ['acme museum', 'wile e. coyote', 'road runner'],
      },
      // A Vietnamese kitchen-appliance maker: the BH-55 air fryer's coating peels and the warranty centre is silent.
      { id: 'bephong', name: 'Bếp Hồng', keywords: ['bếp hồng', 'bep hong', 'bephong'] },
    ],
    sources: [
      { id: 'acme-hn', kind: 'hackernews', brand: 'acme', ...local },
      {
        id: 'acme-reddit',
        kind: 'reddit',
        brand: 'acme',
        ...local,
        authUrl: baseUrl,
        clientIdEnv: 'DEMO_REDDIT_ID',
        clientSecretEnv: 'DEMO_REDDIT_SECRET',
      },
      { id: 'acme-mastodon', kind: 'mastodon', brand: 'acme', ...local, hashtags: ['acmeair'] },
      {
        id: 'acme-bluesky',
        kind: 'bluesky',
        brand: 'acme',
        ...local,
        authUrl: baseUrl,
        identifierEnv: 'DEMO_BSKY_ID',
        appPasswordEnv: 'DEMO_BSKY_PASSWORD',
      },
      { id: 'acme-ios', kind: 'appstore', brand: 'acme', ...local, appId: '123456789', countries: ['us', 'vn'] },
      {
        id: 'acme-play',
        kind: 'googleplay',
        brand: 'acme',
        ...local,
        appId: 'com.acme.air',
        acknowledgeFragile: true,
      },
      { id: 'acme-youtube', kind: 'youtube', brand: 'acme', ...local, apiKeyEnv: 'DEMO_YOUTUBE_KEY' },
      {
        id: 'acme-trustpilot',
        kind: 'trustpilot',
        brand: 'acme',
        ...local,
        domain: 'acmeair.example',
        apiKeyEnv: 'DEMO_TRUSTPILOT_KEY',
      },
      {
        id: 'acme-alerts',
        kind: 'rss',
        brand: 'acme',
        ...local,
        url: 'https://www.google.com/alerts/feeds/00000000000000000000/1111111111111111111',
      },
      ...vietnameseSources(baseUrl),
    ],
    alerts: {
      minSeverity: 'medium',
      sinks: ['console'],
      spikes: { minCount: 5, factor: 3, warmupHours: 24, baselineHours: 72 },
      // The demo's whole pass happens at one instant: without a cooldown its incident update (at 5) shows too.
      incidents: { cooldownMinutes: 0 },
      escalation: { afterMinutes: 30 },
    },
    storage,
  };
}

/** Bếp Hồng's channels: its own Page, three shops, Google locations and TikTok account, a voz forum and VnExpress. */
function vietnameseSources(baseUrl: string): Record<string, unknown>[] {
  const local = { brand: 'bephong', baseUrl };
  return [
    { id: 'bephong-fb', kind: 'facebook', ...local, pageId: '104000000000777', accessTokenEnv: 'DEMO_FB_TOKEN' },
    {
      id: 'bephong-shopee',
      kind: 'shopee',
      ...local,
      partnerId: 2001234,
      shopId: 880001,
      partnerKeyEnv: 'DEMO_SHOPEE_KEY',
      accessTokenEnv: 'DEMO_SHOPEE_TOKEN',
    },
    { id: 'bephong-tiki', kind: 'tiki', ...local, productIds: ['277596001'], acknowledgeFragile: true, delayMs: 0 },
    {
      id: 'bephong-lazada',
      kind: 'lazada',
      ...local,
      appKey: '100001',
      itemIds: ['3500000001'],
      appSecretEnv: 'DEMO_LAZADA_SECRET',
      accessTokenEnv: 'DEMO_LAZADA_TOKEN',
    },
    {
      id: 'bephong-google',
      kind: 'googlereviews',
      ...local,
      authUrl: baseUrl,
      placesUrl: baseUrl,
      accountId: '1000001',
      locationIds: ['2000001'],
      clientIdEnv: 'DEMO_GOOGLE_CLIENT',
      clientSecretEnv: 'DEMO_GOOGLE_SECRET',
      refreshTokenEnv: 'DEMO_GOOGLE_REFRESH',
      placeIds: ['ChIJbephongQ1showroom01'],
      apiKeyEnv: 'DEMO_PLACES_KEY',
    },
    {
      id: 'bephong-tiktok',
      kind: 'tiktok',
      ...local,
      businessId: 'biz-bephong',
      appId: '7000000000000000055',
      username: 'bephong.official',
      accessTokenEnv: 'DEMO_TIKTOK_TOKEN',
    },
    { id: 'bephong-voz', kind: 'xenforo', ...local, url: 'https://voz.vn/f/do-gia-dung.42/index.rss' },
    {
      id: 'bephong-vnexpress',
      kind: 'vnexpress',
      ...local,
      acknowledgeFragile: true,
      feeds: ['https://vnexpress.net/rss/kinh-doanh.rss'],
      delayMs: 0,
    },
  ];
}

/** Write the config of the kept store, so `triage … --config .earshot/demo.yaml` opens it. */
function writeKeptConfig(baseUrl: string, storePath: string): void {
  const { stringify } = require('yaml') as typeof import('yaml');
  mkdirSync(path.dirname(KEPT_CONFIG), { recursive: true });
  writeFileSync(
    KEPT_CONFIG,
    [
      '# Written by `earshot demo --keep`: the demo config, pointed at its kept store, for',
      `#   npx earshot triage list --config ${KEPT_CONFIG}`,
      "# Its sources read the demo's sample server, which stops with the demo: `run` on this file finds nothing.",
      `# Start afresh: rm -rf ${KEPT_STORE} ${KEPT_CONFIG}`,
      stringify(demoConfigInput(baseUrl, { path: storePath })),
    ].join('\n'),
  );
}

/** Two quiet days before the samples (0–1 negative mentions an hour), so the spike detector has a baseline. */
async function seedHistory(repo: Repository, now: Date): Promise<void> {
  const current = hourOf(now);
  for (let h = 48; h >= 1; h--) {
    await repo.counters.add('acme', 'acme-hn', addHours(current, -h), {
      fetched: 6,
      relevant: 4,
      negative: h % 4 === 0 ? 1 : 0,
    });
  }
}

export interface DemoResult {
  first: PassSummary;
  second: PassSummary;
  escalations: number;
}

export interface DemoOptions {
  json?: boolean;
  keep?: boolean;
  /** Afterwards, serve the story in the web inbox (`earshot serve` on the demo's store) until Ctrl-C. */
  serve?: boolean;
  port?: number;
}

/** The triage commands for the kept store, exactly as a user types them (ids quoted or encoded as alerts print them). */
function keptTriageCommands(top?: { sourceId: string; id: string }): string[] {
  const config = `--config ${shellQuote(KEPT_CONFIG)}`;
  return [
    `  npx earshot triage list ${config}`,
    ...(top
      ? [
          `  npx earshot triage show ${idArgs([top.sourceId, top.id])} ${config}`,
          `  npx earshot triage ack ${idArgs([top.sourceId, top.id])} ${config}`,
        ]
      : []),
    `  npx earshot triage stats ${config}`,
  ];
}

/** Runs the demo; undefined when `--keep` found the story already in the kept store (nothing ran again). */
export async function runDemo(opts: DemoOptions = {}): Promise<DemoResult | undefined> {
  // A busy port found after the story would waste it: check first (serve loads only when needed).
  if (opts.serve) await (require('./serve') as typeof import('./serve')).checkPortFree(opts.port ?? 8787);
  const server = await startSampleServer();
  let clock = server.now;
  let config: EarshotConfig;
  if (opts.keep) {
    discardUnfinishedStory((text) => opts.json || process.stdout.write(`${text}\n`));
    // Triage reads the very file written here: loading it back proves the printed commands will open this store.
    writeKeptConfig(server.url, path.resolve(KEPT_STORE));
    config = loadConfig(KEPT_CONFIG);
  } else {
    config = demoConfig(server.url, 'memory');
  }
  // While the inbox serves the story, the demo clock runs on from where the story ended.
  const live = { on: false, base: 0, start: 0 };
  // Alerts and the bar share stdout: the terminal writes alerts above the bar, never under it.
  const terminal = opts.json ? undefined : createTerminal(process.stdout);
  let pipeline: LocalPipeline;
  try {
    pipeline = await openLocalPipeline(config, {
      now: () => (live.on ? new Date(live.base + Date.now() - live.start) : clock),
      env: DEMO_ENV,
      consoleStream: terminal ? (terminal.out as NodeJS.WritableStream) : process.stderr,
      configPath: opts.keep ? KEPT_CONFIG : undefined,
    });
  } catch (error) {
    await server.close();
    throw error;
  }
  const say = (text: string) => terminal?.out.write(`${text}\n`);
  const topOfQueue = async () =>
    (await pipeline.repo.mentions.triageQueue({ brandId: 'acme', status: 'new', limit: 5 })).map(toTriageItem);
  let result: DemoResult | undefined;
  try {
    if (opts.keep && existsSync(KEPT_MARKER)) {
      // A second pass over the same samples would add nothing: say so instead of showing an empty story.
      const [top] = await topOfQueue();
      const lines = [
        `The kept store ${KEPT_STORE} already has the demo story (from an earlier \`demo --keep\`): nothing to add.`,
        'Triage it:',
        ...keptTriageCommands(top),
        `Start afresh: rm -rf ${KEPT_STORE} ${KEPT_CONFIG} && npx earshot demo --keep`,
      ];
      if (opts.json) console.log(JSON.stringify({ kept: KEPT_STORE, config: KEPT_CONFIG, alreadyKept: true }));
      else say(lines.join('\n'));
    } else {
      result = await tellTheStory();
    }
  } catch (error) {
    await pipeline.close();
    throw error;
  } finally {
    await server.close();
  }

  async function tellTheStory(): Promise<DemoResult> {
    await seedHistory(pipeline.repo, clock);
    say(`Earshot demo — sample responses from ${server.url}, clock at ${clock.toISOString()}\n`);
    const progress = terminal?.progress;
    say(passHeader(1, clock));
    // The story's sources all answer at once from samples: grouping in one order makes it the same every time.
    const first = await runPass({
      ...pipeline.deps,
      alertOrder: 'whole-pass',
      onProgress: progress ? (e) => progress.update(e) : undefined,
    });
    progress?.stop();
    say('');
    say(formatSummary(first));

    clock = new Date(clock.getTime() + 45 * 60_000);
    say('\n── 45 minutes later: nobody acknowledged the high/critical alerts ──');
    const escalations = (await sweepEscalations(pipeline.deps)).filter((o) => o.sent.length > 0).length;
    say(`escalations sent: ${escalations}`);

    clock = new Date(clock.getTime() + 60_000);
    say(`\n${passHeader(2, clock)}`);
    say('The same (unchanged) sources again: nothing new, nothing repeated.');
    const second = await runPass({ ...pipeline.deps, alertOrder: 'whole-pass' });
    say(`stored ${second.stored} · duplicates ${second.duplicates} · alerts ${second.alerts}`);

    const queue = await topOfQueue();
    if (opts.keep) writeFileSync(KEPT_MARKER, `${new Date().toISOString()}\n`);
    say('\n── Top of the triage queue ──');
    for (const item of queue) say(`[${item.severity.toUpperCase()}] ${item.sourceId} ${item.id}: ${item.excerpt}`);
    if (opts.json) {
      console.log(
        JSON.stringify({
          first: summaryJson(first),
          escalations,
          second: summaryJson(second),
          ...(opts.keep ? { kept: KEPT_STORE, config: KEPT_CONFIG } : {}),
        }),
      );
    } else if (opts.keep) {
      say(`\nThe story is kept in ${KEPT_STORE}, with its config in ${KEPT_CONFIG}. Triage it:`);
      say(keptTriageCommands(queue[0]).join('\n'));
    } else {
      // With --serve the story is triaged in the inbox that follows; keeping it is for the CLI.
      if (!opts.serve) {
        say('\nTo triage this story yourself, keep it: npx earshot demo --keep (it prints the triage commands).');
      }
      say(
        'All of this ran offline on bundled samples. Point a config at real sources with: npx earshot run --config FILE',
      );
    }
    return { first, second, escalations };
  }
  if (!opts.serve) {
    await pipeline.close();
    return result;
  }
  Object.assign(live, { on: true, base: clock.getTime(), start: Date.now() });
  const { serveUntilStopped } = require('./serve') as typeof import('./serve');
  await serveUntilStopped(
    config,
    { port: opts.port ?? 8787 },
    {},
    {
      pipeline,
      poll: false,
      banner: 'The demo story is in the inbox: open the address above in a browser (Ctrl-C stops).',
    },
  );
  return result;
}

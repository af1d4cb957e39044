import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../lambdas/config/load';
import type { EarshotConfig } from '../../lambdas/config/schema';
import type { Mention, StoredMention } from '../../lambdas/core/mention';
import { ingestMentions } from '../../lambdas/pipeline/ingest';
import { openLocalPipeline } from '../../lambdas/pipeline/local';
import { TriageService } from '../../lambdas/pipeline/triage-service';

/**
 * The browser suites' fixtures: a config and a store on disk filled through the real ingest path (analysis, the
 * triage queue index, counters), then `earshot serve` started as a child process on it, and Debian's Chromium.
 */

export const ROOT = path.resolve(__dirname, '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');
export const SLA_MINUTES = { critical: 15, high: 120, medium: 1440, low: 2880 };

export interface FixtureMention {
  key: string;
  sourceId: 'acme-news' | 'acme-reviews';
  text: string;
  title?: string;
  language?: string;
  authorReach?: number;
  /** Minutes before the suite starts that the mention was written and stored. */
  ageMinutes: number;
  ack?: boolean;
  /** The brand's answer (a seller reply), with markup that must show as text. */
  reply?: string;
}

/** Written so the real analysis flags them with several severities, in two languages and two sources. */
export const MENTIONS: FixtureMention[] = [
  {
    key: 'bag',
    sourceId: 'acme-news',
    text: 'Acme lost my bag three weeks ago, promised refund never came. On hold for hours and nobody answers. Worst airline ever, switching to another airline.',
    authorReach: 5000,
    ageMinutes: 120,
    reply: 'We are sorry <b>Jane</b> <img src=x onerror="document.title=1">, a refund is on its way.',
  },
  {
    key: 'vi',
    sourceId: 'acme-reviews',
    language: 'vi',
    text: 'Acme làm mất hành lý của tôi, đã ba tuần mà vẫn chưa được hoàn tiền, gọi tổng đài không ai trả lời. Thất vọng quá.',
    ageMinutes: 5,
  },
  {
    key: 'cancelled',
    sourceId: 'acme-news',
    text: 'Acme cancelled my booking without notice. I called five times, nobody answers. Terrible service, I want my money back.',
    ageMinutes: 60,
  },
  {
    key: 'crash',
    sourceId: 'acme-reviews',
    title: 'App keeps crashing',
    text: 'Acme app crashed again and support never replied to my email. Really disappointed.',
    ageMinutes: 30,
  },
  {
    key: 'delay',
    sourceId: 'acme-news',
    text: 'Acme delayed my flight by two hours, the staff were rude and nobody explained anything. Never flying Acme again.',
    ageMinutes: 90,
  },
  {
    key: 'waiting',
    sourceId: 'acme-reviews',
    text: 'Acme lost my bag. Still waiting.',
    ageMinutes: 200,
  },
  {
    key: 'counter',
    sourceId: 'acme-news',
    text: 'Waited 40 minutes at the Acme counter, nobody helped. Disappointed.',
    ageMinutes: 10,
  },
  {
    key: 'acked',
    sourceId: 'acme-reviews',
    text: 'The Acme app crashed again at checkout and support never replied. Really disappointed.',
    ageMinutes: 15,
    ack: true,
  },
  // Not flagged: never in the queue.
  { key: 'slow', sourceId: 'acme-news', text: 'The Acme website is slow today and I had to retry.', ageMinutes: 3 },
];

export interface Fixture {
  dir: string;
  configPath: string;
  config: EarshotConfig;
  /** The flagged mentions as stored, by fixture key. */
  stored: Map<string, StoredMention>;
  startedAt: number;
}

const SEVERITY_RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1, none: 0 };
const STATUS_RANK: Record<string, number> = { new: 0, acknowledged: 1 };

/** The open queue as the inbox must show it: new before acknowledged, then severity, then newest first. */
export function expectedOpenOrder(mentions: StoredMention[]): string[] {
  return mentions
    .filter((m) => m.flagged && (m.triage?.status === 'new' || m.triage?.status === 'acknowledged'))
    .sort(
      (a, b) =>
        STATUS_RANK[a.triage!.status] - STATUS_RANK[b.triage!.status] ||
        SEVERITY_RANK[b.analysis.severity] - SEVERITY_RANK[a.analysis.severity] ||
        b.createdAt.localeCompare(a.createdAt),
    )
    .map((m) => m.id);
}

export async function makeFixture(): Promise<Fixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'earshot-browser-'));
  const configPath = path.join(dir, 'earshot.config.yaml');
  writeFileSync(
    configPath,
    [
      'brands:',
      '  - id: acme',
      '    name: Acme Air',
      "    keywords: ['acme']",
      'sources:',
      // Disabled: the suite fills the store itself, so serve never polls.
      '  - { id: acme-news, kind: rss, brand: acme, url: "http://127.0.0.1:9/feed.xml", enabled: false }',
      '  - { id: acme-reviews, kind: rss, brand: acme, url: "http://127.0.0.1:9/reviews.xml", enabled: false }',
      'alerts:',
      '  sinks:',
      `    - jsonl: ${JSON.stringify(path.join(dir, 'alerts.jsonl'))}`,
      'triage:',
      '  sla:',
      ...Object.entries(SLA_MINUTES).map(([severity, minutes]) => `    ${severity}: ${minutes}`),
      'storage:',
      `  path: ${JSON.stringify(path.join(dir, 'db'))}`,
      '',
    ].join('\n'),
  );
  const config = loadConfig(configPath);
  const startedAt = Date.now();
  const pipeline = await openLocalPipeline(config, { sinks: [] });
  const stored = new Map<string, StoredMention>();
  try {
    const triage = new TriageService(pipeline.repo, () => new Date().toISOString());
    for (const [i, fixture] of MENTIONS.entries()) {
      const at = new Date(startedAt - fixture.ageMinutes * 60_000);
      const mention: Mention = {
        id: `${fixture.key}-${i}`,
        sourceId: fixture.sourceId,
        kind: 'rss',
        brandId: 'acme',
        url: `https://news.example/${fixture.key}`,
        author: `author-${fixture.key}`,
        title: fixture.title,
        text: fixture.text,
        createdAt: at.toISOString(),
        language: fixture.language,
        authorReach: fixture.authorReach,
        visibility: 'public',
        ...(fixture.reply ? { reply: { text: fixture.reply, createdAt: at.toISOString() } } : {}),
      };
      const result = await ingestMentions([mention], { repo: pipeline.repo, retentionDays: 30, now: () => at });
      if (result.rejected.length) throw new Error(`fixture ${fixture.key} rejected: ${result.rejected[0].reason}`);
      if (fixture.ack) await triage.ack(mention.sourceId, mention.id, { by: 'fixture' });
      const read = await pipeline.repo.mentions.get(mention.sourceId, mention.id);
      if (read?.flagged) stored.set(fixture.key, read);
    }
  } finally {
    await pipeline.close();
  }
  return { dir, configPath, config, stored, startedAt };
}

export interface Serve {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** `earshot serve --config FILE --port 0` as a user runs it; resolves once it prints its address. */
export function startServe(configPath: string, timeoutMs = 90_000): Promise<Serve> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'earshot.js'), 'serve', '--config', configPath, '--port', '0'],
    {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`earshot serve did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = () => {
      const found = /listening on (http:\/\/\S+)/.exec(out);
      if (!found) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({ url: found[1], child, output: () => out, stop });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`earshot serve exited with ${code}:\n${out}`));
    });
  });
}

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    // Root in CI containers has no user namespaces for the sandbox; /dev/shm is small there.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, `${name}.png`);
}

export function removeFixture(fixture: Fixture | undefined): void {
  if (fixture) rmSync(fixture.dir, { recursive: true, force: true });
}

/**
 * Deliver mentions to a running serve's webhook source as a user's sender does (signed POST to /ingest/{id}), then
 * wait until serve has grouped them: the incidents of `brand` number `incidents`.
 */
export async function deliverWebhook(
  serve: Serve,
  delivery: { sourceId: string; secret: string; mentions: object[]; brand: string; incidents: number },
): Promise<void> {
  const body = JSON.stringify(delivery.mentions);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', delivery.secret).update(`${timestamp}.${body}`).digest('hex');
  const response = await fetch(`${serve.url}/ingest/${delivery.sourceId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-earshot-signature': `sha256=${signature}`,
      'x-earshot-timestamp': timestamp,
    },
    body,
  });
  const reply = (await response.json()) as { stored?: number; flagged?: number };
  if (reply.flagged !== delivery.mentions.length) {
    throw new Error(`webhook ${delivery.sourceId} did not flag every mention: ${JSON.stringify(reply)}`);
  }
  // Grouping follows the reply.
  for (let tries = 0; ; tries++) {
    const incidents = await fetch(`${serve.url}/triage/incidents?brand=${encodeURIComponent(delivery.brand)}`);
    if (((await incidents.json()) as unknown[]).length === delivery.incidents) return;
    if (tries > 100) throw new Error(`serve never grouped the delivery to ${delivery.sourceId} into incidents`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** An inbox whose brands are filled through webhook sources: its folder, serve on it, Chromium and one page. */
export interface WebhookInbox {
  fixture: Pick<Fixture, 'dir'>;
  serve: Serve;
  browser: Browser;
  page: Page;
}

/**
 * A config in a fresh folder with these brands (each matched by its id) and one webhook source per entry, all signed
 * with `secret` through the environment variable `secretEnv`; then `earshot serve` on it, Chromium and a page.
 */
export async function startWebhookInbox(opts: {
  name: string;
  brands: { id: string; name: string }[];
  sources: { id: string; brand: string }[];
  secretEnv: string;
  secret: string;
}): Promise<WebhookInbox> {
  const dir = mkdtempSync(path.join(tmpdir(), `earshot-browser-${opts.name}-`));
  const configPath = path.join(dir, 'earshot.config.yaml');
  writeFileSync(
    configPath,
    [
      'brands:',
      ...opts.brands.map((b) => `  - { id: ${b.id}, name: ${b.name}, keywords: ['${b.id}'] }`),
      'sources:',
      ...opts.sources.map((s) => `  - { id: ${s.id}, kind: webhook, brand: ${s.brand}, secretEnv: ${opts.secretEnv} }`),
      'alerts:',
      `  sinks: [{ jsonl: ${JSON.stringify(path.join(dir, 'alerts.jsonl'))} }]`,
      `storage: { path: ${JSON.stringify(path.join(dir, 'db'))} }`,
      '',
    ].join('\n'),
  );
  process.env[opts.secretEnv] = opts.secret;
  const [serve, browser] = await Promise.all([startServe(configPath), launchBrowser()]);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  context.setDefaultTimeout(30_000);
  return { fixture: { dir }, serve, browser, page: await context.newPage() };
}

export async function stopWebhookInbox(inbox: WebhookInbox | undefined): Promise<void> {
  await inbox?.browser.close();
  await inbox?.serve.stop();
  if (inbox) rmSync(inbox.fixture.dir, { recursive: true, force: true });
}

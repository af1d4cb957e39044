import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parseConfig } from '../../lambdas/config/load';
import type { Mention } from '../../lambdas/core/mention';
import { ingestMentions } from '../../lambdas/pipeline/ingest';
import { openLocalPipeline } from '../../lambdas/pipeline/local';
import { inboxAssets } from '../../web/assets';
import { renderTable } from './table';

/**
 * `npm run bench`'s inbox section: the JavaScript the browser downloads (gzipped, as served compressed by
 * CloudFront) and how long the first page of a 10,000-mention queue takes to render in Debian's Chromium,
 * against `earshot serve`'s own server on an in-memory store.
 */

export interface InboxBenchReport {
  jsFiles: number;
  jsBytes: number;
  jsGzipBytes: number;
  cssGzipBytes: number;
  /** Flagged mentions in the queue. */
  queued: number;
  /** Seconds to fill the store (analysis + writes), for context. */
  fillSeconds: number;
  render?: {
    /** Navigation start to the first page of rows in the DOM: the first load, then the median of the reloads. */
    firstMs: number;
    medianMs: number;
    runs: number;
    /** The queue API call itself (server time + transfer), median. */
    queueApiMs: number;
    rows: number;
  };
  /** Why the render was not measured (no Chromium). */
  skipped?: string;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PAGE_ROWS = 50;

const TEXTS = [
  'Acme lost my bag three weeks ago, promised refund never came. On hold for hours and nobody answers.',
  'Acme app crashed again and support never replied to my email. Really disappointed.',
  'Acme delayed my flight by two hours, the staff were rude and nobody explained anything. Never flying Acme again.',
  'Waited 40 minutes at the Acme counter, nobody helped. Disappointed.',
  'Acme làm mất hành lý của tôi, đã ba tuần mà vẫn chưa được hoàn tiền, gọi tổng đài không ai trả lời.',
  'Acme cancelled my booking without notice. I called five times, nobody answers. I want my money back.',
];

export function inboxJsSize(): Pick<InboxBenchReport, 'jsFiles' | 'jsBytes' | 'jsGzipBytes' | 'cssGzipBytes'> {
  const assets = inboxAssets();
  const js = assets.filter((a) => a.path.endsWith('.js'));
  const css = assets.filter((a) => a.path.endsWith('.css'));
  const gz = (files: typeof assets) => files.reduce((sum, a) => sum + gzipSync(a.body, { level: 9 }).length, 0);
  return {
    jsFiles: js.length,
    jsBytes: js.reduce((sum, a) => sum + a.body.length, 0),
    jsGzipBytes: gz(js),
    cssGzipBytes: gz(css),
  };
}

export async function runInboxBench(
  opts: { mentions?: number; runs?: number; log?: (line: string) => void } = {},
): Promise<InboxBenchReport> {
  const count = opts.mentions ?? 10_000;
  const log = opts.log ?? (() => undefined);
  const runs = opts.runs ?? 5;
  const config = parseConfig({
    brands: [{ id: 'acme', name: 'Acme Air', keywords: ['acme'] }],
    sources: [{ id: 'acme-news', kind: 'rss', brand: 'acme', url: 'http://127.0.0.1:9/feed.xml', enabled: false }],
    alerts: { sinks: [] },
    storage: 'memory',
  });
  const pipeline = await openLocalPipeline(config, { sinks: [] });
  const { startServer } = require('./serve') as typeof import('./serve');
  const started = process.hrtime.bigint();
  const base = Date.now();
  let queued = 0;
  const batch: Mention[] = [];
  const flush = async () => {
    const result = await ingestMentions(batch.splice(0), {
      repo: pipeline.repo,
      retentionDays: 30,
      now: () => new Date(),
    });
    queued += result.flagged.length;
  };
  for (let i = 0; queued + batch.length < count && i < count * 3; i++) {
    const text = TEXTS[i % TEXTS.length];
    batch.push({
      id: `m${i}`,
      sourceId: 'acme-news',
      kind: 'rss',
      brandId: 'acme',
      text: `${text} (#${i})`,
      createdAt: new Date(base - i * 60_000).toISOString(),
      language: text.includes('hành lý') ? 'vi' : 'en',
      visibility: 'public',
    });
    if (batch.length === 500) await flush();
  }
  if (batch.length) await flush();
  const fillSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  log(`inbox: ${queued} flagged mentions stored in ${fillSeconds.toFixed(1)} s`);

  const size = inboxJsSize();
  if (!existsSync(CHROMIUM)) {
    await pipeline.close();
    return { ...size, queued, fillSeconds, skipped: `${CHROMIUM} not found (apt-get install -y chromium)` };
  }
  const server = await startServer(config, { port: 0, pipeline, log: () => undefined });
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Records when the first page of rows is in the DOM, before any of the page's own scripts run.
    await page.addInitScript((rows: number) => {
      const w = window as unknown as { __rendered?: number };
      new MutationObserver((_, observer) => {
        if (document.querySelectorAll('[data-testid="queue-row"]').length >= rows) {
          w.__rendered = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    }, PAGE_ROWS);
    const times: number[] = [];
    const api: number[] = [];
    for (let run = 0; run <= runs; run++) {
      await page.goto(`${server.url}/?run=${run}#/`);
      await page.waitForFunction(() => (window as unknown as { __rendered?: number }).__rendered !== undefined, null, {
        timeout: 60_000,
      });
      const [rendered, queueMs] = await page.evaluate(() => {
        const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/triage/queue')) as
          PerformanceResourceTiming | undefined;
        return [
          (window as unknown as { __rendered: number }).__rendered,
          entry ? entry.responseEnd - entry.startTime : NaN,
        ];
      });
      times.push(rendered);
      log(`inbox: load ${run}: first page in ${Math.round(rendered)} ms`);
      api.push(queueMs);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const rows = await page.locator('[data-testid="queue-row"]').count();
    return {
      ...size,
      queued,
      fillSeconds,
      render: { firstMs: times[0], medianMs: median(times.slice(1)), runs, queueApiMs: median(api.slice(1)), rows },
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

export function formatInboxBench(r: InboxBenchReport): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const rows: string[][] = [
    ['JavaScript', `${r.jsFiles} files, ${kb(r.jsBytes)} (${kb(r.jsGzipBytes)} gzipped; budget 150 KB)`],
    ['CSS', `${kb(r.cssGzipBytes)} gzipped`],
    ['queue', `${r.queued.toLocaleString('en-US')} flagged mentions (stored in ${r.fillSeconds.toFixed(1)} s)`],
  ];
  if (r.render) {
    rows.push([
      'first page',
      `${r.render.rows} rows in ${Math.round(r.render.medianMs)} ms (median of ${r.render.runs} loads; first ${Math.round(r.render.firstMs)} ms; budget 300 ms)`,
    ]);
    rows.push(['queue API', `${Math.round(r.render.queueApiMs)} ms (median)`]);
  } else {
    rows.push(['first page', `not measured: ${r.skipped}`]);
  }
  return [
    'inbox: the web inbox as `earshot serve` serves it, first page = navigation start to 50 rows in the DOM (Chromium)',
    '',
    ...renderTable(['', 'measured'], rows),
  ].join('\n');
}

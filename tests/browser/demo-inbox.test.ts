/// <reference lib="dom" />
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, ROOT, screenshotPath } from './harness';

// `earshot demo --serve` as the README shows it: the offline story, then the inbox on it, read in Chromium the way a
// support lead would (queue, the AC123 incident across channels, the overview's spike).

jest.setTimeout(180_000);

let dir: string;
let demo: ChildProcess;
let url: string;
let browser: Browser;
let page: Page;
/** What the demo printed up to its address. */
let printed = '';

function startDemo(cwd: string): Promise<string> {
  demo = spawn(process.execPath, [path.join(ROOT, 'bin', 'earshot.js'), 'demo', '--serve', '--port', '0'], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const found = /listening on (http:\/\/\S+)/.exec(out);
      if (found) {
        printed = out;
        resolve(found[1]);
      }
    };
    demo.stdout!.on('data', onData);
    demo.stderr!.on('data', onData);
    demo.once('exit', (code) => reject(new Error(`earshot demo --serve exited with ${code}:\n${out}`)));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'earshot-demo-inbox-'));
  [url, browser] = await Promise.all([startDemo(dir), launchBrowser()]);
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(30_000);
  page = await context.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    const exited = new Promise((resolve) => demo.once('exit', resolve));
    demo.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'];

test('the story is told, and serving it does not send the user to `demo --keep`', () => {
  expect(printed).toMatch(/── Top of the triage queue ──/);
  expect(printed).not.toContain('demo --keep');
});

test('the queue lists the demo complaints, most severe first, each with its first-response SLA', async () => {
  await page.goto(url);
  await page.locator('[data-testid="queue-row"]').nth(9).waitFor();
  const rows = await page.$$eval('[data-testid="queue-row"]', (els) =>
    els.map((el) => ({
      severity: el.getAttribute('data-severity') ?? '',
      sla: el.querySelectorAll('[data-testid="sla"]').length,
    })),
  );
  expect(rows.length).toBeGreaterThanOrEqual(10);
  const ranks = rows.map((r) => SEVERITY_ORDER.indexOf(r.severity));
  expect(ranks.every((rank) => rank >= 0)).toBe(true);
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  expect(rows.every((r) => r.sla === 1)).toBe(true);
});

test('the AC123 incident shows every channel and language, when the customers posted, each mention once', async () => {
  await page.goto(`${url}/#/incidents`);
  await page.locator('[data-testid="incident-row"]', { hasText: 'AC123' }).first().locator('a').click();
  const mentions = page.locator('[data-testid="incident-mention"]');
  await mentions.first().waitFor();
  expect(await mentions.count()).toBe(15);
  const seen = await mentions.evaluateAll((els) =>
    els.map((el) => ({
      source: el.getAttribute('data-source-id') ?? '',
      language: el.getAttribute('data-language') ?? '',
      text: el.querySelector('a')?.textContent ?? '',
    })),
  );
  expect(new Set(seen.map((m) => m.language))).toEqual(new Set(['en', 'vi']));
  expect(new Set(seen.map((m) => m.source)).size).toBeGreaterThanOrEqual(5);
  // A title repeated at the start of its text reads as a glitch ("Lost bag — Lost bag …").
  for (const { text } of seen) {
    const [head, ...rest] = text.split(' — ');
    if (rest.length > 0) expect(rest.join(' — ').toLowerCase().startsWith(head.toLowerCase())).toBe(false);
  }
  await expect(page.locator('[data-testid="incident-summary"]').textContent()).resolves.toMatch(
    /Jun 9, 2026.*–.*Jun 10, 2026/,
  );
  await page.screenshot({ path: screenshotPath('demo-incident'), fullPage: true });
});

test('the Bếp Hồng incident spans the Vietnamese channels, with the brand’s replies under the reviews it answered', async () => {
  await page.goto(`${url}/#/incidents?brand=bephong`);
  const rows = page.locator('[data-testid="incident-row"]');
  await rows.first().waitFor();
  // The biggest incident: the BH-55 coating and the silent warranty centre.
  const sizes = await rows.evaluateAll((els) => els.map((el) => Number(el.querySelectorAll('td')[2].textContent)));
  await rows
    .nth(sizes.indexOf(Math.max(...sizes)))
    .locator('a')
    .click();
  const mentions = page.locator('[data-testid="incident-mention"]');
  await mentions.first().waitFor();
  const seen = await mentions.evaluateAll((els) =>
    els.map((el) => ({
      source: el.getAttribute('data-source-id') ?? '',
      language: el.getAttribute('data-language') ?? '',
      reply: el.querySelector('[data-testid="brand-reply"]')?.textContent ?? '',
    })),
  );
  expect(new Set(seen.map((m) => m.language))).toEqual(new Set(['vi']));
  // As the README tells it: all eight Vietnamese channels, 14 mentions.
  expect(seen).toHaveLength(14);
  expect(new Set(seen.map((m) => m.source)).size).toBe(8);
  expect(seen.some((m) => /The brand replied.*: Dạ/.test(m.reply))).toBe(true);
  await page.screenshot({ path: screenshotPath('demo-incident-vi'), fullPage: true });
});

test('the overview shows the negative spike the demo seeds', async () => {
  await page.goto(`${url}/#/overview`);
  await page.locator('[data-testid="spikes"]').waitFor();
  await expect(page.locator('[data-testid="spike-count"] strong').textContent()).resolves.toBe('1');
  await expect(page.locator('[data-testid="spikes"]').textContent()).resolves.toMatch(/Jun 10, 2026.*\(11 negative\)/);
  await page.screenshot({ path: screenshotPath('demo-overview'), fullPage: true });
});

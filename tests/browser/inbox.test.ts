/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { StoredMention } from '../../lambdas/core/mention';
import { openLocalPipeline } from '../../lambdas/pipeline/local';
import {
  expectedOpenOrder,
  launchBrowser,
  makeFixture,
  removeFixture,
  screenshotPath,
  SLA_MINUTES,
  startServe,
  type Fixture,
  type Serve,
} from './harness';

// The inbox in Debian's Chromium against `earshot serve` on a store this file fills. The tests run in order: the
// read-only ones first, then the ones that triage (j j a, the bulk resolve), then a check of the store itself.

jest.setTimeout(120_000);

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const VIEWPORT = { width: 1280, height: 800 };

let fixture: Fixture;
let serve: Serve;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const acted: { acked?: StoredMention; resolved: StoredMention[] } = { resolved: [] };

beforeAll(async () => {
  fixture = await makeFixture();
  [serve, browser] = await Promise.all([startServe(fixture.configPath), launchBrowser()]);
  context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'UTC' });
  context.setDefaultTimeout(30_000);
  page = await context.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  removeFixture(fixture);
}, 60_000);

const stored = (key: string) => {
  const found = fixture.stored.get(key);
  if (!found) throw new Error(`fixture mention "${key}" was not flagged by the analysis`);
  return found;
};
const byId = (id: string) => [...fixture.stored.values()].find((m) => m.id === id)!;

async function rowIds(p: Page = page): Promise<string[]> {
  return p.$$eval('[data-testid="queue-row"]', (rows) => rows.map((row) => row.getAttribute('data-mention-id') ?? ''));
}

/** Waits until the queue shows exactly these mentions, in this order. */
async function waitForRows(ids: string[], p: Page = page): Promise<void> {
  await p.waitForFunction(
    (wanted) =>
      JSON.stringify(
        [...document.querySelectorAll('[data-testid="queue-row"]')].map((row) => row.getAttribute('data-mention-id')),
      ) === JSON.stringify(wanted),
    ids,
  );
}

async function apiMention(m: Pick<StoredMention, 'sourceId' | 'id'>): Promise<StoredMention> {
  const response = await fetch(`${serve.url}/triage/${encodeURIComponent(m.sourceId)}/${encodeURIComponent(m.id)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as StoredMention;
}

async function seriousViolations(p: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's CSP (no inline script) stays on for the app itself.
  await p.evaluate(AXE_SOURCE);
  const result = await p.evaluate(() =>
    (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: AxeViolation[] }> } }).axe.run(document),
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

test('the fixture is flagged with several severities, in two languages', () => {
  const severities = new Set([...fixture.stored.values()].map((m) => m.analysis.severity));
  expect(severities.size).toBeGreaterThanOrEqual(3);
  expect(stored('vi').analysis.language).toBe('vi');
  expect(fixture.stored.has('slow')).toBe(false);
});

test('the queue shows the flagged mentions by status, then severity, then age', async () => {
  await page.goto(`${serve.url}/`);
  const expected = expectedOpenOrder([...fixture.stored.values()]);
  await waitForRows(expected);
  const rows = page.locator('[data-testid="queue-row"]');
  for (const [i, id] of expected.entries()) {
    const m = byId(id);
    await expect(rows.nth(i).getAttribute('data-severity')).resolves.toBe(m.analysis.severity);
    await expect(rows.nth(i).getAttribute('data-status')).resolves.toBe(m.triage!.status);
    await expect(rows.nth(i).getAttribute('data-source-id')).resolves.toBe(m.sourceId);
  }
  // The acknowledged one is last, after every new one.
  expect(expected.at(-1)).toBe(stored('acked').id);
  await page.screenshot({ path: screenshotPath('inbox') });
});

test('a filter narrows the queue, is in the URL, and survives a reload', async () => {
  await page.goto(`${serve.url}/`);
  await waitForRows(expectedOpenOrder([...fixture.stored.values()]));
  const high = expectedOpenOrder([...fixture.stored.values()].filter((m) => m.analysis.severity === 'high'));
  expect(high.length).toBeGreaterThanOrEqual(2);
  await page.selectOption('select[name="severity"]', 'high');
  await waitForRows(high);
  expect(new URL(page.url()).hash).toContain('severity=high');

  await page.reload();
  await waitForRows(high);
  await expect(page.inputValue('select[name="severity"]')).resolves.toBe('high');

  // A second filter and a text search narrow it further, also from a shared link.
  const reviewsHigh = high.filter((id) => byId(id).sourceId === 'acme-reviews');
  await page.goto(`${serve.url}/#/?severity=high&source=acme-reviews`);
  await waitForRows(reviewsHigh);
  await page.goto(`${serve.url}/#/?q=${encodeURIComponent('hanh ly')}`);
  await waitForRows([stored('vi').id]);
});

test('while a filter’s first page loads, the rows of the filter before are neither shown nor acted on', async () => {
  await page.goto(`${serve.url}/`);
  const all = expectedOpenOrder([...fixture.stored.values()]);
  await waitForRows(all);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const isQueue = (url: URL) => url.pathname.endsWith('/triage/queue');
  await page.route(isQueue, async (route) => {
    await held;
    await route.continue().catch(() => undefined); // unrouted meanwhile: the request went on by itself
  });
  try {
    await page.goto(`${serve.url}/#/?severity=high`);
    await page.waitForSelector('table.queue[aria-busy="true"]');
    await expect(rowIds()).resolves.toEqual([]);
    // "r" resolves the current row or the selection: with no rows of this filter shown, it resolves nothing.
    await page.keyboard.press('j');
    await page.keyboard.press('r');
    release();
    const high = expectedOpenOrder([...fixture.stored.values()].filter((m) => m.analysis.severity === 'high'));
    await waitForRows(high);
    await expect(page.locator('table.queue').getAttribute('aria-busy')).resolves.toBe('false');
  } finally {
    release();
    await page.unroute(isQueue);
  }
  for (const id of all)
    await expect(apiMention(byId(id)).then((m) => m.triage?.status)).resolves.toBe(byId(id).triage!.status);
});

test('the mention view highlights and names the evidence of each cue', async () => {
  const m = stored('bag');
  await page.goto(`${serve.url}/#/m/${encodeURIComponent(m.sourceId)}/${encodeURIComponent(m.id)}`);
  await page.waitForSelector('.mention mark[data-cue]');
  const marks = await page.$$eval('.mention p.text mark[data-cue]', (els) =>
    els.map((el) => ({ cue: el.getAttribute('data-cue')!, text: el.textContent!, title: el.getAttribute('title') })),
  );
  const text = m.text.toLowerCase();
  const inText = m.analysis.cues.filter(
    (cue) => cue.strength > 0 && cue.evidence.some((e) => text.includes(e.toLowerCase())),
  );
  expect(inText.length).toBeGreaterThanOrEqual(3);
  for (const cue of inText) {
    const own = marks.filter((mark) => mark.cue === cue.name);
    expect({ cue: cue.name, marked: own.length > 0 }).toEqual({ cue: cue.name, marked: true });
    for (const mark of own) {
      expect(cue.evidence.map((e) => e.toLowerCase())).toContain(mark.text.toLowerCase());
      expect(mark.title).toBeTruthy();
    }
  }
  // Each fired cue is named in "why it was flagged".
  const why = await page.textContent('.why');
  expect(why).toContain('negative tone');
  await page.screenshot({ path: screenshotPath('mention') });
});

test('the brand’s reply under a mention shows as text, never as markup', async () => {
  const m = stored('bag');
  await page.goto(`${serve.url}/#/m/${encodeURIComponent(m.sourceId)}/${encodeURIComponent(m.id)}`);
  const reply = page.locator('[data-testid="brand-reply"]');
  await reply.waitFor();
  await expect(reply.locator('h2').textContent()).resolves.toMatch(/^The brand replied · /);
  await expect(reply.locator('p').textContent()).resolves.toBe(m.reply!.text);
  expect(await reply.locator('b, img').count()).toBe(0);
  expect(await page.title()).not.toBe('1');
});

test('an overdue mention shows the overdue badge; a fresh one does not', async () => {
  const overdue = [...fixture.stored.values()].filter(
    (m) =>
      m.triage?.status === 'new' &&
      fixture.startedAt - Date.parse(m.storedAt) >
        SLA_MINUTES[m.analysis.severity as keyof typeof SLA_MINUTES] * 60_000,
  );
  expect(overdue.map((m) => m.id)).toContain(stored('bag').id);
  await page.goto(`${serve.url}/`);
  await waitForRows(expectedOpenOrder([...fixture.stored.values()]));
  for (const m of overdue) {
    const badge = page.locator(`[data-testid="queue-row"][data-mention-id="${m.id}"] [data-testid="sla"]`);
    await expect(badge.getAttribute('data-state')).resolves.toBe('overdue');
    await expect(badge.textContent()).resolves.toMatch(/^Overdue by /);
  }
  const fresh = page.locator(
    `[data-testid="queue-row"][data-mention-id="${stored('counter').id}"] [data-testid="sla"]`,
  );
  await expect(fresh.getAttribute('data-state')).resolves.toBe('ok');
});

test('dates show in the viewer’s time zone', async () => {
  const m = stored('bag');
  const zoned = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'Asia/Ho_Chi_Minh' });
  try {
    const p = await zoned.newPage();
    await p.goto(`${serve.url}/#/m/${encodeURIComponent(m.sourceId)}/${encodeURIComponent(m.id)}`);
    await p.waitForSelector('.mention .meta');
    const local = new Date(Date.parse(m.createdAt) + 7 * 3_600_000); // UTC+7, no daylight saving
    const hour = local.getUTCHours() % 12 || 12;
    const minute = String(local.getUTCMinutes()).padStart(2, '0');
    await expect(p.textContent('.mention .meta')).resolves.toContain(`${hour}:${minute}`);
  } finally {
    await zoned.close();
  }
});

test('the Vietnamese UI renders its strings, from the browser language and from the switch', async () => {
  const vi = await browser.newContext({ viewport: VIEWPORT, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  try {
    const p = await vi.newPage();
    await p.goto(`${serve.url}/`);
    await waitForRows(expectedOpenOrder([...fixture.stored.values()]), p);
    await expect(p.textContent('h1')).resolves.toBe('Hộp thư');
    await expect(p.getAttribute('html', 'lang')).resolves.toBe('vi');
    await expect(p.textContent('nav.tabs')).resolves.toContain('Đang mở');
    const severity = await p.textContent(`[data-testid="queue-row"][data-mention-id="${stored('bag').id}"] .sev`);
    expect(severity).toBe('Nghiêm trọng');
    await expect(
      p.textContent(`[data-testid="queue-row"][data-mention-id="${stored('bag').id}"] [data-testid="sla"]`),
    ).resolves.toMatch(/^Quá hạn/);
    await p.screenshot({ path: screenshotPath('inbox-vi') });
  } finally {
    await vi.close();
  }
  // The switch in an English browser.
  await page.goto(`${serve.url}/#/overview`);
  await page.waitForSelector('#overview-title');
  await page.selectOption('.lang-switch select', 'vi');
  await page.waitForFunction(() => document.querySelector('#overview-title')?.textContent?.startsWith('Tổng quan'));
  await page.selectOption('.lang-switch select', 'en');
  await page.waitForFunction(() => document.querySelector('#overview-title')?.textContent?.startsWith('Overview'));
});

test('the overview draws the hourly chart, precision and source health', async () => {
  await page.goto(`${serve.url}/#/overview`);
  await page.waitForSelector('.chart canvas');
  await expect(page.textContent('#health-title')).resolves.toBe('Source health');
  const healthRows = await page.$$eval('section[aria-labelledby="health-title"] tbody tr', (rows) => rows.length);
  expect(healthRows).toBe(0); // both sources are disabled: never polled
  const cues = await page.textContent('section[aria-labelledby="pcue-title"]');
  expect(cues).toContain('negative tone');
  await page.screenshot({ path: screenshotPath('overview') });
});

test('no serious or critical accessibility violations on the inbox, mention and overview pages', async () => {
  const m = stored('bag');
  const pages: [name: string, path: string, ready: string][] = [
    ['inbox', '/', '[data-testid="queue-row"]'],
    ['mention', `/#/m/${encodeURIComponent(m.sourceId)}/${encodeURIComponent(m.id)}`, '.mention mark'],
    ['overview', '/#/overview', '.chart canvas'],
  ];
  const found: Record<string, string[]> = {};
  for (const [name, path, ready] of pages) {
    await page.goto(`${serve.url}${path}`);
    await page.waitForSelector(ready);
    found[name] = await seriousViolations(page);
  }
  expect(found).toEqual({ inbox: [], mention: [], overview: [] });
});

test('j, j, a acknowledges the second row, and the store says so', async () => {
  await page.goto(`${serve.url}/`);
  const order = expectedOpenOrder([...fixture.stored.values()]);
  await waitForRows(order);
  const second = byId(order[1]);
  expect(second.triage!.status).toBe('new');

  await page.keyboard.press('j');
  await page.waitForSelector('[data-testid="queue-row"]:nth-child(1)[aria-current="true"]');
  await page.keyboard.press('j');
  // The key handler acts on the row that is current now: wait until the second row is current and focused.
  await page.waitForSelector(
    `[data-testid="queue-row"]:nth-child(2)[aria-current="true"][data-mention-id="${second.id}"]`,
  );
  await page.waitForFunction((id) => document.activeElement?.getAttribute('data-mention-id') === id, second.id);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/triage/bulk') && r.request().method() === 'POST'),
    page.keyboard.press('a'),
  ]);
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { results: { id: string; ok: boolean; status: string }[] };
  expect(body.results).toEqual([expect.objectContaining({ id: second.id, ok: true, status: 'acknowledged' })]);
  await page.waitForSelector(`[data-testid="queue-row"][data-mention-id="${second.id}"][data-status="acknowledged"]`);

  const after = await apiMention(second);
  expect(after.triage?.status).toBe('acknowledged');
  expect(after.triage?.history.at(-1)?.action).toBe('acknowledged');
  // The others are untouched.
  for (const id of order.filter((id) => id !== second.id)) {
    await expect(apiMention(byId(id)).then((m) => m.triage?.status)).resolves.toBe(byId(id).triage!.status);
  }
  acted.acked = second;
});

test('a bulk resolve of three rows persists', async () => {
  await page.goto(`${serve.url}/#/?status=new`);
  await page.waitForSelector('table.queue[aria-busy="false"] [data-testid="queue-row"]');
  const ids = await rowIds();
  expect(ids.every((id) => byId(id).triage!.status === 'new' && id !== acted.acked?.id)).toBe(true);
  expect(ids.length).toBeGreaterThanOrEqual(4);
  const targets = ids.slice(1, 4).map(byId);
  for (const m of targets) {
    await page.check(`[data-testid="queue-row"][data-mention-id="${m.id}"] input[type="checkbox"]`);
  }
  const bar = page.locator('[data-testid="bulk-actions"]');
  await bar.waitFor();
  await expect(bar.textContent()).resolves.toContain('3 selected');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/triage/bulk') && r.request().method() === 'POST'),
    bar.getByRole('button', { name: 'Resolve' }).click(),
  ]);
  expect(response.status()).toBe(200);
  const remaining = ids.filter((id) => !targets.some((m) => m.id === id));
  await waitForRows(remaining);
  await expect(page.locator('[data-testid="bulk-actions"]').count()).resolves.toBe(0);

  await page.reload();
  await waitForRows(remaining);
  await page.goto(`${serve.url}/#/?status=resolved`);
  await page.waitForSelector('[data-testid="queue-row"]');
  expect((await rowIds()).sort()).toEqual(targets.map((m) => m.id).sort());
  for (const m of targets) await expect(apiMention(m).then((x) => x.triage?.status)).resolves.toBe('resolved');
  acted.resolved = targets;
});

test('after the server stops, the store holds what the browser did', async () => {
  expect(acted.acked).toBeDefined();
  expect(acted.resolved).toHaveLength(3);
  await serve.stop();
  const pipeline = await openLocalPipeline(fixture.config, { sinks: [] });
  try {
    const acked = await pipeline.repo.mentions.get(acted.acked!.sourceId, acted.acked!.id);
    expect(acked?.triage?.status).toBe('acknowledged');
    for (const m of acted.resolved) {
      const read = await pipeline.repo.mentions.get(m.sourceId, m.id);
      expect(read?.triage?.status).toBe('resolved');
    }
  } finally {
    await pipeline.close();
  }
});

/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import {
  deliverWebhook,
  screenshotPath,
  startWebhookInbox,
  stopWebhookInbox,
  type Serve,
  type WebhookInbox,
} from './harness';

// Two brands in Debian's Chromium against `earshot serve`, each with a webhook source that a signed POST fills:
// one brand selector on every page, with "All brands", and an unknown `?brand=` that says so.

jest.setTimeout(120_000);

const SECRET = 'inbox-brands-test-secret-0123456789';
const ACME = [
  {
    id: 'a-bag',
    text: 'Acme lost my bag three weeks ago, promised refund never came. On hold for hours and nobody answers. Worst airline ever.',
  },
  { id: 'a-rude', text: 'Acme staff were rude at the counter and nobody helped. Really disappointed.' },
];
const BOLT = [
  {
    id: 'b-brakes',
    text: 'Bolt bike brakes failed on day two, support never replied to my emails for three weeks. Terrible, I want a refund.',
  },
  { id: 'b-late', text: 'Bolt delivered my bike a month late and nobody answers the phone. Never again.' },
];

let inbox: WebhookInbox;
let serve: Serve;
let page: Page;

beforeAll(async () => {
  inbox = await startWebhookInbox({
    name: 'brands',
    brands: [
      { id: 'acme', name: 'Acme Air' },
      { id: 'bolt', name: 'Bolt Bikes' },
    ],
    sources: [
      { id: 'acme-desk', brand: 'acme' },
      { id: 'bolt-desk', brand: 'bolt' },
    ],
    secretEnv: 'EARSHOT_BRANDS_TEST_SECRET',
    secret: SECRET,
  });
  ({ serve, page } = inbox);
  await deliverWebhook(serve, { sourceId: 'acme-desk', secret: SECRET, mentions: ACME, brand: 'acme', incidents: 2 });
  await deliverWebhook(serve, { sourceId: 'bolt-desk', secret: SECRET, mentions: BOLT, brand: 'bolt', incidents: 2 });
}, 180_000);

afterAll(() => stopWebhookInbox(inbox), 60_000);

const ALL_IDS = [...ACME, ...BOLT].map((m) => m.id).sort();

/** Waits until the queue shows exactly these mentions (in any order). */
async function waitForRowSet(ids: string[]): Promise<void> {
  await page.waitForFunction(
    (wanted) =>
      JSON.stringify(
        [...document.querySelectorAll('[data-testid="queue-row"]')]
          .map((row) => row.getAttribute('data-mention-id'))
          .sort(),
      ) === JSON.stringify(wanted),
    [...ids].sort(),
  );
}

const brandSelect = 'header select[name="brand"]';

test('an unknown ?brand= says so and shows every brand, not a blank selector and an empty queue', async () => {
  await page.goto(`${serve.url}/#/?brand=zzz`);
  await expect(page.textContent('[data-testid="unknown-brand"]')).resolves.toMatch(/No brand zzz; showing all brands/);
  await waitForRowSet(ALL_IDS);
  await expect(page.$eval(brandSelect, (el) => (el as HTMLSelectElement).selectedOptions[0].textContent)).resolves.toBe(
    'All brands',
  );
  await page.screenshot({ path: screenshotPath('inbox-brands-unknown') });
});

test('the brand selector offers All brands; it and a brand narrow the queue, and the choice is in the URL', async () => {
  await page.goto(`${serve.url}/#/`);
  await waitForRowSet(ACME.map((m) => m.id));
  const options = await page.$$eval(`${brandSelect} option`, (all) => all.map((o) => o.textContent));
  expect(options).toEqual(['All brands', 'Acme Air', 'Bolt Bikes']);
  await page.selectOption(brandSelect, '*');
  await waitForRowSet(ALL_IDS);
  expect(page.url()).toContain('brand=*');
  // Merged in queue order: every row's severity is at least the next one's.
  const rank: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };
  const severities = await page.$$eval('[data-testid="queue-row"]', (rows) =>
    rows.map((row) => row.getAttribute('data-severity')!),
  );
  for (let i = 1; i < severities.length; i++)
    expect(rank[severities[i - 1]]).toBeGreaterThanOrEqual(rank[severities[i]]);
  await expect(page.$$eval('[data-testid="row-brand"]', (all) => all.length)).resolves.toBe(ALL_IDS.length);
  await page.selectOption(brandSelect, 'bolt');
  await waitForRowSet(BOLT.map((m) => m.id));
  expect(page.url()).toContain('brand=bolt');
  await page.reload();
  await waitForRowSet(BOLT.map((m) => m.id));
});

test('a mention has its own brand: no selector over it', async () => {
  await page.goto(`${serve.url}/#/m/bolt-desk/b-late?brand=acme`);
  await page.waitForFunction(() => document.body.innerText.includes('Bolt delivered my bike'));
  await expect(page.$$(brandSelect)).resolves.toHaveLength(0);
});

test('the all-brands queue pages through every brand once, in order, one row at a time', async () => {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 10; pages++) {
    const url = `${serve.url}/triage/queue?brand=*&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const body = (await (await fetch(url)).json()) as { items: { id: string }[]; next?: string };
    seen.push(...body.items.map((item) => item.id));
    cursor = body.next;
    if (!cursor) break;
  }
  const whole = (await (await fetch(`${serve.url}/triage/queue?brand=*`)).json()) as { items: { id: string }[] };
  expect(seen).toEqual(whole.items.map((item) => item.id));
  expect([...seen].sort()).toEqual(ALL_IDS);
});

test('the Incidents page has the brand selector, with All brands', async () => {
  await page.goto(`${serve.url}/#/incidents`);
  const incidentBrands = () => page.$$eval('[data-testid="incident-row"]', (rows) => rows.length);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="incident-row"]').length === 2);
  await page.selectOption(brandSelect, '*');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="incident-brand"]').length === 4);
  const brands = await page.$$eval('[data-testid="incident-brand"]', (all) => all.map((el) => el.textContent).sort());
  expect(brands).toEqual(['Acme Air', 'Acme Air', 'Bolt Bikes', 'Bolt Bikes']);
  await page.screenshot({ path: screenshotPath('inbox-brands-incidents') });
  await page.selectOption(brandSelect, 'bolt');
  await page.waitForFunction(
    () =>
      document.querySelectorAll('[data-testid="incident-row"]').length === 2 &&
      !document.querySelector('[data-testid="incident-brand"]'),
  );
  expect(page.url()).toMatch(/#\/incidents\?brand=bolt$/);
  await expect(incidentBrands()).resolves.toBe(2);
});

test('the Overview page has the brand selector; All brands shows each brand', async () => {
  await page.goto(`${serve.url}/#/overview`);
  await page.waitForSelector('#overview-title');
  await expect(page.textContent('#overview-title')).resolves.toBe('Overview · Acme Air');
  await page.selectOption(brandSelect, 'bolt');
  await page.waitForFunction(() => document.querySelector('#overview-title')?.textContent === 'Overview · Bolt Bikes');
  await page.selectOption(brandSelect, '*');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="overview"] h1').length === 2);
  const titles = await page.$$eval('[data-testid="overview"] h1', (all) => all.map((el) => el.textContent));
  expect(titles).toEqual(['Overview · Acme Air', 'Overview · Bolt Bikes']);
  // Each brand's sections have their own ids; the selector is labelled.
  const ids = await page.$$eval('[id]', (all) => all.map((el) => el.id));
  expect(new Set(ids).size).toBe(ids.length);
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document)).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help}`);
  });
  expect(violations).toEqual([]);
  await page.screenshot({ path: screenshotPath('inbox-brands-overview'), fullPage: true });
});

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
}

/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import type { StoredMention } from '../../lambdas/core/mention';
import {
  deliverWebhook,
  screenshotPath,
  startWebhookInbox,
  stopWebhookInbox,
  type Serve,
  type WebhookInbox,
} from './harness';

// Text a source chose, in Debian's Chromium against `earshot serve`, delivered as a user's sender does (a signed
// POST to a webhook source: serve itself analyses, stores and groups the mentions into incidents):
// control characters and bidi overrides never reach the page, wherever the text is shown.

jest.setTimeout(120_000);

const ESC = '\u001b';
const SECRET = 'inbox-text-test-secret-0123456789';
const DELIVERY = [
  {
    id: 'bidi',
    // U+202E (right-to-left override) would draw "evil" as "live"; U+2066 an isolate, U+200F a right-to-left mark.
    text: 'Acme \u202eevil\u202c lost my bag three weeks ago, promised refund never came. \u2066Worst\u2069 airline ever, nobody\u200f answers.',
  },
  {
    id: 'ansi',
    title: `${ESC}[2J${ESC}[31mRED Acme\u0085 cancelled my booking`,
    text: `${ESC}[2J${ESC}[31mRED Acme\u0085 cancelled my booking without notice. I called five times, nobody answers. Terrible service, I want my money back.\u0007`,
  },
];

// What must never be on the page: C0/C1 controls other than whitespace, bidi embeddings, overrides, isolates, marks.
const FORBIDDEN =
  '[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]';

let inbox: WebhookInbox;
let serve: Serve;
let page: Page;

beforeAll(async () => {
  inbox = await startWebhookInbox({
    name: 'text',
    brands: [{ id: 'acme', name: 'Acme Air' }],
    sources: [{ id: 'desk', brand: 'acme' }],
    secretEnv: 'EARSHOT_TEXT_TEST_SECRET',
    secret: SECRET,
  });
  ({ serve, page } = inbox);
  await deliverWebhook(serve, { sourceId: 'desk', secret: SECRET, mentions: DELIVERY, brand: 'acme', incidents: 2 });
}, 180_000);

afterAll(() => stopWebhookInbox(inbox), 60_000);

/** The mention as the inbox reads it. */
async function stored(id: string): Promise<StoredMention> {
  const response = await fetch(`${serve.url}/triage/desk/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as StoredMention;
}

/** The page's text (with attributes such as title), once it shows `expected`. */
async function pageText(hash: string, expected: string): Promise<string> {
  await page.goto(`${serve.url}/${hash}`);
  await page
    .waitForFunction((text) => document.body.innerText.includes(text), expected, { timeout: 10_000 })
    .catch(async (err: Error) => {
      throw new Error(`${hash} never showed "${expected}": ${err.message}\n${await page.innerText('body')}`);
    });
  return page.evaluate(() => {
    const attributes = [...document.querySelectorAll('[title], [aria-label]')].map(
      (el) => `${el.getAttribute('title') ?? ''} ${el.getAttribute('aria-label') ?? ''}`,
    );
    return [document.body.innerText, ...attributes].join('\n');
  });
}

test('the queue, the mention view, the incidents and an incident show no control or bidi characters', async () => {
  const bidi = await stored('bidi');
  const ansi = await stored('ansi');
  const views: [string, string, string][] = [
    ['queue', '#/', 'Acme evil lost my bag'],
    ['mention-bidi', `#/m/${bidi.sourceId}/${bidi.id}`, 'Acme evil lost my bag'],
    ['mention-ansi', `#/m/${ansi.sourceId}/${ansi.id}`, '[2J[31mRED Acme cancelled my booking'],
    ['incidents', '#/incidents', '[2J[31mRED Acme cancelled'],
    ['incident', `#/incidents/acme/${bidi.incidentKey}`, 'Acme evil lost my bag'],
  ];
  for (const [name, hash, expected] of views) {
    const text = await pageText(hash, expected);
    await page.screenshot({ path: screenshotPath(`inbox-text-${name}`) });
    expect([name, text.match(new RegExp(FORBIDDEN, 'g'))]).toEqual([name, null]);
  }
});

test('evidence in the stripped text is still highlighted, and the highlight is plain text', async () => {
  const bidi = await stored('bidi');
  await pageText(`#/m/${bidi.sourceId}/${bidi.id}`, 'Acme evil lost my bag');
  const marks = await page.$$eval('.mention mark', (all) => all.map((m) => m.textContent ?? ''));
  expect(marks).toEqual(expect.arrayContaining(['lost my bag', 'nobody answers']));
  for (const mark of marks) expect(mark).not.toMatch(new RegExp(FORBIDDEN));
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startLocalStore } from '../../../lambdas/store/local';
import { Repository } from '../../../lambdas/store/repository';
import { storedMention } from '../store/fixtures';
import { earshot, type Run } from './earshot';

/**
 * A pushed mention's id is the pusher's choice, here with a right-to-left override (U+202E) in it. Alerts print such
 * an id percent-encoded behind `--encoded`; every triage command that takes an id accepts that form, and no line the
 * CLI prints (the id echoed back, an error naming it) carries the override to the terminal.
 */

const ID = 'ctl\u202E1';
const ENCODED = 'ctl%E2%80%AE1';
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;

let dir: string;
let configFile: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'earshot-triage-encoded-'));
  const dbPath = path.join(dir, 'db');
  configFile = path.join(dir, 'earshot.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({ brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }], storage: { path: dbPath } }),
  );
  const store = await startLocalStore({ path: dbPath });
  try {
    const repo = new Repository(store.doc, store.tableName);
    await repo.mentions.put(storedMention({ id: ID, sourceId: 'desk', kind: 'webhook', brandId: 'acme' }), 30);
  } finally {
    await store.close();
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const triage = (...args: string[]): Promise<Run> => earshot(['triage', ...args, '--config', configFile]);

function expectNoBidi(run: Run): void {
  expect(run.stdout).not.toMatch(BIDI);
  expect(run.stderr).not.toMatch(BIDI);
}

describe('earshot triage --encoded', () => {
  test('assign and note take --encoded like ack; the echoed id reaches the terminal without its override', async () => {
    const assign = await triage('assign', '--encoded', 'desk', ENCODED, 'bob', '--by', 'lead');
    expect(assign).toMatchObject({ code: 0, stdout: 'desk ctl1: new (assigned to bob)\n' });
    const note = await triage('note', '--encoded', 'desk', ENCODED, 'called back', '--by', 'lead');
    expect(note).toMatchObject({ code: 0, stdout: 'desk ctl1: new (assigned to bob)\n' });
    const ack = await triage('ack', '--encoded', 'desk', ENCODED, '--by', 'lead');
    expect(ack).toMatchObject({ code: 0, stdout: 'desk ctl1: acknowledged (assigned to bob)\n' });
    const again = await triage('ack', '--encoded', 'desk', ENCODED, '--by', 'sam');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^desk ctl1: already acknowledged by lead at /);
    for (const run of [assign, note, ack, again]) expectNoBidi(run);

    // JSON is for machines: the id is kept exactly, and every action reached that mention.
    const shown = await triage('show', '--encoded', 'desk', ENCODED, '--json');
    expect(shown.code).toBe(0);
    const mention = JSON.parse(shown.stdout);
    expect(mention.id).toBe(ID);
    expect(mention.triage).toMatchObject({ status: 'acknowledged', assignee: 'bob' });
    expect(mention.triage.history.map((event: { action: string }) => event.action)).toEqual([
      'created',
      'assigned',
      'noted',
      'acknowledged',
    ]);
  });

  test('an error naming an unknown id does not carry its override either', async () => {
    const missing = await triage('resolve', '--encoded', 'desk', 'nope%E2%80%AE2');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('earshot: no mention desk/nope2\n');
    expectNoBidi(missing);
  });
});

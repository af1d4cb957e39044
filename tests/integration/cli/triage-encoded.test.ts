import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startLocalStore } from '../../../lambdas/store/local';
import { Repository } from '../../../lambdas/store/repository';
import { storedMention } from '../store/fixtures';
import { earshot, type Run } from './earshot';

/**
 * A pushed mention's id is the pusher's choice, here with a right-to-left override (U+202E) in it. Alerts print such
 * an id percent-encoded behind `--encoded`; every triage command that takes an id accepts that form.
 */

const ID = 'ctl\u202E1';
const ENCODED = 'ctl%E2%80%AE1';

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

describe('earshot triage --encoded', () => {
  test('assign and note take --encoded like ack', async () => {
    for (const args of [
      ['assign', '--encoded', 'desk', ENCODED, 'bob'],
      ['note', '--encoded', 'desk', ENCODED, 'called back'],
      ['ack', '--encoded', 'desk', ENCODED],
    ]) {
      expect(await triage(...args, '--by', 'lead', '--json')).toMatchObject({ code: 0 });
    }
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
});

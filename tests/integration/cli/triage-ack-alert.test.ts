import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startLocalStore } from '../../../lambdas/store/local';
import { Repository } from '../../../lambdas/store/repository';
import { alertRecord } from '../store/fixtures';
import { earshot } from './earshot';

/** `earshot triage ack-alert <alertId>` as a user runs it, against a config's persisted local store. */

const SPIKE_ID = 'spike#acme#2024-05-01T10';

let dir: string;
let configFile: string;
let dbPath: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'earshot-ack-alert-'));
  dbPath = path.join(dir, 'db');
  configFile = path.join(dir, 'earshot.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({ brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }], storage: { path: dbPath } }),
  );
  const store = await startLocalStore({ path: dbPath });
  try {
    await new Repository(store.doc, store.tableName).alerts.putOnce(alertRecord({ alertId: SPIKE_ID, kind: 'spike' }));
  } finally {
    await store.close();
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('earshot triage ack-alert', () => {
  test('acknowledges a spike alert by id, then reports it as already acknowledged', async () => {
    const first = await earshot(['triage', 'ack-alert', SPIKE_ID, '--config', configFile, '--by', 'lead', '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      acknowledgedNow: true,
      alert: { alertId: SPIKE_ID, kind: 'spike', acknowledgedBy: 'lead' },
    });

    const again = await earshot(['triage', 'ack-alert', SPIKE_ID, '--config', configFile, '--by', 'sam']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${SPIKE_ID}: already acknowledged by lead`);

    const store = await startLocalStore({ path: dbPath });
    try {
      const stored = await new Repository(store.doc, store.tableName).alerts.get(SPIKE_ID);
      expect(stored?.acknowledgedBy).toBe('lead');
    } finally {
      await store.close();
    }
  });

  test('an unknown alert id fails with a message naming it', async () => {
    const run = await earshot(['triage', 'ack-alert', 'spike#acme#1999-01-01T00', '--config', configFile]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('no alert spike#acme#1999-01-01T00');
  });
});

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLocalStore } from '../../../lambdas/store/local';

/** One store, one writer: a second process gets one clear line, a lock left by a dead process is taken over. */

describe('local store lock', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-lock-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a store held by a live process is refused with its pid', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      fs.writeFileSync(path.join(dir, 'earshot.lock'), String(other.pid));
      await expect(startLocalStore({ path: dir })).rejects.toThrow(
        `store ${dir} is in use by pid ${other.pid}; stop it first (earshot triage goes through a running earshot run or earshot serve)`,
      );
    } finally {
      other.kill();
    }
  });

  test('a stale lock is taken over and released on close', async () => {
    fs.writeFileSync(path.join(dir, 'earshot.lock'), '999999999');
    const store = await startLocalStore({ path: dir });
    expect(fs.readFileSync(path.join(dir, 'earshot.lock'), 'utf8')).toBe(String(process.pid));
    await store.close();
    expect(fs.existsSync(path.join(dir, 'earshot.lock'))).toBe(false);
  });
});

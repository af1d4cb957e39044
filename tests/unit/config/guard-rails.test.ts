import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MIN_WEBHOOK_SECRET_LENGTH, weakSecrets } from '../../../lambdas/config/guard-rails';
import { loadConfig, parseConfig } from '../../../lambdas/config/load';
import { configSchemaFor } from '../../../lambdas/config/schema';

const EARSHOT = path.resolve(__dirname, '../../../bin/earshot.js');

/** Settings that parse but would hurt are refused, each naming its field, never echoing a credential. */

const brands = [{ id: 'acme', name: 'Acme', keywords: ['acme'] }];

function problems(config: Record<string, unknown>): string[] {
  const parsed = configSchemaFor().safeParse({ brands, ...config });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('config guard rails', () => {
  test('credentials in a URL are refused and not echoed', () => {
    const out = problems({
      sources: [{ id: 'hn', kind: 'hackernews', brand: 'acme', baseUrl: 'https://me:hunter2@hn.example' }],
    });
    expect(out).toEqual([expect.stringMatching(/^sources\.0\.baseUrl: must not carry credentials/)]);
    expect(out.join()).not.toContain('hunter2');
  });

  test('credentials over http are refused except to loopback', () => {
    const reddit = (authUrl: string) => ({
      id: 'rd',
      kind: 'reddit',
      brand: 'acme',
      authUrl,
      clientIdEnv: 'ID',
      clientSecretEnv: 'SECRET',
    });
    expect(problems({ sources: [reddit('http://auth.example')] })).toEqual([
      expect.stringMatching(/^sources\.0\.authUrl: must be https/),
    ]);
    expect(problems({ sources: [reddit('http://127.0.0.1:9000')] })).toEqual([]);
    expect(problems({ sources: [reddit('https://auth.example')] })).toEqual([]);
  });

  test('storage and sink paths in the root or system directories are refused', () => {
    expect(problems({ storage: { path: '/' } })).toEqual([
      expect.stringMatching(/^storage\.path: must not be the root/),
    ]);
    expect(problems({ alerts: { sinks: [{ jsonl: '/etc/cron.d/x' }] } })).toEqual([
      expect.stringMatching(/^alerts\.sinks\.0\.jsonl: must not be the root or a system directory/),
    ]);
    expect(problems({ storage: { path: '.earshot/db' }, alerts: { sinks: [{ jsonl: 'alerts.jsonl' }] } })).toEqual([]);
  });
});

describe('guard rails that need the config file and the working directory', () => {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'earshot-rails-')));
  const project = path.join(root, 'project');
  const elsewhere = path.join(root, 'elsewhere');
  mkdirSync(path.join(project, 'config'), { recursive: true });
  mkdirSync(elsewhere);
  const cwd = process.cwd();
  beforeEach(() => process.chdir(project));
  afterAll(() => process.chdir(cwd));

  function load(name: string, config: Record<string, unknown>): () => unknown {
    const file = path.join(project, 'config', name);
    writeFileSync(file, JSON.stringify({ brands, ...config }));
    return () => loadConfig(file);
  }

  test('a store outside the working directory and the config folder is refused unless allowed', () => {
    expect(load('a.json', { storage: { path: path.join(elsewhere, 'db') } })).toThrow(
      new RegExp(`storage\\.path: ${elsewhere}/db is outside the project .*storage\\.allowOutsideProject: true`),
    );
    expect(load('b.json', { storage: { path: '../../elsewhere/db' } })).toThrow(
      /storage\.path: .* is outside the project/,
    );
    // Inside the working directory, inside the config file's folder, in memory, or explicitly allowed: accepted.
    expect(load('c.json', { storage: { path: '.earshot/db' } })).not.toThrow();
    expect(load('d.json', { storage: { path: path.join(project, 'config', 'db') } })).not.toThrow();
    expect(load('e.json', { storage: 'memory' })).not.toThrow();
    const allowed = load('f.json', { storage: { path: path.join(elsewhere, 'db'), allowOutsideProject: true } });
    expect(allowed()).toMatchObject({ storage: { path: path.join(elsewhere, 'db'), allowOutsideProject: true } });
    // A symlink inside the project that points elsewhere is where it points.
    symlinkSync(elsewhere, path.join(project, 'link'));
    expect(load('g.json', { storage: { path: '../link/db' } })).toThrow(/storage\.path: .* is outside the project/);
  });

  test('storage.allowOutsideProject must be a boolean', () => {
    expect(problems({ storage: { path: 'db', allowOutsideProject: 'yes' } })).toEqual([
      expect.stringMatching(/^storage/),
    ]);
  });

  test('a jsonl sink that is the config file itself is refused', () => {
    const file = path.join(project, 'config', 'self.json');
    writeFileSync(file, JSON.stringify({ brands, alerts: { sinks: ['console', { jsonl: 'self.json' }] } }));
    expect(() => loadConfig(file)).toThrow(/alerts\.sinks\[1\]\.jsonl: is the config file itself/);
    writeFileSync(file, JSON.stringify({ brands, alerts: { sinks: [{ jsonl: 'alerts.jsonl' }] } }));
    expect(() => loadConfig(file)).not.toThrow();
  });
});

describe('webhook secrets are at least 16 characters, checked when the run starts', () => {
  const config = parseConfig({
    brands,
    sources: [
      { id: 'desk', kind: 'webhook', brand: 'acme', secretEnv: 'DESK_SECRET' },
      { id: 'off', kind: 'webhook', brand: 'acme', secretEnv: 'OFF_SECRET', enabled: false },
    ],
  });

  test('a short secret is named by source and variable, never echoed', () => {
    const out = weakSecrets(config, { DESK_SECRET: 'x', OFF_SECRET: 'y' });
    expect(out).toEqual([
      `sources[0] (desk).secretEnv: the secret in DESK_SECRET has 1 character; a webhook secret needs at least ${MIN_WEBHOOK_SECRET_LENGTH} (e.g. openssl rand -hex 32)`,
    ]);
    expect(weakSecrets(config, { DESK_SECRET: 'x'.repeat(15) })).toHaveLength(1);
    expect(weakSecrets(config, { DESK_SECRET: 'x'.repeat(16) })).toEqual([]);
  });

  test('earshot run refuses to start with a short secret, with one clear error', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'earshot-weak-'));
    const file = path.join(dir, 'earshot.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        brands,
        sources: [{ id: 'desk', kind: 'webhook', brand: 'acme', secretEnv: 'DESK_SECRET' }],
        storage: 'memory',
      }),
    );
    const result = spawnSync(process.execPath, [EARSHOT, 'run', '--config', file, '--once'], {
      cwd: dir,
      env: { ...process.env, DESK_SECRET: 'hunter2' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the secret in DESK_SECRET has 7 characters; a webhook secret needs at least 16');
    expect(result.stderr + result.stdout).not.toContain('hunter2');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CRASH_AT_ENV, CRASH_POINTS } from '../../../lambdas/pipeline/crash-points';
import { earshot } from '../cli/earshot';

/**
 * `earshot run` killed with SIGKILL at each named point of the alert path (EARSHOT_CRASH_AT), then run again: the
 * rerun sends exactly the alerts an uninterrupted run sends, each once.
 */

jest.setTimeout(240_000);

const PROBLEMS = [
  'Acme charged me twice for order {n} and nobody answered my 4 emails in 2 weeks. Cancelling, never again!',
  'Acme lost my luggage on flight AC{n}, I waited 3 hours at the airport and nobody helped. Worst airline ever.',
];

function feed(): string {
  const base = Date.now() - 30 * 60_000;
  const items = Array.from({ length: 6 }, (_, i) => {
    const text = PROBLEMS[i % 2].replace('{n}', String(100 + i));
    const at = new Date(base + i * 60_000).toUTCString();
    return `<item><guid isPermaLink="false">c-${i}</guid><title>complaint ${i}</title><link>http://127.0.0.1/c/${i}</link><description>${text}</description><pubDate>${at}</pubDate></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>http://127.0.0.1/</link><description>d</description>${items.reverse().join('')}</channel></rss>`;
}

describe('SIGKILL in the alert path, then a rerun', () => {
  let server: Server;
  let url: string;
  const dirs: string[] = [];
  beforeAll(async () => {
    const body = feed();
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  function project() {
    const dir = mkdtempSync(path.join(tmpdir(), 'earshot-crash-'));
    dirs.push(dir);
    const alerts = path.join(dir, 'alerts.jsonl');
    const file = path.join(dir, 'earshot.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }],
        storage: { path: path.join(dir, 'db') },
        sources: [
          { id: 'acme-feed', kind: 'rss', brand: 'acme', url, relevantByConstruction: true, lookbackHours: 48 },
        ],
        alerts: { minSeverity: 'low', hourlyCap: 1000, spikes: { enabled: false }, sinks: [{ jsonl: alerts }] },
      }),
    );
    const sent = () =>
      existsSync(alerts)
        ? readFileSync(alerts, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => (JSON.parse(line) as { alertId: string }).alertId)
        : [];
    const run = (env: NodeJS.ProcessEnv = {}) =>
      earshot(['run', '--config', file, '--once', '--json'], { cwd: dir, env });
    return { run, sent };
  }

  let baseline: string[];
  beforeAll(async () => {
    const p = project();
    const run = await p.run();
    expect(run.code).toBe(0);
    baseline = p.sent().sort();
  });

  test('an uninterrupted run alerts each problem once', () => {
    expect(baseline).toHaveLength(2);
  });

  test.each(CRASH_POINTS)('killed at %s: the rerun sends the same alerts, none twice', async (point) => {
    const p = project();
    const killed = await p.run({ [CRASH_AT_ENV]: point });
    expect(killed.code).toBeNull(); // killed, not exited
    const rerun = await p.run();
    expect(rerun.code).toBe(0);
    expect(p.sent().sort()).toEqual(baseline);
  });
});

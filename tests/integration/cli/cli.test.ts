import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SOURCE_KINDS } from '../../../lambdas/core/mention';
import { signWebhookBody } from '../../../lambdas/sources/adapters/webhook';
import { startServer, unix, type TestServer } from '../sources/server';
import { earshot, linkedBin, REAL_BIN } from './earshot';
import { HN_COMPLAINT, hnCommentHit } from '../../helpers/hn';

/** The CLI as a user runs it: through a symlinked node_modules/.bin/earshot, stdin/stdout as in DESIGN's contracts. */

// Each test starts the CLI several times: on 2 shared cores one start can take seconds (timings are benchmarks').
jest.setTimeout(120_000);

describe('starting the CLI', () => {
  it('answers through a symlinked bin (npx, npm link) and through node bin/earshot.js', async () => {
    expect((await earshot(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const direct = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [REAL_BIN, 'score', 'Terrible service'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('close', () => resolve(out));
    });
    expect(direct).toMatch(/sentiment: +compound -/);
    const unknown = await earshot(['nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown command 'nope'/);
  });

  it('stops quietly when its reader stops early (| head)', async () => {
    const result = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn('sh', ['-c', `${linkedBin()} demo | head -1`]);
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('close', (code) => resolve({ code, out, err }));
    });
    expect(result.out).toMatch(/^Earshot demo/);
    expect(result.err).not.toMatch(/EPIPE|Unhandled|at /);
  });

  it('refuses bad flag values by name: --interval under 30s, --listen not a port, an unknown language', async () => {
    const fast = await earshot(['run', '--config', 'x.yaml', '--interval', '0s']);
    expect(fast.code).toBe(1);
    expect(fast.stderr).toMatch(/--interval <duration>' argument '0s' is invalid\. must be at least 30s/);
    const listen = await earshot(['run', '--config', 'x.yaml', '--listen', 'abc']);
    expect(listen.code).toBe(1);
    expect(listen.stderr).toMatch(/'abc' is invalid\. must be a port/);
    expect(listen.stderr).not.toMatch(/options\.port/);
    const lang = await earshot(['score', '--language', 'xx', 'hello']);
    expect(lang.code).toBe(1);
    expect(lang.stderr).toMatch(/unknown language "xx" \(known: .*\ben\b.*\bvi\b/);
  });
});

describe('earshot score', () => {
  it('--jsonl answers every line with its id, and a bad line with an error, without stopping', async () => {
    const lines = [
      { id: 'en', text: 'I paid for premium and waited 3 hours, nobody answered. Cancelling, never again!' },
      { id: 'vi', text: 'Giao hàng chậm, sản phẩm không như hình, thất vọng', lang: 'vi' },
      { id: 7, text: 'VADER is smart, handsome, and funny.' },
      { id: 'empty', text: '' },
      { id: 'huge', text: 'slow app '.repeat(12_000) },
      { id: 'odd', text: 'ctrl\u0000\u0007 chars · Привет 😡 مرحبا !!!' },
      { id: 'no-text' },
    ].map((line) => JSON.stringify(line));
    const run = await earshot(['score', '--jsonl'], {
      input: [...lines.slice(0, 3), 'not json', ...lines.slice(3)].join('\n'),
    });
    expect(run.code).toBe(0);
    const out = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(out).toHaveLength(8);
    const byId = new Map(out.map((o) => [o.id, o]));
    expect(byId.get('en')).toMatchObject({ language: 'en', complaint: true, memorable: true });
    expect(byId.get('en').cues.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['expectationGap', 'unanswered', 'churn']),
    );
    expect(byId.get('vi')).toMatchObject({ language: 'vi', complaint: true });
    expect(byId.get('vi').sentiment.compound).toBeLessThan(-0.05);
    // Python vaderSentiment's reference scores for this sentence.
    expect(byId.get('7').sentiment).toEqual({ neg: 0, neu: 0.254, pos: 0.746, compound: 0.8316 });
    for (const id of ['empty', 'huge', 'odd']) {
      expect(byId.get(id)).toEqual(
        expect.objectContaining({ sentiment: expect.any(Object), severity: expect.any(String) }),
      );
    }
    expect(byId.get('no-text').error).toMatch(/^line 8: text/);
    expect(byId.get(null).error).toMatch(/^line 4: not valid JSON/);
  });

  it('--jsonl error lines name the input line, and a line without an id says what an id must be', async () => {
    const run = await earshot(['score', '--jsonl'], { input: '{"id":"a","text":"ok"}\n{"text":"no id"}\nnot json\n' });
    expect(run.code).toBe(0);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { id: null, error: 'line 2: id: required, a non-empty string or number' },
      { id: null, error: expect.stringMatching(/^line 3: not valid JSON: /) },
    ]);
  });

  it('--jsonl reads language (lang is its old name) and refuses an unknown code with the known ones', async () => {
    const lines = [
      { id: 'language', text: 'Giao hàng chậm, thất vọng', language: 'vi' },
      { id: 'lang', text: 'Giao hàng chậm, thất vọng', lang: 'vi' },
      { id: 'named', text: 'Slow delivery', language: 'English' },
      { id: 'unknown', text: 'Slow delivery', language: 'xx' },
      { id: 'unknown-lang', text: 'Slow delivery', lang: 'klingon' },
      { id: 'both', text: 'Slow delivery', language: 'vi', lang: 'en' },
    ];
    const run = await earshot(['score', '--jsonl'], { input: lines.map((l) => JSON.stringify(l)).join('\n') });
    expect(run.code).toBe(0);
    const byId = new Map(
      run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
        .map((o) => [o.id, o]),
    );
    expect(byId.get('language').language).toBe('vi');
    expect(byId.get('lang').language).toBe('vi');
    expect(byId.get('named').language).toBe('en');
    expect(byId.get('unknown').error).toMatch(/^line 4: language: unknown language "xx" \(known: .*\ben\b.*\bvi\b/);
    expect(byId.get('unknown-lang').error).toMatch(/unknown language "klingon"/);
    expect(byId.get('both').error).toMatch(/not both/);
  });

  it('explains one text for a person', async () => {
    const run = await earshot(['score', 'Waited 3 weeks for my refund, nobody replied. Switching to another bank.']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/complaint:\s+yes/);
    expect(run.stdout).toMatch(/unanswered question: 'nobody replied'/);
    expect(run.stdout).toMatch(/churn intent: .*'Switching to'/i);
  });

  it('prints a text without its control characters: no escape sequence or bidi override reaches the terminal', async () => {
    const run = await earshot(['score', 'x \u001b[31mRED \u202eevil\u202c, nobody\u0007 replied\r\n\u009b2J again']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^text: +x \[31mRED evil, nobody replied \[?2J again$/m);
    // eslint-disable-next-line no-control-regex -- the point: none of these may be printed
    expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(run.stdout).toMatch(/unanswered question: 'nobody replied'/);
  });
});

describe('earshot cost', () => {
  it('prints one of a unit in the singular and dollars with thousands separators', async () => {
    const run = await earshot(['cost', '--mentions', '10000000']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ 1 key +\$1\.00$/m);
    expect(run.stdout).toContain('for the same mentions: $3,000.00 ');
    expect(run.stdout).not.toMatch(/ 1 keys |\$\d{4}/);
  });
});

describe('earshot run, triage, sources', () => {
  let server: TestServer;
  let dir: string;
  let configFile: string;

  beforeAll(async () => {
    server = await startServer();
    const now = Math.floor(Date.now() / 1000);
    const hits = [
      hnCommentHit('1', 600, HN_COMPLAINT, now),
      hnCommentHit('2', 500, 'Acme support is great, they fixed my issue in minutes.', now),
      hnCommentHit('3', 400, 'The Acme museum opens on Sunday.', now),
    ];
    server.on('GET', '/api/v1/search_by_date', { body: { hits, page: 0, nbPages: 1 } });
    dir = mkdtempSync(path.join(tmpdir(), 'earshot-cli-'));
    configFile = path.join(dir, 'earshot.yaml');
    writeFileSync(
      configFile,
      [
        'brands: [{ id: acme, name: Acme, keywords: [acme], exclude: [acme museum] }]',
        `sources: [{ id: acme-hn, kind: hackernews, brand: acme, baseUrl: "${server.url}" }]`,
        `alerts: { minSeverity: low, sinks: [{ jsonl: "${path.join(dir, 'alerts.jsonl')}" }] }`,
        `storage: { path: "${path.join(dir, 'db')}" }`,
      ].join('\n'),
    );
    expect(unix('2026-01-01T00:00:00Z')).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('run --once --json prints the contract summary; a second pass over unchanged sources stores and alerts nothing', async () => {
    const first = await earshot(['run', '--config', configFile, '--once', '--json']);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({
      sources: [{ id: 'acme-hn', kind: 'hackernews', fetched: 3, relevant: 2, noise: 1, skipped: 0, errors: [] }],
      stored: 2,
      duplicates: 0,
      flagged: 1,
      incidents: 1,
      alerts: 1,
    });
    // The alert tells the support lead how to acknowledge it, against this run's store.
    const [alert] = readFileSync(path.join(dir, 'alerts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(alert.text).toContain(`npx earshot triage ack acme-hn 1 --config ${configFile}`);
    const second = JSON.parse((await earshot(['run', '--config', configFile, '--once', '--json'])).stdout);
    expect(second).toMatchObject({ stored: 0, flagged: 0, incidents: 0, alerts: 0 });

    const list = await earshot(['triage', 'list', '--config', configFile, '--json']);
    const queue = JSON.parse(list.stdout);
    expect(queue).toEqual([expect.objectContaining({ sourceId: 'acme-hn', id: '1', status: 'new' })]);
    const ack = await earshot(['triage', 'ack', 'acme-hn', '1', '--config', configFile, '--by', 'lead']);
    expect(ack.stdout).toMatch(/acknowledged/);
    // The printed ack line, run again: it succeeds and says who acknowledged it when.
    const again = await earshot(['triage', 'ack', 'acme-hn', '1', '--config', configFile]);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(again.stdout).toMatch(/^acme-hn 1: already acknowledged by lead at \d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
    // A real conflict still explains itself.
    expect((await earshot(['triage', 'resolve', 'acme-hn', '1', '--config', configFile])).code).toBe(0);
    const bad = await earshot(['triage', 'ack', 'acme-hn', '1', '--config', configFile]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot acknowledge a mention that is resolved/);

    const sources = await earshot(['sources', '--config', configFile, '--json']);
    expect(JSON.parse(sources.stdout)).toEqual([
      expect.objectContaining({ id: 'acme-hn', health: expect.objectContaining({ consecutiveFailures: 0 }) }),
    ]);
  });

  it('triage refuses a brand the config does not have, naming the known ones', async () => {
    for (const command of ['list', 'stats']) {
      const run = await earshot(['triage', command, '--config', configFile, '--brand', 'nope']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/--brand nope: unknown brand in .* \(known: acme\)/);
      expect(run.stdout).not.toMatch(/empty/);
    }
  });

  it('an invalid config names the field and why, and exits 1', async () => {
    const badFile = path.join(dir, 'bad.yaml');
    writeFileSync(
      badFile,
      'brands: [{ id: acme, name: Acme, keywords: [] }]\nsources: [{ id: x, kind: hn, brand: acme }]\n',
    );
    const run = await earshot(['run', '--config', badFile, '--once']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/brands\[0\]\.keywords: give at least one keyword/);
    expect(run.stderr).toMatch(/sources\[0\]\.kind: must be one of hackernews/);
  });

  it('run checks every credential the config names before any poll, naming source and variable', async () => {
    const file = path.join(dir, 'creds.yaml');
    writeFileSync(
      file,
      [
        'brands: [{ id: acme, name: Acme, keywords: [acme] }]',
        `sources: [{ id: acme-yt, kind: youtube, brand: acme, apiKeyEnv: EARSHOT_TEST_UNSET_KEY, baseUrl: "${server.url}" }]`,
        'storage: memory',
      ].join('\n'),
    );
    const before = server.requests.length;
    const run = await earshot(['run', '--config', file, '--once'], { env: { EARSHOT_TEST_UNSET_KEY: '' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'sources[0] (acme-yt).apiKeyEnv: environment variable EARSHOT_TEST_UNSET_KEY is not set',
    );
    expect(server.requests.length).toBe(before);
  });

  it('prints alerts under their pass header, then the summary; run --once exits 1 after it when every source failed', async () => {
    const file = path.join(dir, 'console.yaml');
    const config = (baseUrl: string) =>
      [
        'brands: [{ id: acme, name: Acme, keywords: [acme], exclude: [acme museum] }]',
        `sources: [{ id: acme-hn, kind: hackernews, brand: acme, baseUrl: "${baseUrl}" }]`,
        'alerts: { minSeverity: low, sinks: [console] }',
        'storage: memory',
      ].join('\n');
    writeFileSync(file, config(server.url));
    const ok = await earshot(['run', '--config', file, '--once']);
    expect(ok.code).toBe(0);
    const header = ok.stdout.search(/^── Pass 1 · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC ─+$/m);
    const alert = ok.stdout.indexOf('Acme lost my order');
    const table = ok.stdout.indexOf('fetched  relevant');
    expect(header).toBe(0);
    expect(alert).toBeGreaterThan(header);
    expect(table).toBeGreaterThan(alert);

    // A port nothing listens on any more: the only source fails to connect.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    writeFileSync(file, config(`http://127.0.0.1:${port}`));
    const failed = await earshot(['run', '--config', file, '--once']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/acme-hn +hackernews +0 /);
    expect(failed.stdout).toMatch(/error acme-hn: /);
    expect(failed.stderr).toMatch(/every source failed \(1 of 1\)/);
    const json = await earshot(['run', '--config', file, '--once', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).sources[0].errors.length).toBeGreaterThan(0);
  }, 60_000);

  it('between passes, says which pass ran, when, and when the next one starts', async () => {
    const file = path.join(dir, 'interval.yaml');
    writeFileSync(
      file,
      [
        'brands: [{ id: acme, name: Acme, keywords: [acme] }]',
        `sources: [{ id: acme-hn, kind: hackernews, brand: acme, baseUrl: "${server.url}" }]`,
        'alerts: { sinks: [] }',
        'storage: memory',
      ].join('\n'),
    );
    const child = spawn(linkedBin(), ['run', '--config', file, '--interval', '5m'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (/next pass at/.test(stdout)) resolve();
      });
      child.on('close', () => reject(new Error(`exited early: ${stdout}`)));
    });
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^── Pass 1 · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    const next = /next pass at (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) UTC \(Ctrl-C stops\)/.exec(stdout)!;
    const at = Date.parse(`${next[1]}T${next[2]}Z`);
    expect(at - started).toBeGreaterThan(4 * 60_000);
    expect(at - started).toBeLessThan(6 * 60_000);
  });

  it('sources lists every kind and what it needs', async () => {
    const run = await earshot(['sources']);
    for (const kind of SOURCE_KINDS) {
      expect(run.stdout).toContain(kind);
    }
    expect(run.stdout).toMatch(/X\/Twitter/);
  });
});

describe('earshot run --listen', () => {
  it('receives signed pushed mentions while it runs, stores each once, and refuses a bad signature', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'earshot-listen-'));
    const configFile = path.join(dir, 'earshot.yaml');
    writeFileSync(
      configFile,
      [
        'brands: [{ id: acme, name: Acme, keywords: [acme] }]',
        'sources: [{ id: acme-desk, kind: webhook, brand: acme, secretEnv: DESK_SECRET }]',
        `alerts: { minSeverity: low, sinks: [{ jsonl: "${path.join(dir, 'alerts.jsonl')}" }] }`,
        'storage: memory',
      ].join('\n'),
    );
    const child = spawn(linkedBin(), ['run', '--config', configFile, '--listen', '0', '--interval', '1h'], {
      env: { ...process.env, DESK_SECRET: 'shh-a-desk-secret-of-24' },
    });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const found = /listening for pushed mentions at (http:\/\/[\d.:]+)/.exec(stderr);
        if (found) resolve(found[1]);
      });
      child.on('close', () => reject(new Error(`exited early: ${stderr}`)));
    });
    try {
      const body = JSON.stringify([
        {
          id: 't-1',
          text: 'Acme charged me twice and nobody answered my 4 emails in 2 weeks. Cancelling, never again!',
        },
        { id: 't-2', text: 'Acme fixed my router quickly, thanks!' },
      ]);
      // One timestamp for signing and sending: a second boundary between the two would break the signature.
      const signedAt = Math.floor(Date.now() / 1000);
      const post = (signature: string) =>
        fetch(`${url}/ingest/acme-desk`, {
          method: 'POST',
          headers: { 'x-earshot-timestamp': String(signedAt), 'x-earshot-signature': signature },
          body,
        });
      const signature = signWebhookBody(body, 'shh-a-desk-secret-of-24', signedAt);
      const first = await post(signature);
      expect(first.status).toBe(202);
      expect(await first.json()).toMatchObject({ accepted: 2, stored: 2, duplicates: 0 });
      const again = await post(signature);
      expect(await again.json()).toMatchObject({ stored: 0, duplicates: 2 });
      expect((await post('sha256=' + '0'.repeat(64))).status).toBe(401);
      expect((await fetch(`${url}/ingest/nope`, { method: 'POST', body: '{}' })).status).toBe(404);
    } finally {
      child.kill('SIGINT');
      await new Promise((resolve) => child.on('close', resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('earshot demo', () => {
  it('runs offline and shows alerts, an incident, a spike, an escalation, and an idempotent second pass', async () => {
    const run = await earshot(['demo', '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(result.first.stored).toBeGreaterThan(20);
    expect(result.first.incidents).toBeGreaterThanOrEqual(1);
    expect(result.first.alerts).toBeGreaterThanOrEqual(2);
    expect(result.first.spikes).toBe(1);
    expect(result.escalations).toBeGreaterThanOrEqual(1);
    expect(result.second).toMatchObject({ stored: 0, alerts: 0 });
    expect(result.first.sources.every((s: { errors: string[] }) => s.errors.length === 0)).toBe(true);
  });
});

describe('a busy port', () => {
  it('demo --serve says so before telling the story, serve and run --listen say so too, exit 1', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    const dir = mkdtempSync(path.join(tmpdir(), 'earshot-busy-'));
    try {
      const demo = await earshot(['demo', '--serve', '--port', String(port)]);
      expect(demo).toMatchObject({
        code: 1,
        stderr: `earshot: port ${port} is in use; pass --port N (--port 0 picks a free one)\n`,
      });
      expect(demo.stdout).not.toMatch(/Pass 1/);
      const configFile = path.join(dir, 'earshot.yaml');
      writeFileSync(configFile, 'brands: [{ id: acme, name: Acme, keywords: [acme] }]\nstorage: { path: db }\n');
      const serve = await earshot(['serve', '--config', configFile, '--port', String(port)]);
      expect(serve).toMatchObject({
        code: 1,
        stderr: `earshot: port ${port} is in use; pass --port N (--port 0 picks a free one)\n`,
      });
      expect(existsSync(path.join(dir, 'db'))).toBe(false); // found before the store was created
      const run = await earshot(['run', '--config', configFile, '--listen', String(port)]);
      expect(run).toMatchObject({
        code: 1,
        stderr: `earshot: port ${port} is in use; pass --listen N (--listen 0 picks a free one)\n`,
      });
      expect(existsSync(path.join(dir, 'db'))).toBe(false);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('earshot demo --keep', () => {
  /** Run a printed `npx earshot …` line through a shell, exactly as printed, with the linked bin in npx's place. */
  const asPrinted = (line: string, cwd: string) => {
    const command = line.trim().replace(/^npx earshot /, `${linkedBin()} `);
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('sh', ['-c', command], { cwd, env: { ...process.env, NO_COLOR: '1' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  };

  it('keeps the story with a config, and the triage commands it prints work as printed; a second run says so', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'earshot-keep-'));
    try {
      const first = await earshot(['demo', '--keep'], { cwd });
      expect(first.code).toBe(0);
      const printed = first.stdout.split('\n').filter((line) => /^ {2}npx earshot triage /.test(line));
      expect(printed.map((line) => line.trim().split(' ')[3])).toEqual(['list', 'show', 'ack', 'stats']);
      for (const line of printed) expect(line).toMatch(/ --config \.earshot\/demo\.yaml$/);
      const results = [];
      for (const line of printed) results.push(await asPrinted(line, cwd));
      for (const result of results) expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(results[0].stdout).toMatch(/acme-bluesky/);
      expect(results[2].stdout).toMatch(/acknowledged/);
      expect(results[3].stdout).toMatch(/acknowledged\s+1/);

      // The Acknowledge line an alert printed opens the same store.
      const alertAck = /^Acknowledge: (npx earshot triage ack acme-youtube .*)$/m.exec(first.stdout)![1];
      expect(alertAck).toMatch(/--config \.earshot\/demo\.yaml$/);
      const acked = await asPrinted(alertAck, cwd);
      expect(acked).toMatchObject({ code: 0 });
      expect(acked.stdout).toMatch(/acknowledged/);

      // A Shopee review the shop answered: triage show prints the seller's reply under it.
      const shown = await asPrinted(
        'npx earshot triage show bephong-shopee 31000000105 --config .earshot/demo.yaml',
        cwd,
      );
      expect(shown).toMatchObject({ code: 0, stderr: '' });
      expect(shown.stdout).toMatch(
        /Hotline gọi cả buổi sáng không ai nghe máy\.\n↳ the brand replied at 2026-06-10T10:15:00\.000Z: Dạ Bếp Hồng thành thật xin lỗi anh\./,
      );

      // Health says the Places part of the Google source is a sample.
      const health = await asPrinted('npx earshot sources --config .earshot/demo.yaml', cwd);
      expect(health.stdout).toMatch(
        /bephong-google +googlereviews +ok .*sample: the Places API shows at most 5 reviews/,
      );

      const second = await earshot(['demo', '--keep'], { cwd });
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/already has the demo story/);
      expect(second.stdout).toContain('Start afresh: rm -rf .earshot/demo .earshot/demo.yaml');
      expect(second.stdout).not.toMatch(/Pass 1/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000);

  it('a demo --keep killed midway is told again in full by the next one, and its spike can be acknowledged', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'earshot-keep-killed-'));
    try {
      // Killed for real (SIGKILL, no cleanup) as the first alert is recorded, as a Ctrl-C at "0/32 alerting" would.
      const killed = await earshot(['demo', '--keep'], { cwd, env: { EARSHOT_CRASH_AT: 'alert-recorded' } });
      expect(killed.code).toBeNull();
      expect(killed.stdout).not.toMatch(/The story is kept/);

      const again = await earshot(['demo', '--keep'], { cwd });
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(
        'The kept store .earshot/demo has an unfinished demo story (stopped before its end): telling it again.',
      );
      expect(again.stdout).toMatch(/Pass 1/);
      expect(again.stdout).toMatch(/The story is kept in \.earshot\/demo/);
      const ack = await earshot(
        ['triage', 'ack-alert', 'spike#acme#2026-06-10T12', '--config', '.earshot/demo.yaml', '--by', 'lead'],
        { cwd },
      );
      expect(ack).toMatchObject({ code: 0, stderr: '' });
      expect(ack.stdout).toMatch(/^spike#acme#2026-06-10T12: acknowledged by lead/);

      // Complete now: the next one has nothing to add.
      const third = await earshot(['demo', '--keep'], { cwd });
      expect(third.stdout).toMatch(/already has the demo story/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 180_000);
});

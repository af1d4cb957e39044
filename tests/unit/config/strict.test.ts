import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { missingEnvironment } from '../../../lambdas/config/env-check';
import { ConfigError, loadConfig, parseConfig } from '../../../lambdas/config/load';
import { scheduleProblem } from '../../../lambdas/config/schedule';

function issuesOf(raw: unknown): string[] {
  try {
    parseConfig(raw, 'test');
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
}

const brand = { id: 'acme', name: 'Acme', keywords: ['acme'] };

describe('config: one round reports every mistake', () => {
  it('refuses unknown keys at every level, with the key meant', () => {
    const issues = issuesOf({
      brands: [{ ...brand, excludes: ['museum'] }],
      sources: [
        { id: 'hn', kind: 'hackernews', brand: 'acme', schedul: 'rate(5 minutes)', lookbackHour: 3 },
        { id: 'desk', kind: 'webhook', brand: 'acme', secretENV: 'X' },
        { id: 'play', kind: 'googleplay', brand: 'acme', appId: 'com.x', acknowledgeFragile: true, lang: 'en' },
      ],
      alert: { minSeverity: 'low' },
      alerts: { incidents: { cooldownMinute: 5 } },
      storge: 'memory',
      deploy: { subscriptions: { email: [{ adress: 'a@b.example' }] } },
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        'brands[0].excludes: unknown option (did you mean "exclude"?)',
        'sources[0].schedul: unknown option (did you mean "schedule"?)',
        'sources[0].lookbackHour: unknown option (did you mean "lookbackHours"?)',
        'sources[1].secretENV: unknown option (did you mean "secretEnv"?)',
        'sources[2].lang: unknown option (did you mean "language"?)',
        'alert: unknown option (did you mean "alerts"?)',
        'alerts.incidents.cooldownMinute: unknown option (did you mean "cooldownMinutes"?)',
        'storge: unknown option (did you mean "storage"?)',
        'deploy.subscriptions.email[0].adress: unknown option (did you mean "address"?)',
      ]),
    );
    // The misspelt secret leaves the webhook without one: that is reported in the same round.
    expect(issues).toContain(
      'sources[1]: a webhook source needs secretEnv (local run) or secretSecret (AWS) to check signatures: without one every push is refused',
    );
  });

  it('lists the known options when nothing is close', () => {
    expect(issuesOf({ brands: [{ ...brand, zzzzzz: 1 }] })).toEqual([
      'brands[0].zzzzzz: unknown option (known: id, name, keywords, exclude, languages, countries)',
    ]);
  });

  it('reports duplicate ids together with the other errors', () => {
    const issues = issuesOf({
      brands: [brand, { ...brand, keywords: [] }],
      sources: [
        { id: 'hn', kind: 'hackernews', brand: 'acme', schedule: 'rate(0 minutes)' },
        { id: 'hn', kind: 'rss', brand: 'nope', url: 'https://x.example/feed' },
      ],
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        'brands[1].keywords: give at least one keyword',
        'brands[1].id: duplicate brand id "acme"',
        'sources[0].schedule: a rate must be at least 1',
        'sources[1].id: duplicate source id "hn"',
        'sources[1].brand: unknown brand "nope" (known: acme)',
      ]),
    );
  });
});

describe('schedules follow EventBridge Scheduler', () => {
  it.each(['rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'rate(12 hours)', 'rate(1 day)', 'rate(7 days)'])(
    'accepts %s',
    (expression) => expect(scheduleProblem(expression)).toBeUndefined(),
  );
  it.each(['cron(0 * * * ? *)', 'cron(0/15 9-17 ? * MON-FRI *)', 'cron(0 12 L * ? 2027)', 'cron(30 10 ? * 6#3 *)'])(
    'accepts %s',
    (expression) => expect(scheduleProblem(expression)).toBeUndefined(),
  );
  it.each([
    ['cron(bad)', /six fields/],
    ['rate(0 minutes)', /at least 1/],
    ['rate(5 minute)', /rate\(5 minutes\)/],
    ['rate(1 minutes)', /rate\(1 minute\)/],
    ['cron(0 * * * *)', /six fields .* not 5/],
    ['cron(0 12 * * * *)', /exactly one of day-of-month and day-of-week/],
    ['cron(61 * * * ? *)', /minutes "61"/],
    ['rate(5 weeks)', /minute\(s\), hour\(s\) or day\(s\)/],
    ['every 5 minutes', /must be "rate\(…\)" or "cron\(…\)"/],
  ])('refuses %s', (expression, why) => {
    expect(scheduleProblem(expression)).toMatch(why);
    expect(
      issuesOf({ brands: [brand], sources: [{ id: 'hn', kind: 'hackernews', brand: 'acme', schedule: expression }] }),
    ).toEqual([expect.stringMatching(/^sources\[0\]\.schedule: /)]);
  });
});

describe('config files', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'earshot-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('explains a JSON syntax error in JSON terms, with line and column', () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '{\n  "brands": [\n    { "id": "acme", }\n  ]\n}\n');
    expect(() => loadConfig(file)).toThrow(
      /not valid JSON \(line 3, column 21\): Expected double-quoted property name/,
    );
  });

  it('explains a YAML syntax error in YAML terms', () => {
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'brands: [\n');
    expect(() => loadConfig(file)).toThrow(/not valid YAML: /);
  });
});

describe('credentials named by …Env', () => {
  const config = parseConfig({
    brands: [brand],
    sources: [
      { id: 'rd', kind: 'reddit', brand: 'acme', clientIdEnv: 'RD_ID', clientSecretEnv: 'RD_SECRET' },
      { id: 'off', kind: 'youtube', brand: 'acme', apiKeyEnv: 'YT_KEY', enabled: false },
      { id: 'desk', kind: 'webhook', brand: 'acme', secretEnv: 'DESK_SECRET' },
    ],
    alerts: { sinks: ['console', { webhookEnv: 'SLACK_URL' }] },
  });

  it('names each unset variable with the source or sink that needs it (disabled sources are not polled)', () => {
    expect(missingEnvironment(config, { RD_ID: 'x' })).toEqual([
      'sources[0] (rd).clientSecretEnv: environment variable RD_SECRET is not set',
      'sources[2] (desk).secretEnv: environment variable DESK_SECRET is not set',
      'alerts.sinks[1].webhookEnv: environment variable SLACK_URL is not set',
    ]);
    expect(missingEnvironment(config, { RD_ID: 'x', RD_SECRET: 'y', DESK_SECRET: 'z', SLACK_URL: 'u' })).toEqual([]);
  });
});

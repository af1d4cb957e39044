import { configSchema } from '../../../lambdas/config/schema';

/** Settings that parse but would hurt are refused, each naming its field, never echoing a credential. */

const brands = [{ id: 'acme', name: 'Acme', keywords: ['acme'] }];

function problems(config: Record<string, unknown>): string[] {
  const parsed = configSchema.safeParse({ brands, ...config });
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

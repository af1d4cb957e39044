import { ConfigError, parseConfig } from '../../../lambdas/config/load';

/** The `alerts.sinks` forms, and the errors a wrong one gets (never echoing a URL). */

function withSinks(sinks: unknown[]) {
  return parseConfig({ brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }], alerts: { sinks } });
}

function issuesOf(sinks: unknown[]): string[] {
  try {
    withSinks(sinks);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected the config to be refused');
}

describe('alert sink config', () => {
  test('webhook URLs can be named by environment variable or secret, or given inline', () => {
    const config = withSinks([
      { webhookEnv: 'SLACK_WEBHOOK_URL' },
      { webhookSecret: 'earshot/slack-webhook' },
      { webhookSecret: 'ssm:/earshot/slack-webhook' },
      { webhook: 'https://hooks.example.com/not-secret' },
    ]);
    expect(config.alerts.sinks).toEqual([
      { webhookEnv: 'SLACK_WEBHOOK_URL' },
      { webhookSecret: 'earshot/slack-webhook' },
      { webhookSecret: 'ssm:/earshot/slack-webhook' },
      { webhook: 'https://hooks.example.com/not-secret' },
    ]);
  });

  test('a bad variable or secret name is refused naming the field', () => {
    expect(issuesOf([{ webhookEnv: 'https://hooks.slack.com/services/T1/B2/TOKEN' }])).toEqual([
      'alerts.sinks[0].webhookEnv: must be an environment variable name like MY_TOKEN',
    ]);
    expect(issuesOf([{ webhookSecret: 'has spaces' }])).toEqual([
      'alerts.sinks[0].webhookSecret: must be a Secrets Manager name or ssm:/parameter/path',
    ]);
  });

  test('an inline URL that is not http(s) is refused without echoing it', () => {
    const issues = issuesOf([{ webhook: 'ftp://hooks.example.com/TOKEN' }]);
    expect(issues).toEqual(['alerts.sinks[0].webhook: must be an http(s) URL']);
  });

  test('an unknown sink, or two webhook forms at once, lists the forms there are', () => {
    for (const sink of ['slack', { webhookEnv: 'A', webhookSecret: 'b' }, 42]) {
      const [issue] = issuesOf([sink]);
      expect(issue).toMatch(/^alerts\.sinks\[0\]: must be console, .*\{ webhookEnv: ENV_NAME \}/);
      expect(issue).toContain('{ webhookSecret: NAME or ssm:/path }');
    }
  });

  test('"alerts" is not a source id: /triage/alerts/{alertId}/ack addresses alerts', () => {
    expect(() =>
      parseConfig({
        brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }],
        sources: [{ id: 'alerts', kind: 'hackernews', brand: 'acme' }],
      }),
    ).toThrow(/sources\[0\]\.id: "alerts" is reserved/);
  });
});

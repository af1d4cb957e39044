import { DEPLOYED_CONFIG_PARTS, deployedConfig, type HandlerName } from '../../../lambdas/config/env';
import { ConfigError, parseConfig, parseConfigParts } from '../../../lambdas/config/parse';

/**
 * A Lambda validates its deployed file (only the parts its function reads, DEPLOYED_CONFIG_PARTS) with the schemas
 * of those parts alone: what the stack writes parses back to itself, and a bad file is refused naming each field,
 * with the messages the whole config gets.
 */

const full = parseConfig({
  brands: [{ id: 'acme', name: 'Acme', keywords: ['acme'] }],
  sources: [
    { id: 'acme-hn', kind: 'hackernews', brand: 'acme' },
    { id: 'acme-desk', kind: 'webhook', brand: 'acme', secretSecret: 'earshot/desk' },
  ],
  alerts: { minSeverity: 'high', incidents: { windowMinutes: 60 } },
  triage: { sla: { critical: '10m' } },
  retentionDays: 30,
});

function issuesOf(parse: () => unknown): string[] {
  try {
    parse();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
}

test.each(Object.keys(DEPLOYED_CONFIG_PARTS) as HandlerName[])(
  '%s: its deployed file parses back to itself',
  (handler) => {
    const deployed = JSON.parse(JSON.stringify(deployedConfig(full, handler))) as unknown;
    expect(Object.keys(deployed as object)).toEqual(DEPLOYED_CONFIG_PARTS[handler]);
    expect(parseConfigParts(deployed, DEPLOYED_CONFIG_PARTS[handler], 'earshot-config.json')).toEqual(deployed);
  },
);

test('a bad deployed file is refused naming each field, as the whole config would be', () => {
  const bad = { brands: [{ id: 'Acme!', name: '', keywords: [] }], retentionDays: 0 };
  const deployedIssues = issuesOf(() => parseConfigParts(bad, DEPLOYED_CONFIG_PARTS.analyze, 'earshot-config.json'));
  expect(deployedIssues).toEqual([
    'brands[0].id: must be 2–63 lowercase letters, digits or dashes, starting with a letter or digit',
    'brands[0].name: Too small: expected string to have >=1 characters',
    'brands[0].keywords: give at least one keyword',
    'retentionDays: Too small: expected number to be >=1',
  ]);
  expect(issuesOf(() => parseConfig(bad))).toEqual(deployedIssues);
  expect(() => parseConfigParts(bad, DEPLOYED_CONFIG_PARTS.analyze, '/var/task/earshot-config.json')).toThrow(
    /^Invalid config \/var\/task\/earshot-config.json:\n {2}- brands\[0\]\.id: /,
  );
});

test('a part the function does not read is an unknown option in its deployed file', () => {
  const withDeploy = { ...deployedConfig(full, 'analyze'), deploy: { tracing: true } };
  expect(issuesOf(() => parseConfigParts(withDeploy, DEPLOYED_CONFIG_PARTS.analyze))).toEqual([
    'deploy: unknown option (known: brands, retentionDays)',
  ]);
});

test('a deployed source of an unknown kind names every kind', () => {
  const poll = { ...deployedConfig(full, 'poll'), sources: [{ id: 'x', kind: 'twitter', brand: 'acme' }] };
  expect(issuesOf(() => parseConfigParts(poll, DEPLOYED_CONFIG_PARTS.poll))).toEqual([
    expect.stringMatching(/^sources\[0\]\.kind: must be one of hackernews, reddit, .*, vnexpress$/),
  ]);
});

import { healthDetails } from '../../bin/cli/sources';

describe('earshot sources: the details cell of a source health row', () => {
  it('joins lag, note, last error and rejections', () => {
    const details = healthDetails({
      sourceId: 'news',
      kind: 'rss',
      consecutiveFailures: 1,
      lagSeconds: 600,
      note: 'sample: first page only',
      lastError: 'HTTP 503',
      rejected: 2,
      lastRejection: 'over 200 KB',
    });
    expect(details).toBe(
      'lag 10 min · sample: first page only · last error: HTTP 503 · rejected 2 (last: over 200 KB)',
    );
  });

  it('prints nothing for a source never polled', () => {
    expect(healthDetails(undefined)).toBe('');
  });

  it('drops terminal escapes and bidi overrides a source put in its error or rejection', () => {
    const details = healthDetails({
      sourceId: 'news',
      kind: 'rss',
      consecutiveFailures: 1,
      lastError: 'HTTP 500: \u001b[2J\u001b[31mboom\u202e',
      rejected: 1,
      lastRejection: 'id \u202elive\u202c too long',
    });
    expect(details).toBe('last error: HTTP 500: [2J[31mboom · rejected 1 (last: id live too long)');
    expect(details).not.toContain('\u001b');
    expect(details).not.toContain('\u202e');
  });
});

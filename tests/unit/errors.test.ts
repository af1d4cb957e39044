import { ConfigError } from '../../lambdas/config/load';
import { BadRequestError, ConflictError, EarshotError, errorReply, NotFoundError } from '../../lambdas/core/errors';
import { TriageInputError, TriageTransitionError } from '../../lambdas/core/triage';
import { HttpError } from '../../lambdas/sources/http';
import { SecretError } from '../../lambdas/sources/secrets';
import { SourceConfigError } from '../../lambdas/sources/adapters/common';

describe('EarshotError', () => {
  it('every expected failure is one, with a code and the HTTP status it answers with', () => {
    const cases: [EarshotError, string, number][] = [
      [new BadRequestError('x'), 'bad_request', 400],
      [new TriageInputError('x'), 'triage_input', 400],
      [new NotFoundError('x'), 'not_found', 404],
      [new ConflictError('x'), 'conflict', 409],
      [new TriageTransitionError('acknowledge', 'resolved'), 'triage_transition', 409],
      [new SecretError('x'), 'secret_unavailable', 503],
      [new HttpError('x', 'http', 500), 'upstream_failed', 502],
      [new ConfigError('earshot.yaml', ['brands: required']), 'invalid_config', 500],
      [new SourceConfigError('token revoked'), 'source_config', 502],
    ];
    for (const [error, code, status] of cases) {
      expect(error).toBeInstanceOf(EarshotError);
      expect([error.code, error.httpStatus]).toEqual([code, status]);
      expect(error.name).toBe(error.constructor.name);
    }
  });

  it('maps to one reply: its own message and status, or a bare 500 for anything unexpected', () => {
    expect(errorReply(new NotFoundError('no alert a#1'))).toEqual({ status: 404, body: { error: 'no alert a#1' } });
    expect(errorReply(new TypeError('secret internals'))).toEqual({ status: 500, body: { error: 'internal error' } });
    expect(errorReply('thrown string')).toEqual({ status: 500, body: { error: 'internal error' } });
  });
});

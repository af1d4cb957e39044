/**
 * The one error base. Every failure Earshot expects (bad input, a missing item, a lost race, an invalid config, an
 * unreadable secret, a failing upstream) is an EarshotError with a stable `code` and the HTTP status it answers
 * with, so the HTTP handlers and the CLI map errors in one place (`errorReply`) instead of instanceof chains.
 * Anything else is a bug: a 500 with no details.
 */

export type ErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'conflict'
  | 'triage_transition'
  | 'triage_input'
  | 'invalid_config'
  | 'secret_unavailable'
  | 'upstream_failed'
  | 'source_config';

export class EarshotError extends Error {
  // Set explicitly by each subclass: bundles are minified, so constructor names are not kept.
  override name = 'EarshotError';
  constructor(
    message: string,
    readonly code: ErrorCode,
    /** The status an HTTP API answers with for this error. */
    readonly httpStatus: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A request that cannot be served as sent (HTTP 400). */
export class BadRequestError extends EarshotError {
  override readonly name = 'BadRequestError';
  constructor(message: string) {
    super(message, 'bad_request', 400);
  }
}

export class NotFoundError extends EarshotError {
  override readonly name = 'NotFoundError';
  constructor(message: string) {
    super(message, 'not_found', 404);
  }
}

/** A conditional write lost to a concurrent one (stale version or status). Re-read and try again (HTTP 409). */
export class ConflictError extends EarshotError {
  override readonly name = 'ConflictError';
  constructor(message: string) {
    super(message, 'conflict', 409);
  }
}

export interface ErrorReply {
  status: number;
  body: { error: string };
}

/** The answer to a request that failed: an EarshotError says what and why; anything else is an internal error. */
export function errorReply(error: unknown): ErrorReply {
  if (error instanceof EarshotError) return { status: error.httpStatus, body: { error: error.message } };
  return { status: 500, body: { error: 'internal error' } };
}

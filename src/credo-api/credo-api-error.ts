import { CodedError, type ErrorCode } from '../errors.js';

/**
 * The Credo AI API could not answer usefully: unreachable, too slow, failing (5xx), refusing
 * (4xx other than a 404 the caller expects) or answering something we cannot read. The message
 * names the call (`GET /users/{id}`) and never carries a token.
 */
export class CredoApiError extends CodedError {
  /** HTTP status of the answer, when there was one. */
  readonly status: number | undefined;

  constructor(code: ErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(code, message, { cause: options.cause });
    this.name = 'CredoApiError';
    this.status = options.status;
  }
}

import type { z } from 'zod';
import { toValidated } from '../events/validation-issues.js';
import { fetchWithDeadline } from '../http/fetch-with-deadline.js';
import { CredoApiError } from './credo-api-error.js';

export interface HttpOptions {
  timeoutMs: number;
}

export interface JsonAnswer {
  status: number;
  /** Parsed JSON; undefined for an empty body, or for an error answer that is not JSON. */
  body: unknown;
}

/**
 * One HTTP exchange with Credo AI. Network failures, timeouts, 5xx and a success that is not JSON
 * become a CredoApiError; every other answer is returned for the caller to judge. `call` names the
 * request in messages (`GET /users/abc`): never a header, so never a token.
 */
export async function fetchJson(
  http: HttpOptions,
  call: string,
  url: string,
  init: RequestInit,
): Promise<JsonAnswer> {
  let status: number;
  let text: string;
  try {
    const response = await fetchWithDeadline(url, init, http.timeoutMs);
    status = response.status;
    text = await response.text();
  } catch (error) {
    throw new CredoApiError(
      'CN_CREDO_API_UNREACHABLE',
      isTimeout(error)
        ? `Credo AI did not answer ${call} within ${http.timeoutMs} ms`
        : `could not reach Credo AI for ${call}: ${reasonOf(error)}`,
      { cause: error },
    );
  }
  if (status >= 500) {
    throw new CredoApiError(
      'CN_CREDO_API_FAILED',
      `Credo AI failed ${call} (HTTP ${status}); try again later`,
      {
        status,
      },
    );
  }
  if (text.trim() === '') return { status, body: undefined };
  try {
    return { status, body: JSON.parse(text) };
  } catch (error) {
    if (status < 300) {
      const message = `Credo AI answered ${call} (HTTP ${status}) with something that is not JSON`;
      throw new CredoApiError('CN_CREDO_API_UNEXPECTED_ANSWER', message, { status, cause: error });
    }
    return { status, body: undefined };
  }
}

/** The answer's body as `schema` describes it, or a CredoApiError naming what did not fit. */
export function readAnswer<T>(schema: z.ZodType<T>, answer: JsonAnswer, call: string): T {
  const validated = toValidated(schema.safeParse(answer.body), 'body');
  if (validated.ok) return validated.data;
  const problems = validated.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  const message = `Credo AI answered ${call} with an unexpected document (${problems})`;
  throw new CredoApiError('CN_CREDO_API_UNEXPECTED_ANSWER', message, { status: answer.status });
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** fetch says "fetch failed" and keeps the useful part (ECONNREFUSED, socket closed) in `cause`. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? error.cause.message : error.message;
}

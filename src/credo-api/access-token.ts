import { z } from 'zod';
import { CredoApiError } from './credo-api-error.js';
import { fetchJson, type HttpOptions, readAnswer } from './fetch-json.js';

const EXCHANGE_CALL = 'POST /auth/exchange';

const exchangeAnswer = z.object({ access_token: z.string().min(1) });

export interface AccessToken {
  /** The cached access token, exchanged on first use; concurrent callers share one exchange. */
  get(): Promise<string>;
  /**
   * A new access token after `rejected` got a 401. Callers that saw the same rejected token share
   * one exchange, and a caller holding an already-replaced token just gets the current one.
   */
  renew(rejected: string): Promise<string>;
}

/** Trades the long-lived API token for access tokens: `POST {server}/auth/exchange`. */
export function createAccessToken(options: {
  http: HttpOptions;
  serverUrl: string;
  tenant: string;
  apiToken: string;
}): AccessToken {
  let current: Promise<string> | undefined;

  const exchange = async (): Promise<string> => {
    const answer = await fetchJson(options.http, EXCHANGE_CALL, `${options.serverUrl}/auth/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ api_token: options.apiToken, tenant: options.tenant }),
    });
    // The refusal's own text is left out: it answers a body that holds the API token.
    if (answer.status === 401 || answer.status === 403) {
      throw new CredoApiError(
        'CN_CREDO_API_REFUSED',
        `Credo AI refused the API token for tenant "${options.tenant}" (HTTP ${answer.status}): check credo.api.token and credo.api.tenant`,
        { status: answer.status },
      );
    }
    if (answer.status >= 300) {
      throw new CredoApiError(
        'CN_CREDO_API_REFUSED',
        `Credo AI refused ${EXCHANGE_CALL} (HTTP ${answer.status})`,
        {
          status: answer.status,
        },
      );
    }
    return readAnswer(exchangeAnswer, answer, EXCHANGE_CALL).access_token;
  };

  const get = (): Promise<string> => {
    if (!current) {
      const started = exchange();
      current = started;
      // A failed exchange is not cached: the next call tries again.
      started.catch(() => {
        if (current === started) current = undefined;
      });
    }
    return current;
  };

  return {
    get,
    async renew(rejected) {
      const seen = current;
      const token = await seen?.catch(() => undefined);
      // `current === seen`: another caller may have started the renewal while we waited.
      if (token === rejected && current === seen) current = undefined;
      return get();
    },
  };
}

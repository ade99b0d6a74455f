import { createAccessToken } from './access-token.js';
import { CredoApiError } from './credo-api-error.js';
import { fetchJson, type JsonAnswer, readAnswer } from './fetch-json.js';
import {
  type CredoUseCase,
  type CredoUser,
  type CredoWebhook,
  errorsAnswer,
  type NewCredoWebhook,
  newWebhookDocument,
  useCaseAnswer,
  userAnswer,
  webhookAnswer,
  webhookListAnswer,
} from './json-api-documents.js';

export type {
  CredoUseCase,
  CredoUser,
  CredoWebhook,
  NewCredoWebhook,
  WebhookAuthentication,
} from './json-api-documents.js';

/** Credo AI's API v2 for one tenant. Every failure is a CredoApiError. */
export interface CredoApiClient {
  /** undefined when Credo AI has no such user. */
  getUser(id: string): Promise<CredoUser | undefined>;
  /** undefined when Credo AI has no such use case. */
  getUseCase(id: string): Promise<CredoUseCase | undefined>;
  listWebhooks(): Promise<CredoWebhook[]>;
  createWebhook(webhook: NewCredoWebhook): Promise<CredoWebhook>;
  /** false when Credo AI has no such webhook. */
  deleteWebhook(id: string): Promise<boolean>;
}

export interface CredoApiClientOptions {
  /** Server base, e.g. https://api.credo.ai */
  url: string;
  tenant: string;
  /** The API token, exchanged for short-lived access tokens. */
  token: string;
  /** Per HTTP request, including the token exchange. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const JSON_API = 'application/vnd.api+json';

export function createCredoApiClient(options: CredoApiClientOptions): CredoApiClient {
  const serverUrl = options.url.replace(/\/+$/, '');
  const resourceBase = `${serverUrl}/api/v2/${encodeURIComponent(options.tenant)}`;
  const http = { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  const accessToken = createAccessToken({ http, serverUrl, tenant: options.tenant, apiToken: options.token });

  /**
   * One authorised request; a 401 renews the access token and retries once (tokens expire).
   * Answers 2xx and 404 are returned, every other one throws.
   */
  const send = async (method: string, path: string, document?: unknown): Promise<JsonAnswer> => {
    const call = `${method} ${path}`;
    const attempt = (token: string) =>
      fetchJson(http, call, `${resourceBase}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: JSON_API,
          ...(document !== undefined && { 'content-type': JSON_API }),
        },
        body: document === undefined ? undefined : JSON.stringify(document),
      });
    const token = await accessToken.get();
    let answer = await attempt(token);
    if (answer.status === 401) answer = await attempt(await accessToken.renew(token));
    if (answer.status === 401) {
      const message = `Credo AI refused ${call} (HTTP 401) even with a new access token`;
      throw new CredoApiError('CN_CREDO_API_REFUSED', message, {
        status: 401,
      });
    }
    if (answer.status >= 300 && answer.status !== 404) throw refusal(call, answer);
    return answer;
  };

  /** For calls where a 404 means the tenant or the path is wrong, not that a thing is missing. */
  const sendExpectingFound = async (
    method: string,
    path: string,
    document?: unknown,
  ): Promise<JsonAnswer> => {
    const answer = await send(method, path, document);
    if (answer.status === 404)
      throw refusal(`${method} ${path}`, answer, `check credo.api.tenant ("${options.tenant}")`);
    return answer;
  };

  return {
    async getUser(id) {
      const path = `/users/${encodeURIComponent(id)}`;
      const answer = await send('GET', path);
      return answer.status === 404 ? undefined : readAnswer(userAnswer, answer, `GET ${path}`);
    },
    async getUseCase(id) {
      const path = `/use_cases/${encodeURIComponent(id)}`;
      const answer = await send('GET', path);
      return answer.status === 404 ? undefined : readAnswer(useCaseAnswer, answer, `GET ${path}`);
    },
    async listWebhooks() {
      return readAnswer(webhookListAnswer, await sendExpectingFound('GET', '/webhooks'), 'GET /webhooks');
    },
    async createWebhook(webhook) {
      const answer = await sendExpectingFound('POST', '/webhooks', newWebhookDocument(webhook));
      return readAnswer(webhookAnswer, answer, 'POST /webhooks');
    },
    async deleteWebhook(id) {
      const answer = await send('DELETE', `/webhooks/${encodeURIComponent(id)}`);
      return answer.status !== 404;
    },
  };
}

/** A 4xx, with Credo AI's own explanation when it sent JSON:API errors. */
function refusal(call: string, answer: JsonAnswer, hint?: string): CredoApiError {
  const parsed = errorsAnswer.safeParse(answer.body);
  const reasons = parsed.success
    ? parsed.data.errors.map((error) => error.detail ?? error.title).filter((reason) => reason !== undefined)
    : [];
  const explanation = [...reasons, ...(hint ? [hint] : [])].join('; ');
  return new CredoApiError(
    'CN_CREDO_API_REFUSED',
    `Credo AI refused ${call} (HTTP ${answer.status})${explanation ? `: ${explanation}` : ''}`,
    { status: answer.status },
  );
}

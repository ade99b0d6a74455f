import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CredoApiClient, createCredoApiClient } from '../../src/credo-api/client.js';
import { CredoApiError } from '../../src/credo-api/credo-api-error.js';
import { type FakeCredoApi, startFakeCredoApi } from '../helpers/fake-credo-api.js';

// Ids from the public guide's example payloads.
const JOHN_ID = 'MMC8qELwNoq9V27Y2cvqHf';
const USE_CASE_ID = 'QHG9s995aVztB6Xc3caXyW';

let fake: FakeCredoApi;
let client: CredoApiClient;

beforeEach(async () => {
  fake = await startFakeCredoApi();
  client = createCredoApiClient({ url: fake.url, tenant: fake.tenant, token: fake.token });
  fake.users.set(JOHN_ID, {
    email: 'john.doe@acme.com',
    given_name: 'John',
    family_name: 'Doe',
    nickname: 'johnd',
    role: 'admin',
  });
  fake.useCases.set(USE_CASE_ID, { name: 'Credit scoring', risk_category_level: 'high' });
});

afterEach(async () => {
  await fake.close();
});

const exchanges = () => fake.requests.filter((request) => request.path === '/auth/exchange');
const apiRequests = () => fake.requests.filter((request) => request.path.startsWith('/api/v2/'));

/** The rejection of `promise`, which must be a CredoApiError. */
async function credoApiError(promise: Promise<unknown>): Promise<CredoApiError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(CredoApiError);
  return error as CredoApiError;
}

describe('access token', () => {
  it('exchanges the API token once and reuses the access token', async () => {
    await client.getUser(JOHN_ID);
    await client.getUseCase(USE_CASE_ID);
    await client.listWebhooks();

    expect(exchanges()).toHaveLength(1);
    expect(exchanges()[0]?.body).toEqual({ api_token: fake.token, tenant: 'acme' });
    const authorizations = new Set(apiRequests().map((request) => request.authorization));
    expect(authorizations.size).toBe(1);
    expect([...authorizations][0]).toMatch(/^Bearer access_/);
  });

  it('shares one exchange between concurrent callers', async () => {
    await Promise.all([client.getUser(JOHN_ID), client.getUseCase(USE_CASE_ID), client.getUser('nobody')]);

    expect(exchanges()).toHaveLength(1);
  });

  it('renews an expired access token once and retries the request', async () => {
    await client.getUser(JOHN_ID);
    fake.expireTokens();

    await expect(client.getUser(JOHN_ID)).resolves.toMatchObject({ email: 'john.doe@acme.com' });
    expect(exchanges()).toHaveLength(2);
    expect(apiRequests()).toHaveLength(3);
  });

  it('renews once for concurrent callers that all got a 401', async () => {
    await client.getUser(JOHN_ID);
    fake.expireTokens();

    const users = await Promise.all([
      client.getUser(JOHN_ID),
      client.getUser(JOHN_ID),
      client.getUser(JOHN_ID),
    ]);

    expect(users.map((user) => user?.email)).toEqual(Array(3).fill('john.doe@acme.com'));
    expect(exchanges()).toHaveLength(2);
  });

  it('gives up when the request is refused even with a new token', async () => {
    await client.getUser(JOHN_ID);
    fake.answerNext({ status: 401 }, { status: 401 });

    const error = await credoApiError(client.getUser(JOHN_ID));
    expect(error.status).toBe(401);
    expect(error.message).toContain(`GET /users/${JOHN_ID}`);
  });

  it('explains a refused API token without showing it', async () => {
    const wrong = createCredoApiClient({
      url: fake.url,
      tenant: fake.tenant,
      token: 'credo_api_wrong_secret',
    });

    const error = await credoApiError(wrong.getUser(JOHN_ID));
    expect(error.message).toContain('credo.api.token');
    expect(error.message).not.toContain('credo_api_wrong_secret');
    expect(apiRequests()).toHaveLength(0);
  });

  it('tries the exchange again after a failed one', async () => {
    fake.setDown(true);
    await credoApiError(client.getUser(JOHN_ID));
    fake.setDown(false);

    await expect(client.getUser(JOHN_ID)).resolves.toMatchObject({ id: JOHN_ID });
  });
});

describe('reads', () => {
  it('reads a user as JSON:API with the bearer token', async () => {
    await expect(client.getUser(JOHN_ID)).resolves.toEqual({
      id: JOHN_ID,
      email: 'john.doe@acme.com',
      givenName: 'John',
      familyName: 'Doe',
      name: 'John Doe',
    });
    const [request] = apiRequests();
    expect(request).toMatchObject({
      method: 'GET',
      path: `/api/v2/acme/users/${JOHN_ID}`,
      accept: 'application/vnd.api+json',
    });
  });

  it('names a user by the nickname when the names are unset', async () => {
    fake.users.set('U2', { email: null, given_name: '', nickname: 'reviewer-bot' });

    await expect(client.getUser('U2')).resolves.toEqual({ id: 'U2', name: 'reviewer-bot' });
  });

  it('reads a use case', async () => {
    await expect(client.getUseCase(USE_CASE_ID)).resolves.toEqual({
      id: USE_CASE_ID,
      name: 'Credit scoring',
    });
  });

  it('answers undefined for a user or use case Credo AI does not have', async () => {
    await expect(client.getUser('nobody')).resolves.toBeUndefined();
    await expect(client.getUseCase('nothing')).resolves.toBeUndefined();
  });

  it('escapes ids in the path', async () => {
    await client.getUser('../webhooks');

    expect(apiRequests()[0]?.path).toBe('/api/v2/acme/users/..%2Fwebhooks');
  });
});

describe('failures', () => {
  it('reports an API that answers 503', async () => {
    await client.getUser(JOHN_ID);
    fake.setDown(true, 'unavailable');

    const error = await credoApiError(client.getUser(JOHN_ID));
    expect(error.status).toBe(503);
    expect(error.message).toContain(`GET /users/${JOHN_ID}`);
  });

  it('reports an API that closes the connection', async () => {
    fake.setDown(true, 'hang-up');

    const error = await credoApiError(client.getUseCase(USE_CASE_ID));
    expect(error.message).toMatch(/could not reach Credo AI for POST \/auth\/exchange/);
  });

  it('reports an API that is not listening', async () => {
    const gone = await startFakeCredoApi();
    await gone.close();
    const unreachable = createCredoApiClient({ url: gone.url, tenant: gone.tenant, token: gone.token });

    const error = await credoApiError(unreachable.getUser(JOHN_ID));
    expect(error.message).toContain('could not reach Credo AI');
  });

  it('reports an API that does not answer in time', async () => {
    const impatient = createCredoApiClient({
      url: fake.url,
      tenant: fake.tenant,
      token: fake.token,
      timeoutMs: 200,
    });
    fake.answerNext({ hang: true });

    const error = await credoApiError(impatient.getUser(JOHN_ID));
    expect(error.message).toBe(`Credo AI did not answer GET /users/${JOHN_ID} within 200 ms`);
  });

  it('reports an answer that is not JSON', async () => {
    fake.answerNext({ status: 200, body: '<html>maintenance</html>' });

    const error = await credoApiError(client.getUser(JOHN_ID));
    expect(error.message).toContain('not JSON');
  });

  it('reports a JSON answer of the wrong shape, naming what is wrong', async () => {
    fake.answerNext({ status: 200, body: { data: { id: 42, attributes: { name: 'Credit scoring' } } } });

    const error = await credoApiError(client.getUseCase(USE_CASE_ID));
    expect(error.message).toContain('body.data.id');
  });

  it('passes on Credo AI’s explanation of a refusal', async () => {
    fake.answerNext({
      status: 403,
      body: { errors: [{ title: 'Forbidden', detail: 'API token lacks webhooks scope' }] },
    });

    const error = await credoApiError(client.listWebhooks());
    expect(error.status).toBe(403);
    expect(error.message).toBe('Credo AI refused GET /webhooks (HTTP 403): API token lacks webhooks scope');
  });

  it('never puts a token in an error', async () => {
    await client.getUser(JOHN_ID);
    const accessToken = apiRequests()[0]?.authorization?.replace('Bearer ', '') ?? '';
    fake.answerNext({ status: 401 }, { status: 401 }, { status: 500 }, { status: 200, body: 'oops' });

    const errors = [
      await credoApiError(client.getUser(JOHN_ID)),
      await credoApiError(client.getUser(JOHN_ID)),
      await credoApiError(client.getUser(JOHN_ID)),
    ];
    for (const error of errors) {
      const shown = `${error.message} ${error.stack ?? ''}`;
      expect(shown).not.toContain(fake.token);
      expect(shown).not.toContain(accessToken);
    }
  });
});

describe('webhooks', () => {
  it('creates, lists and deletes a webhook', async () => {
    const created = await client.createWebhook({
      description: 'credo-notify',
      url: 'https://notify.acme.com/webhooks/credo',
      eventTypes: ['use_case_review_comment'],
      eventTypePrefix: 'CredoAI',
      authentication: { method: 'none' },
    });
    expect(created).toMatchObject({
      url: 'https://notify.acme.com/webhooks/credo',
      eventTypes: ['use_case_review_comment'],
      eventTypePrefix: 'CredoAI',
      authenticationMethod: 'none',
    });

    await expect(client.listWebhooks()).resolves.toEqual([created]);
    await expect(client.deleteWebhook(created.id)).resolves.toBe(true);
    await expect(client.listWebhooks()).resolves.toEqual([]);
    await expect(client.deleteWebhook(created.id)).resolves.toBe(false);
  });

  it('sends the create request as a JSON:API document', async () => {
    await client.createWebhook({
      description: 'Test webhook',
      url: 'https://your-event-server.com/webhook',
      eventTypes: ['use_case_review_status_updated'],
      eventTypePrefix: 'CredoAI',
      eventTypeSuffix: 'v1',
      environment: 'production',
      authentication: { method: 'none' },
    });

    const create = apiRequests().find((request) => request.method === 'POST');
    expect(create?.contentType).toBe('application/vnd.api+json');
    // The general guide's example request, attribute for attribute.
    expect(create?.body).toEqual({
      data: {
        type: 'webhook',
        attributes: {
          description: 'Test webhook',
          url: 'https://your-event-server.com/webhook',
          event_types: ['use_case_review_status_updated'],
          event_type_prefix: 'CredoAI',
          event_type_suffix: 'v1',
          environment: 'production',
          authentication_method: 'none',
        },
      },
    });
  });

  it('reads event types Credo AI lists as one string', async () => {
    fake.webhooks.set('W1', {
      url: 'https://notify.acme.com/webhooks/credo',
      event_types: 'use_case_review_comment,use_case_review_status_updated',
      authentication_method: 'none',
    });

    const [webhook] = await client.listWebhooks();
    expect(webhook?.eventTypes).toEqual(['use_case_review_comment', 'use_case_review_status_updated']);
  });

  it('reports Credo AI’s reasons when it refuses a create', async () => {
    const error = await credoApiError(
      client.createWebhook({
        description: 'credo-notify',
        url: 'https://notify.acme.com/webhooks/credo',
        eventTypes: [],
        authentication: { method: 'none' },
      }),
    );
    expect(error.status).toBe(422);
    expect(error.message).toContain('event_types is required');
  });

  it('points at the tenant when the webhooks collection is not found', async () => {
    fake.answerNext({ status: 404, body: { errors: [{ title: 'Not Found' }] } });

    const error = await credoApiError(client.listWebhooks());
    expect(error.message).toContain('credo.api.tenant');
  });
});

import { afterEach, beforeEach, expect, it } from 'vitest';
import { type AccessToken, createAccessToken } from '../../src/credo-api/access-token.js';
import { type FakeCredoApi, startFakeCredoApi } from '../helpers/fake-credo-api.js';

let fake: FakeCredoApi;
let accessToken: AccessToken;

beforeEach(async () => {
  fake = await startFakeCredoApi();
  accessToken = createAccessToken({
    http: { timeoutMs: 5_000 },
    serverUrl: fake.url,
    tenant: fake.tenant,
    apiToken: fake.token,
  });
});

afterEach(async () => {
  await fake.close();
});

const exchanges = () => fake.requests.filter((request) => request.path === '/auth/exchange');

it('renews once when several callers report the same rejected token at the same moment', async () => {
  const rejected = await accessToken.get();

  const renewed = await Promise.all([
    accessToken.renew(rejected),
    accessToken.renew(rejected),
    accessToken.renew(rejected),
  ]);

  expect(new Set(renewed).size).toBe(1);
  expect(renewed[0]).not.toBe(rejected);
  expect(exchanges()).toHaveLength(2);
});

it('does not renew for a caller whose rejected token was already replaced', async () => {
  const first = await accessToken.get();
  const second = await accessToken.renew(first);

  await expect(accessToken.renew(first)).resolves.toBe(second);
  expect(exchanges()).toHaveLength(2);
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createCredoWebhook,
  credoApiClientFor,
  deleteCredoWebhook,
  listCredoWebhooks,
} from '../../src/cli/credo-webhooks.js';
import { type Config, configSchema } from '../../src/config/schema.js';
import { EVENT_TYPES } from '../../src/events/event-types.js';
import { type FakeCredoApi, startFakeCredoApi } from '../helpers/fake-credo-api.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

let fake: FakeCredoApi;
let output: string;
const write = (text: string) => {
  output += text;
};

beforeEach(async () => {
  fake = await startFakeCredoApi();
  output = '';
});

afterEach(async () => {
  await fake.close();
});

/** A real config, as the schema parses it, pointed at the fake API. */
function configWith(
  overrides: { credo?: Record<string, unknown>; routes?: unknown[]; server?: Record<string, unknown> } = {},
): Config {
  return configSchema.parse({
    server: overrides.server ?? {},
    credo: {
      auth: { method: 'svix', secrets: [SECRET] },
      eventTypePrefix: 'CredoAI',
      eventTypeSuffix: 'v1',
      api: { url: fake.url, tenant: fake.tenant, token: fake.token },
      ...overrides.credo,
    },
    destinations: { governance: { console: {} } },
    routes: overrides.routes ?? [
      { match: { events: ['use_case_review_*'] }, to: ['governance'], continue: true },
      { match: { events: ['use_case_risk_category_level_updated'] }, to: ['governance'] },
    ],
  });
}

/** The attributes of the one create request the fake received. */
function createdAttributes(): Record<string, unknown> {
  const creates = fake.requests.filter(
    (request) => request.method === 'POST' && request.path.endsWith('/webhooks'),
  );
  expect(creates).toHaveLength(1);
  const body = creates[0]?.body as { data: { type: string; attributes: Record<string, unknown> } };
  expect(body.data.type).toBe('webhook');
  return body.data.attributes;
}

describe('credo webhooks create', () => {
  it('registers the public webhook URL with the event types the routes use', async () => {
    const config = configWith();

    await createCredoWebhook(config, credoApiClientFor(config), { url: 'https://notify.acme.com' }, write);

    expect(createdAttributes()).toEqual({
      description: 'credo-notify at notify.acme.com',
      url: 'https://notify.acme.com/webhooks/credo',
      event_types: [
        'use_case_risk_category_level_updated',
        'use_case_review_comment',
        'use_case_review_status_updated',
        'use_case_review_task_status_updated',
        'use_case_review_task_deleted',
      ],
      event_type_prefix: 'CredoAI',
      event_type_suffix: 'v1',
      authentication_method: 'none',
    });
    expect(fake.webhooks.size).toBe(1);
    expect(output).toContain('https://notify.acme.com/webhooks/credo');
    // Issue #20: the webhook is shown as Credo AI stored it.
    expect(output).toContain('  event type prefix: CredoAI');
    expect(output).toContain('  event type suffix: v1');
    expect(output).toContain('  description: credo-notify at notify.acme.com');
    expect(output).toContain(
      "Paste the endpoint's Svix signing secret (whsec_...) into CREDO_WEBHOOK_SECRET and restart credo-notify",
    );
  });

  it('keeps a full webhook URL as given, and a base under a proxy prefix', async () => {
    const config = configWith({ server: { webhookPath: '/hooks/credo' } });
    const client = credoApiClientFor(config);

    await createCredoWebhook(config, client, { url: 'https://notify.acme.com/hooks/credo' }, write);
    await createCredoWebhook(config, client, { url: 'https://acme.com/credo-notify/' }, write);

    expect([...fake.webhooks.values()].map((webhook) => webhook.url)).toEqual([
      'https://notify.acme.com/hooks/credo',
      'https://acme.com/credo-notify/hooks/credo',
    ]);
  });

  it('subscribes to all 15 event types for "*", plus names it does not know yet, once each', async () => {
    const config = configWith({
      routes: [
        { match: { events: ['*'] }, to: ['governance'], continue: true },
        { match: { events: ['use_case_owner_updated', 'use_case_review_comment'] }, to: ['governance'] },
        { match: { events: ['use_case_nothing_*'] }, to: ['governance'] },
      ],
    });

    await createCredoWebhook(config, credoApiClientFor(config), { url: 'https://notify.acme.com' }, write);

    expect(createdAttributes().event_types).toEqual([...EVENT_TYPES, 'use_case_owner_updated']);
  });

  it('passes description and environment, and leaves out an empty prefix and suffix', async () => {
    const config = configWith({ credo: { eventTypePrefix: '', eventTypeSuffix: '' } });

    await createCredoWebhook(
      config,
      credoApiClientFor(config),
      { url: 'https://notify.acme.com', description: 'Governance alerts', environment: 'staging' },
      write,
    );

    const attributes = createdAttributes();
    expect(attributes).toMatchObject({ description: 'Governance alerts', environment: 'staging' });
    expect(attributes).not.toHaveProperty('event_type_prefix');
    expect(attributes).not.toHaveProperty('event_type_suffix');
  });

  it('registers OAuth with this server as the token server, without printing the payload', async () => {
    const config = configWith({
      credo: {
        auth: {
          method: 'oauth',
          oauth: { payload: { key: 'secret_key_value_at_least_32_bytes_long' }, signingKey: 'k'.repeat(32) },
        },
      },
    });

    await createCredoWebhook(config, credoApiClientFor(config), { url: 'https://notify.acme.com/' }, write);

    expect(createdAttributes()).toMatchObject({
      url: 'https://notify.acme.com/webhooks/credo',
      authentication_method: 'o_auth',
      authentication_server: 'https://notify.acme.com/oauth/token',
      authentication_payload: { key: 'secret_key_value_at_least_32_bytes_long' },
      authentication_payload_type: 'application/json',
    });
    expect(output).toContain('https://notify.acme.com/oauth/token');
    expect(output).not.toContain('secret_key_value_at_least_32_bytes_long');
  });

  it('refuses OAuth when this server issues no tokens', async () => {
    const config = configWith({
      credo: {
        auth: {
          method: 'oauth',
          oauth: {
            jwksUrl: 'https://login.acme.com/jwks',
            issuer: 'https://login.acme.com/',
            audience: 'credo-notify',
          },
        },
      },
    });

    await expect(
      createCredoWebhook(config, credoApiClientFor(config), { url: 'https://notify.acme.com' }, write),
    ).rejects.toThrow(/credo\.auth\.oauth\.signingKey and credo\.auth\.oauth\.payload/);
    expect(fake.webhooks.size).toBe(0);
  });

  it('refuses a URL that is not http(s)', async () => {
    const config = configWith();

    await expect(
      createCredoWebhook(config, credoApiClientFor(config), { url: 'notify.acme.com' }, write),
    ).rejects.toThrow('--url must be an absolute http(s) URL, got "notify.acme.com"');
    await expect(
      createCredoWebhook(config, credoApiClientFor(config), { url: 'ftp://acme.com' }, write),
    ).rejects.toThrow('--url must be an http(s) URL');
  });

  it('refuses a config without routes, since nothing would be delivered', async () => {
    const config = configWith({ routes: [] });

    await expect(
      createCredoWebhook(config, credoApiClientFor(config), { url: 'https://notify.acme.com' }, write),
    ).rejects.toThrow('the config has no routes');
  });
});

describe('credo webhooks list', () => {
  it('shows each webhook’s id, authentication, URL and event types', async () => {
    fake.webhooks.set('W1aaaaaaaaaaaaaaaaaaaa', {
      url: 'https://notify.acme.com/webhooks/credo',
      event_types: ['use_case_review_comment', 'use_case_review_status_updated'],
      authentication_method: 'none',
    });
    fake.webhooks.set('W2', {
      url: 'https://old.acme.com/hook',
      event_types: ['use_case_name_updated'],
      authentication_method: 'o_auth',
      authentication_payload: { key: 'secret_key_value_at_least_32_bytes_long' },
    });
    const config = configWith();

    await listCredoWebhooks(config, credoApiClientFor(config), {}, write);

    expect(output.split('\n')).toEqual([
      'ID                      AUTH    URL                                     EVENT TYPES',
      'W1aaaaaaaaaaaaaaaaaaaa  none    https://notify.acme.com/webhooks/credo  use_case_review_comment, use_case_review_status_updated',
      'W2                      o_auth  https://old.acme.com/hook               use_case_name_updated',
      '',
    ]);
  });

  it('says so when there is none', async () => {
    const config = configWith();

    await listCredoWebhooks(config, credoApiClientFor(config), {}, write);

    expect(output).toBe('No webhooks registered in Credo AI for tenant acme.\n');
  });
});

describe('credo webhooks delete', () => {
  it('deletes the webhook', async () => {
    fake.webhooks.set('W1', {
      url: 'https://notify.acme.com/webhooks/credo',
      event_types: ['use_case_review_comment'],
    });
    const config = configWith();

    await deleteCredoWebhook(config, credoApiClientFor(config), { id: 'W1' }, write);

    expect(fake.webhooks.size).toBe(0);
    expect(output).toBe('Deleted webhook W1.\n');
  });

  it('says which id Credo AI does not have', async () => {
    const config = configWith();

    await expect(
      deleteCredoWebhook(config, credoApiClientFor(config), { id: 'W404' }, write),
    ).rejects.toThrow('Credo AI has no webhook W404 for tenant acme');
  });
});

it('names the keys to set when the config has no credo.api', () => {
  const config = configWith({ credo: { api: undefined } });

  expect(() => credoApiClientFor(config)).toThrow(/credo\.api\.tenant and credo\.api\.token/);
});

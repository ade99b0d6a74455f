import { describe, expect, it } from 'vitest';
import { configSchema } from '../src/config/schema.js';
import { startupSummary } from '../src/startup-summary.js';
import { TEST_SECRET } from './helpers/signed-delivery.js';

const ADMIN_TOKEN = 'admin-token-of-at-least-32-bytes!';
const DB_PASSWORD = 's3cret-db-password';
const BOT_PASSWORD = 'teams-app-password-value';
const SLACK_SIGNING_SECRET = 'slack-signing-secret-value';

function config(overrides: Record<string, unknown> = {}) {
  return configSchema.parse({
    credo: { auth: { secrets: [TEST_SECRET] } },
    destinations: { out: { console: {} } },
    routes: [{ match: { events: ['*'] }, to: ['out'] }],
    ...overrides,
  });
}

describe('startupSummary (issue 20)', () => {
  it('says the store engine, the auth method, the destinations by kind and what is on', () => {
    const summary = startupSummary(
      config({
        store: { url: `postgres://notify:${DB_PASSWORD}@db.internal:5432/notify` },
        slack: { botToken: 'xoxb-1-2-abc', signingSecret: SLACK_SIGNING_SECRET },
        teams: {
          appId: '00000000-0000-0000-0000-000000000001',
          appPassword: BOT_PASSWORD,
          tenantId: 'contoso',
        },
        destinations: {
          governance: { slack: { channel: 'C0GOV' } },
          reviews: { slack: { channel: 'C0REV' } },
          team: { teams: { conversation: 'General' } },
        },
        routes: [
          { match: { events: ['*'] }, to: ['governance'] },
          { match: { events: ['use_case_review_*'] }, to: ['reviews', 'team'] },
        ],
        admin: { token: ADMIN_TOKEN },
      }),
    );

    expect(summary).toEqual({
      store: 'postgres',
      auth: 'svix',
      destinations: { slack: 2, teams: 1 },
      routes: 2,
      teamsBot: true,
      slackCommands: true,
      admin: true,
      console: true,
    });
  });

  it('names no secret: not the store password or host, a token, the bot password or the signing secret', () => {
    const logged = JSON.stringify(
      startupSummary(
        config({
          store: { url: `postgresql://notify:${DB_PASSWORD}@db.internal/notify` },
          slack: { botToken: 'xoxb-1-2-abc', signingSecret: SLACK_SIGNING_SECRET },
          teams: {
            appId: '00000000-0000-0000-0000-000000000001',
            appPassword: BOT_PASSWORD,
            tenantId: 'contoso',
          },
          destinations: { governance: { slack: { channel: 'C0GOV' } } },
          routes: [{ match: { events: ['*'] }, to: ['governance'] }],
          admin: { token: ADMIN_TOKEN },
        }),
      ),
    );

    for (const secret of [
      DB_PASSWORD,
      'db.internal',
      ADMIN_TOKEN,
      'xoxb-',
      BOT_PASSWORD,
      TEST_SECRET,
      SLACK_SIGNING_SECRET,
    ]) {
      expect(logged).not.toContain(secret);
    }
  });

  it('says the embedded SQLite store, and the admin API, console, Teams bot and slash command off, by default', () => {
    expect(startupSummary(config())).toEqual({
      store: 'sqlite',
      auth: 'svix',
      destinations: { console: 1 },
      routes: 1,
      teamsBot: false,
      slackCommands: false,
      admin: false,
      console: false,
    });
  });

  it('says the slash command is off with a Slack bot but no signing secret, or an empty one (issue 17)', () => {
    for (const slack of [{ botToken: 'xoxb-1' }, { botToken: 'xoxb-1', signingSecret: '' }]) {
      expect(startupSummary(config({ slack })).slackCommands).toBe(false);
    }
  });
});

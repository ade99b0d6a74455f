import { stringify } from 'yaml';
import { ConfigError } from '../../src/config/errors.js';
import type { Environment } from '../../src/config/interpolate-env.js';
import { parseConfigText } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { thrownBy } from '../helpers/thrown-by.js';

/** A real endpoint secret shape: "whsec_" + base64 of 24 bytes. */
export const SECRET = `whsec_${Buffer.from('a test secret, 24 bytes!').toString('base64')}`;

/** Every variable the example configs use, set to something valid. */
export const EXAMPLE_VARIABLES = {
  CREDO_WEBHOOK_SECRET: SECRET,
  CREDO_API_TOKEN: 'credo-api-token',
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99aaa0085a5e',
  TEAMS_APP_ID: '00000000-0000-0000-0000-000000000001',
  TEAMS_APP_PASSWORD: 'teams-password',
  TEAMS_TENANT_ID: '00000000-0000-0000-0000-000000000002',
  TEAMS_WORKFLOW_URL: 'https://prod.workflows.example/hook',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/x',
};

/** The smallest config worth running: one Slack channel that gets every event. */
export const MINIMAL = {
  credo: { auth: { secrets: [SECRET] } },
  slack: { botToken: 'xoxb-test' },
  destinations: { governance: { slack: { channel: 'C0GOVERNANCE' } } },
  routes: [{ to: ['governance'] }],
};

/** Parses a config written as an object, the way a user's YAML would arrive. */
export function parseObject(config: object, env: Environment = {}): Config {
  return parseConfigText(stringify(config), 'test.yaml', env);
}

/** The problems a config is refused with; fails the test if it is accepted. */
export function problemsOf(text: string, env: Environment = {}): readonly string[] {
  return configErrorOf(() => parseConfigText(text, 'test.yaml', env)).problems;
}

export function problemsOfObject(config: object, env: Environment = {}): readonly string[] {
  return problemsOf(stringify(config), env);
}

export function configErrorOf(load: () => unknown): ConfigError {
  return thrownBy(load, ConfigError);
}

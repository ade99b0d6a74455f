import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLACK_EVENTS_PATH } from '../../../src/inbound/slack/slack-events-route.js';

const manifest = parse(readFileSync(new URL('../../../slack-app-manifest.yaml', import.meta.url), 'utf8'));

describe('slack-app-manifest.yaml (issue 17)', () => {
  it('sends /credo and interactivity to the route the server serves', () => {
    const [credo] = manifest.features.slash_commands;

    expect(credo.command).toBe('/credo');
    expect(new URL(credo.url).pathname).toBe(SLACK_EVENTS_PATH);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: credo.url });
  });

  it('asks for the scopes the command uses: commands, and conversations.info for the membership check', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['commands', 'channels:read', 'groups:read']),
    );
  });
});

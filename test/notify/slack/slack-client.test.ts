import { describe, expect, it } from 'vitest';
import { slackClientFor } from '../../../src/notify/slack/slack-client.js';

describe('slackClientFor', () => {
  const options = { botToken: 'xoxb-1-a', apiUrl: 'http://127.0.0.1:9/api/' };

  it('shares one client among all destinations of a token', () => {
    expect(slackClientFor({ ...options })).toBe(slackClientFor({ ...options }));
  });

  it('keeps tokens apart', () => {
    expect(slackClientFor(options)).not.toBe(slackClientFor({ ...options, botToken: 'xoxb-2-b' }));
  });
});

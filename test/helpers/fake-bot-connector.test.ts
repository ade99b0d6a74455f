import { afterEach, describe, expect, it } from 'vitest';
import { type FakeBotConnector, startFakeBotConnector } from './fake-bot-connector.js';

const card = (text: string, entities: unknown[]) => ({
  type: 'message',
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text }],
        msteams: { entities },
      },
    },
  ],
});
const ann = { type: 'mention', text: '<at>Ann</at>', mentioned: { id: 'ann@acme.com', name: 'Ann' } };

/** The fake connector notices what Teams would silently not ping, as a real tenant shows it. */
describe('the fake Teams connector', () => {
  let teams: FakeBotConnector;
  afterEach(() => teams.close());

  it('records an <at> without its mention entity, and an entity without its <at>', async () => {
    teams = await startFakeBotConnector();
    const post = (body: unknown) =>
      fetch(`${teams.serviceUrl}v3/conversations/19%3Ax/activities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post(card('Hello <at>Ann</at>', [ann]));
    expect(teams.mentionProblems).toEqual([]);

    await post(card('Hello <at>Bob</at>', [ann]));
    expect(teams.mentionProblems).toEqual([
      'entity <at>Ann</at> is in no text',
      '<at>Bob</at> has no mention entity',
    ]);
  });
});

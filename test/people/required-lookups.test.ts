import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOHN_ID, type PeopleWorld, STEVEN_ID, startPeopleWorld } from './people-world.js';

/** Issue #16: who a direct message goes to, where a failed lookup is no "nobody". */
let world: PeopleWorld;
beforeEach(async () => {
  world = await startPeopleWorld();
  world.credo.users.set(JOHN_ID, { email: 'john.doe@acme.com', given_name: 'John' });
  world.slack.users.set('john.doe@acme.com', 'U0JOHN');
});
afterEach(() => world.close());

const required = { required: true };
const lookups = () => world.slack.callsTo('users.lookupByEmail');

describe('a lookup a direct message requires', () => {
  it('throws while Slack fails, even in the pause after a failure, and finds them once it answers', async () => {
    world.slack.answerNext('users.lookupByEmail', { status: 503 }, { status: 429, retryAfterSeconds: 1 });
    const { identities } = world.people();

    await expect(identities.resolve(JOHN_ID, {}, 'slack', required)).rejects.toMatchObject({
      retryable: true,
    });
    await expect(identities.resolve(JOHN_ID, {}, 'slack', required)).rejects.toMatchObject({
      retryAfterMs: 1_000,
    });
    const found = await identities.resolve(JOHN_ID, {}, 'slack', required);

    expect(found.slackId).toBe('U0JOHN');
    expect(lookups()).toHaveLength(3);
  });

  it("takes Slack's users_not_found for nobody, and remembers it", async () => {
    world.slack.users.clear();
    const { identities } = world.people();

    expect((await identities.resolve(JOHN_ID, {}, 'slack', required)).slackId).toBeUndefined();
    expect((await identities.resolve(JOHN_ID, {}, 'slack', required)).slackId).toBeUndefined();
    expect(lookups()).toHaveLength(1);
  });

  it('throws while the Credo AI API fails, when only it knows the email', async () => {
    world.credo.setDown(true);
    const { identities } = world.people();

    await expect(identities.resolve(JOHN_ID, {}, 'slack', required)).rejects.toMatchObject({
      code: expect.stringMatching(/^CN_CREDO_API_/),
    });
    // A name is a nicety: with the email in the event, the API's failure costs only the name.
    world.slack.users.set('steven@credo.ai', 'U0STEVEN');
    const steven = await identities.resolve(STEVEN_ID, { email: 'steven@credo.ai' }, 'slack', required);
    expect(steven.slackId).toBe('U0STEVEN');
  });

  it('leaves a lookup that is not required as it was: unknown, and no throw', async () => {
    world.slack.answerNext('users.lookupByEmail', { status: 503 });
    const { identities } = world.people();

    expect((await identities.resolve(JOHN_ID, {}, 'slack')).slackId).toBeUndefined();
  });
});

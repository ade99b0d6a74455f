import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { TeamsCard } from '../../../src/messages.js';
import { PersonUnreachableError } from '../../../src/notify/chat-platform.js';
import { teamsChatPlatform } from '../../../src/notify/teams/teams-chat-platform.js';
import { BOT, teamsActivities } from '../../helpers/fake-bot-connector.js';
import { sample } from '../../render/render-samples.js';
import { mentionEntities, teamsCardProblems } from '../../render/teams-card-problems.js';
import { testRenderer } from '../../render/test-renderer.js';
import { failureOf, refusedUrl } from '../failures.js';
import { startTeamsHarness, type TeamsHarness } from './teams-harness.js';

const renderer = testRenderer();
const RISK_TEAM = { id: '19:risk-general@thread.tacv2', name: 'Risk Review' };
const context = { eventId: 'msg_30zZvVW6oyBt1dtsz9qpdjzqG8m', destination: 'risk-team' };

/** The review comment fixture, John Doe known to Teams by his UPN. */
function commentCard(): TeamsCard {
  return renderer.render('teams', 'use_case_review_comment', {
    ...sample('use_case_review_comment'),
    people: { MMC8qELwNoq9V27Y2cvqHf: { name: 'John Doe', teamsId: 'john.doe@acme.com' } },
  });
}

let harness: TeamsHarness;
beforeEach(async () => {
  harness = await startTeamsHarness();
  harness.teams.addTeam(RISK_TEAM);
  await harness.receive(teamsActivities.addedToTeam(harness.teams.serviceUrl, RISK_TEAM));
  // Forget the welcome card.
  harness.teams.posts.length = 0;
  harness.teams.requests.length = 0;
});
afterEach(() => harness.close());

const notifier = (conversation = 'risk-review/general') => harness.messenger.conversation(conversation);

describe('Teams notifier', () => {
  it('posts the card as a new message in the channel the bot was added to, by alias or id', async () => {
    const card = commentCard();
    const byAlias = await notifier('risk-review/general').send(card, context);
    const byId = await notifier(RISK_TEAM.id).send(card, context);

    expect(harness.teams.posts).toHaveLength(2);
    const [post] = harness.teams.posts;
    expect(post).toMatchObject({
      method: 'POST',
      conversationId: RISK_TEAM.id,
      thread: undefined,
      activityId: undefined,
    });
    expect(post?.body).toMatchObject({
      type: 'message',
      from: { id: BOT.id },
      conversation: { id: RISK_TEAM.id },
      summary: card.fallbackText,
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
    });
    expect(post?.body).not.toHaveProperty('replyToId');
    expect(byAlias).toEqual({ messageId: post?.id, channelId: RISK_TEAM.id });
    expect(byId.messageId).toBe(harness.teams.posts[1]?.id);
  });

  it('delivers mentions Teams can resolve: <at>Name</at> in the text, the entity beside it', async () => {
    await notifier().send(commentCard(), context);

    const [attachment] = (harness.teams.posts[0]?.body.attachments ?? []) as Array<{ content: TeamsCard }>;
    const content = attachment?.content ?? {};
    expect(teamsCardProblems(content)).toEqual([]);
    expect(mentionEntities(content)).toEqual([
      {
        type: 'mention',
        text: '<at>John Doe</at>',
        mentioned: { id: 'john.doe@acme.com', name: 'John Doe' },
      },
    ]);
  });

  it('replies in the thread of a root post, and returns the reply’s own id', async () => {
    const root = await notifier().send(commentCard(), context);
    const reply = await notifier().send(commentCard(), { ...context, threadId: root.messageId });

    const [, replyPost] = harness.teams.posts;
    expect(replyPost).toMatchObject({ conversationId: RISK_TEAM.id, thread: root.messageId });
    expect(replyPost?.body).toMatchObject({
      conversation: { id: `${RISK_TEAM.id};messageid=${root.messageId}` },
    });
    expect(reply.messageId).toBe(replyPost?.id);
    expect(reply.messageId).not.toBe(root.messageId);
  });

  it('replaces an earlier message in place when asked to update it', async () => {
    const root = await notifier().send(commentCard(), context);
    const updated = await notifier().send(commentCard(), { ...context, updateId: root.messageId });

    expect(harness.teams.posts.map((post) => post.method)).toEqual(['POST', 'PUT']);
    expect(harness.teams.posts[1]).toMatchObject({
      activityId: root.messageId,
      body: { id: root.messageId },
    });
    expect(updated.messageId).toBe(root.messageId);
  });

  it('waits, retryably, for the bot to be added to a conversation it does not know yet', async () => {
    const error = await failureOf(notifier('audit-feed').send(commentCard(), context));

    expect(error.retryable).toBe(true);
    expect(error.message).toContain('"audit-feed"');
    expect(harness.teams.posts).toHaveLength(0);
  });

  it('stops posting where the bot was removed: the conversation is gone, not retried', async () => {
    await harness.receive(teamsActivities.removedFromTeam(harness.teams.serviceUrl, RISK_TEAM));
    const error = await failureOf(notifier().send(commentCard(), context));

    expect(error).toMatchObject({ retryable: false, code: 'CN_TEAMS_CONVERSATION_GONE' });
    expect(harness.teams.posts).toHaveLength(0);
  });

  it('refuses to post when no card was rendered: it takes nothing else (checked by tsc)', () => {
    expectTypeOf(notifier().send).parameter(0).toEqualTypeOf<TeamsCard>();
    expect(harness.teams.posts).toHaveLength(0);
  });
});

describe('Teams notifier failures', () => {
  it.each([412, 429, 502, 504])(
    '%i is retryable, honouring Retry-After, after a single call',
    async (status) => {
      harness.teams.answerNext({ status, code: 'Throttled', retryAfterSeconds: 7 });
      const error = await failureOf(notifier().send(commentCard(), context));

      expect(error).toMatchObject({ retryable: true, retryAfterMs: 7_000 });
      expect(error.code).toBe(status === 429 ? 'CN_TEAMS_RATE_LIMITED' : 'CN_TEAMS_UNAVAILABLE');
      expect(error.message).toBe(`Teams answered HTTP ${status} (Throttled)`);
      // The connector client's own retries are off: the worker owns them.
      expect(harness.teams.requests.filter((request) => request.startsWith('POST'))).toHaveLength(1);
    },
  );

  it('makes a 503 without Retry-After retryable with the worker’s backoff, and a 500 final, as Microsoft’s table says', async () => {
    harness.teams.answerNext({ status: 503 }, { status: 500, code: 'ServiceError' });
    const unavailable = await failureOf(notifier().send(commentCard(), context));
    const failed = await failureOf(notifier().send(commentCard(), context));

    expect(unavailable).toMatchObject({ retryable: true, retryAfterMs: undefined });
    expect(failed).toMatchObject({ retryable: false, code: 'CN_TEAMS_FAILED' });
  });

  it.each([
    [404, 'ActivityNotFoundInConversation', 'CN_TEAMS_NOT_FOUND'],
    [400, 'BadSyntax', 'CN_TEAMS_REQUEST_REJECTED'],
    [413, 'MessageSizeTooBig', 'CN_TEAMS_MESSAGE_TOO_LARGE'],
  ])('%i %s is permanent, as %s', async (status, code, cnCode) => {
    harness.teams.answerNext({ status, code });
    const error = await failureOf(notifier().send(commentCard(), context));

    expect(error).toMatchObject({
      code: cnCode,
      retryable: false,
      message: `Teams answered HTTP ${status} (${code})`,
    });
  });

  it.each([
    [403, 'BotNotInConversationRoster'],
    [403, 'ConversationBlockedByUser'],
    [403, 'BotDisabledByAdmin'],
    [404, 'ConversationNotFound'],
  ])('after %i %s, stops posting there until someone there speaks to the bot', async (status, code) => {
    harness.teams.answerNext({ status, code });
    const first = await failureOf(notifier().send(commentCard(), context));
    const second = await failureOf(notifier().send(commentCard(), context));

    for (const error of [first, second]) {
      expect(error).toMatchObject({ code: 'CN_TEAMS_CONVERSATION_GONE', retryable: false });
      expect(error.message).toBe(
        `Teams answered HTTP ${status} (${code}): the bot may not post there until someone adds it back or writes to it`,
      );
    }
    // The first send was refused; the second never reached Teams.
    expect(harness.teams.requests.filter((request) => request.startsWith('POST'))).toHaveLength(1);
    expect((await harness.directory.find('risk-review/general'))?.inactive?.reason).toBe(
      `Teams answered HTTP ${status} (${code})`,
    );

    await harness.receive(
      teamsActivities.mentionedInChannel(harness.teams.serviceUrl, RISK_TEAM, RISK_TEAM, 'help'),
    );
    await notifier().send(commentCard(), context);
    expect(harness.teams.posts).toHaveLength(2); // the help card, then the comment
  });

  it('gives up on a connector that never answers, retryably', async () => {
    await harness.close();
    harness = await startTeamsHarness({ timeoutMs: 200 });
    harness.teams.addTeam(RISK_TEAM);
    await harness.receive(teamsActivities.addedToTeam(harness.teams.serviceUrl, RISK_TEAM));
    harness.teams.answerNext({ hang: true });
    const error = await failureOf(notifier().send(commentCard(), context));

    expect(error).toMatchObject({ retryable: true, message: 'no answer from Teams: timed out' });
  });

  it('makes a refused connection retryable, and leaks nothing of the request', async () => {
    const conversation = await harness.directory.find('risk-review/general');
    const moved = {
      ...conversation,
      reference: { ...conversation?.reference, serviceUrl: await refusedUrl('/') },
    };
    const error = await failureOf(harness.bot.post(moved as NonNullable<typeof conversation>, commentCard()));

    expect(error).toMatchObject({ retryable: true, message: 'no answer from Teams: ECONNREFUSED' });
    expect(error.cause).toBeUndefined();
    expect(inspect(error, { depth: null })).not.toContain('Authorization');
  });
});

describe('direct messages in Teams', () => {
  const ANN = { id: '29:ann-lee', name: 'Ann Lee', aadObjectId: '6b3d0b7a-1111-4222-8333-944445555666' };
  const CHAT = 'a:1personal-chat-with-ann';

  it('finds the personal chat of someone who installed the app, by email, UPN, Entra or Teams id', async () => {
    harness.teams.members.set(ANN.id, {
      ...ANN,
      email: 'ann.lee@acme.com',
      userPrincipalName: 'ann@acme.onmicrosoft.com',
    });
    await harness.receive(teamsActivities.installedForPerson(harness.teams.serviceUrl, ANN, CHAT));

    for (const key of ['Ann.Lee@acme.com', 'ann@acme.onmicrosoft.com', ANN.aadObjectId, ANN.id]) {
      expect((await harness.messenger.findPersonal(key))?.id, key).toBe(CHAT);
    }
    expect(await harness.messenger.findPersonal('someone.else@acme.com')).toBeUndefined();
  });

  it('writes to them there', async () => {
    await harness.receive(teamsActivities.installedForPerson(harness.teams.serviceUrl, ANN, CHAT));
    const chat = await harness.messenger.findPersonal(ANN.id);
    if (!chat) throw new Error('no personal chat captured');
    harness.teams.posts.length = 0;
    const card = renderer.render('teams', 'dm-tagged', sample('use_case_review_comment'));
    const sent = await harness.messenger.sendToPersonal(chat, card);

    expect(harness.teams.posts).toHaveLength(1);
    expect(harness.teams.posts[0]).toMatchObject({
      conversationId: CHAT,
      thread: undefined,
      id: sent.messageId,
    });
    expect(teamsCardProblems(card)).toEqual([]);
  });

  it('lets the people logic find them by email and write to them, as a chat platform', async () => {
    harness.teams.members.set(ANN.id, { ...ANN, email: 'ann.lee@acme.com' });
    await harness.receive(teamsActivities.installedForPerson(harness.teams.serviceUrl, ANN, CHAT));
    harness.teams.posts.length = 0;
    const platform = teamsChatPlatform(harness.messenger);

    // Found by her Entra object id, which pings her in any card; the 29: id is the bot's alone.
    const chatUserId = await platform.directory.findByEmail('ann.lee@acme.com');
    expect(chatUserId).toBe(ANN.aadObjectId);
    const card = renderer.render('teams', 'dm-assigned', sample('use_case_review_task_status_updated'));
    await platform.directMessages(chatUserId ?? '').send(card, context);
    expect(harness.teams.posts.map((post) => post.conversationId)).toEqual([CHAT]);

    expect(await platform.directory.findByEmail('bob@acme.com')).toBeUndefined();
    const error = await failureOf(platform.directMessages('bob@acme.com').send(card, context));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('cannot be reached');
  });

  it('counts someone who blocked the bot as out of reach, not as a failure to retry or dead-letter', async () => {
    await harness.receive(teamsActivities.installedForPerson(harness.teams.serviceUrl, ANN, CHAT));
    const chat = await harness.messenger.findPersonal(ANN.id);
    if (!chat) throw new Error('no personal chat captured');
    harness.teams.answerNext({ status: 403, code: 'ConversationBlockedByUser' });
    const card = renderer.render('teams', 'dm-tagged', sample('use_case_review_comment'));

    const error = await failureOf(harness.messenger.sendToPersonal(chat, card));
    expect(error).toBeInstanceOf(PersonUnreachableError);
    expect(error.message).toContain('ConversationBlockedByUser');
  });
});

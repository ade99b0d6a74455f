import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TeamsCard } from '../../src/messages.js';
import {
  type ConnectorPost,
  type FakeBotConnector,
  startFakeBotConnector,
  teamsActivities,
} from '../helpers/fake-bot-connector.js';
import { loadFixtureEvents } from '../helpers/fixture-events.js';
import { sendSigned } from '../helpers/signed-delivery.js';
import { createTestClock } from '../helpers/test-clock.js';
import {
  eventually,
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from '../helpers/test-server.js';
import { cardTexts, mentionEntities, teamsCardProblems } from '../render/teams-card-problems.js';
import { userTemplatesDir } from '../render/user-templates.js';

const fixtures = loadFixtureEvents();
const RISK_TEAM = { id: '19:risk-general@thread.tacv2', name: 'Risk Review' };

function cardOf(post: ConnectorPost | { attachments?: unknown } | undefined): TeamsCard {
  const body = post && 'body' in post ? post.body : post;
  const [attachment] = ((body as { attachments?: unknown })?.attachments ?? []) as Array<{
    content: TeamsCard;
  }>;
  if (!attachment) throw new Error('no card');
  return attachment.content;
}

/** The whole path: the bot added to a channel, then signed deliveries → route → render → Teams. */
describe('delivery to Microsoft Teams', () => {
  let teams: FakeBotConnector;
  let server: TestServer | undefined;
  beforeEach(async () => {
    teams = await startFakeBotConnector();
    teams.addTeam(RISK_TEAM);
  });
  afterEach(async () => {
    // Every card posted, to a channel or a Workflows URL, pings whom it names.
    expect(teams.mentionProblems).toEqual([]);
    await server?.close();
    await teams.close();
  });

  const start = async (overrides: Record<string, unknown>, options: TestServerOptions = {}) => {
    server = await startTestServer(
      {
        teams: { allowUnauthenticated: true },
        destinations: {
          'risk-team': { teams: { conversation: 'risk-review/general' } },
          'audit-feed': { teamsWorkflow: { url: teams.workflowUrl } },
        },
        ...overrides,
      },
      options,
    );
    // Someone adds the bot to the Risk Review team.
    const added = await fetch(`${server.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer anonymous' },
      body: JSON.stringify(teamsActivities.addedToTeam(teams.serviceUrl, RISK_TEAM)),
    });
    expect(added.status).toBe(200);
    expect(teams.postsIn(RISK_TEAM.id)).toHaveLength(1);
    return server;
  };
  const channelPosts = () => teams.postsIn(RISK_TEAM.id).slice(1);

  it('brings each example event to the channel as a valid Adaptive Card, and the same cards at 1.4 to a Workflows URL', async () => {
    // Workflows posts are paced at 1 per second: on a clock the test moves, not waited out.
    const clock = createTestClock();
    const { webhookUrl } = await start(
      { routes: [{ match: { events: ['*'] }, to: ['risk-team', 'audit-feed'] }] },
      { clock },
    );
    for (const fixture of fixtures) expect((await sendSigned(webhookUrl, fixture.body)).status).toBe(200);

    await clock.advanceUntil(
      () => {
        expect(channelPosts()).toHaveLength(fixtures.length);
        expect(teams.workflowPosts).toHaveLength(fixtures.length);
      },
      { stepMs: 100 },
    );
    const posted = channelPosts().map(cardOf);
    for (const card of posted) expect(teamsCardProblems(card)).toEqual([]);
    for (const fixture of fixtures) {
      const useCaseId = String(fixture.envelope.data.useCaseId);
      expect(
        posted.some((card) => JSON.stringify(card).includes(useCaseId)),
        fixture.name,
      ).toBe(true);
    }
    // Issue 15: the Flow bot displays every Workflows card, and they say what the bot's say.
    const workflowCards = teams.workflowPosts.map(cardOf);
    for (const card of workflowCards) expect(teamsCardProblems(card, '1.4')).toEqual([]);
    expect(teams.workflowUndisplayable).toEqual([]);
    const readable = (cards: TeamsCard[]) => cards.map((card) => cardTexts(card).join('\n')).sort();
    expect(readable(workflowCards)).toEqual(readable(posted));
  });

  it('dead-letters a Workflows card its Flow bot could not display, instead of calling it sent; the bot still gets it', async () => {
    const templates = userTemplatesDir({
      'teams/use_case_review_status_updated.hbs':
        '{ {{> card-properties}}, "body": [{ "type": "Table", "columns": [{ "width": 1 }], "rows": [] }] }',
    });
    const { webhookUrl } = await start({
      templates: { dir: templates },
      routes: [{ match: { events: ['use_case_review_status_updated'] }, to: ['risk-team', 'audit-feed'] }],
    });
    const review = fixtures.find((fixture) => fixture.name === 'use_case_review_status_updated');
    await sendSigned(webhookUrl, review?.body ?? '');

    const store = server?.runtime.store;
    const jobs = await eventually(async () => {
      const all = (await store?.listJobs({})) ?? [];
      expect(all.map((job) => `${job.destination} ${job.state}`).sort()).toEqual([
        'audit-feed dead',
        'risk-team done',
      ]);
      return all;
    });
    const dead = jobs.find((job) => job.state === 'dead');
    expect(dead?.lastError).toContain('CN_TEMPLATE_FAILED');
    expect(dead?.lastError).toContain('not a valid Adaptive Card 1.4');
    expect(teams.workflowPosts).toEqual([]);
    expect(cardOf(channelPosts()[0]).version).toBe('1.5');
  });

  it('has a fake Workflows webhook that takes a 1.5 card with 202 and records it undisplayable, as Teams does', async () => {
    const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x' }] };
    const body = {
      type: 'message',
      attachments: [
        { contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card },
      ],
    };
    const response = await fetch(teams.workflowUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(202);
    expect(teams.workflowUndisplayable).toEqual([{ body, reason: 'card version 1.5, not 1.4 or earlier' }]);
  });

  it('pings the people a card names, when Teams can know them', async () => {
    const { webhookUrl } = await start({
      routes: [{ match: { events: ['use_case_review_comment'] }, to: ['risk-team'] }],
      mentions: { users: { MMC8qELwNoq9V27Y2cvqHf: { teams: 'john.doe@acme.com' } } },
    });
    const comment = fixtures.find((fixture) => fixture.name === 'use_case_review_comment');
    await sendSigned(webhookUrl, comment?.body ?? '');

    const [post] = await eventually(() => {
      expect(channelPosts()).toHaveLength(1);
      return channelPosts();
    });
    const card = cardOf(post);
    expect(cardTexts(card)).toContain('Hello <at>John Doe</at>');
    expect(mentionEntities(card)).toEqual([
      {
        type: 'mention',
        text: '<at>John Doe</at>',
        mentioned: { id: 'john.doe@acme.com', name: 'John Doe' },
      },
    ]);
  });

  it('replies in the review’s thread for later events of that review', async () => {
    const { webhookUrl } = await start({
      routes: [{ match: { events: ['use_case_review_*'] }, to: ['risk-team'], thread: 'review' }],
    });
    const status = fixtures.find((fixture) => fixture.name === 'use_case_review_status_updated');
    const comment = fixtures.find((fixture) => fixture.name === 'use_case_review_comment');
    if (!status || !comment) throw new Error('fixtures missing');
    const sameReview = JSON.stringify({
      ...comment.envelope,
      data: {
        ...comment.envelope.data,
        useCaseId: status.envelope.data.useCaseId,
        reviewId: status.envelope.data.reviewId,
      },
    });

    await sendSigned(webhookUrl, status.body);
    await eventually(() => expect(channelPosts()).toHaveLength(2));
    await sendSigned(webhookUrl, sameReview);
    await eventually(() => expect(channelPosts()).toHaveLength(3));

    const [root, first, second] = channelPosts();
    expect(root?.thread).toBeUndefined();
    expect(JSON.stringify(cardOf(root))).toContain('Review of ZiSPid3wLeXWTe4VTRjbq9');
    expect(first?.thread).toBe(root?.id);
    expect(second?.thread).toBe(root?.id);
    expect(JSON.stringify(cardOf(second))).toContain('Hello **John Doe**');
  });
});

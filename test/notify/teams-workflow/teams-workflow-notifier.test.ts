import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { TeamsCard } from '../../../src/messages.js';
import {
  createTeamsWorkflowNotifier,
  teamsWorkflowKind,
} from '../../../src/notify/teams-workflow/teams-workflow-notifier.js';
import { type FakeBotConnector, startFakeBotConnector } from '../../helpers/fake-bot-connector.js';
import { sample } from '../../render/render-samples.js';
import { testRenderer } from '../../render/test-renderer.js';
import { failureOf, refusedUrl } from '../failures.js';

const renderer = testRenderer();
// What a Workflows destination is given: the card rendered at 1.4, all its Flow bot displays.
const card = renderer.render(
  'teams',
  'use_case_review_status_updated',
  sample('use_case_review_status_updated'),
  teamsWorkflowKind.cardVersion,
);
const context = { eventId: 'msg_30zZvVW6oyBt1dtsz9qpdjzqG8m', destination: 'audit-feed' };

let teams: FakeBotConnector;
beforeEach(async () => {
  teams = await startFakeBotConnector();
});
afterEach(() => teams.close());

describe('Teams Workflows notifier', () => {
  it('takes Adaptive Card 1.4 and posts at most once a second (issue 15)', () => {
    expect(teamsWorkflowKind.cardVersion).toBe('1.4');
    expect(card.version).toBe('1.4');
    expect(teamsWorkflowKind.pacing).toEqual([{ limit: 1, perMs: 1_000 }]);
  });

  it('posts the card in the envelope a Workflows webhook expects, and nothing else', async () => {
    const result = await createTeamsWorkflowNotifier({ url: teams.workflowUrl }).send(card, context);

    expect(teams.workflowPosts).toEqual([
      {
        type: 'message',
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
      },
    ]);
    // A workflow answers 202 and posts later: there is no message to reply under or update.
    expect(result).toEqual({});
  });

  it.each([412, 429, 502, 504])('%i is retryable, honouring Retry-After', async (status) => {
    teams.answerNextWorkflow({ status, retryAfterSeconds: 30 });
    const error = await failureOf(
      createTeamsWorkflowNotifier({ url: teams.workflowUrl }).send(card, context),
    );

    expect(error).toMatchObject({ retryable: true, retryAfterMs: 30_000 });
    expect(error.message).toBe(`the Teams workflow answered HTTP ${status}`);
  });

  it.each([400, 401, 403, 404])('%i is permanent, and the URL’s signature never shows', async (status) => {
    teams.answerNextWorkflow({ status });
    const error = await failureOf(
      createTeamsWorkflowNotifier({ url: teams.workflowUrl }).send(card, context),
    );

    expect(error.retryable).toBe(false);
    expect(inspect(error, { depth: null })).not.toContain('not-a-real-signature');
  });

  it('makes a refused connection retryable, without quoting the URL', async () => {
    const url = await refusedUrl('/workflows/x?sig=not-a-real-signature');
    const error = await failureOf(createTeamsWorkflowNotifier({ url }).send(card, context));

    expect(error).toMatchObject({
      retryable: true,
      message: 'no answer from the Teams workflow: ECONNREFUSED',
    });
    expect(inspect(error, { depth: null })).not.toContain('not-a-real-signature');
  });

  it('gives up on a workflow that never answers, retryably', async () => {
    teams.answerNextWorkflow({ hang: true });
    const notifier = createTeamsWorkflowNotifier({ url: teams.workflowUrl, timeoutMs: 200 });
    const error = await failureOf(notifier.send(card, context));

    expect(error).toMatchObject({ retryable: true, message: 'no answer from the Teams workflow: timed out' });
  });

  it('refuses to post when no card was rendered: it takes nothing else (checked by tsc)', () => {
    const notifier = createTeamsWorkflowNotifier({ url: teams.workflowUrl });
    expectTypeOf(notifier.send).parameter(0).toEqualTypeOf<TeamsCard>();
    expect(teams.requests).toHaveLength(0);
  });
});

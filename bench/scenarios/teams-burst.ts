import { setTimeout as realSleep } from 'node:timers/promises';
import { TEAMS_BOT_PACING } from '../../src/notify/pacing.js';
import { createConversationDirectory } from '../../src/notify/teams/conversations.js';
import { BOT, startFakeBotConnector, TENANT_ID } from '../../test/helpers/fake-bot-connector.js';
import { loadFixtureEvents } from '../../test/helpers/fixture-events.js';
import { sendSigned } from '../../test/helpers/signed-delivery.js';
import { createTestClock } from '../../test/helpers/test-clock.js';
import { startTestServer } from '../../test/helpers/test-server.js';

export interface TeamsBurstFigures {
  events: number;
  posted: number;
  /** Calls the fake connector answered 429: a window was full. */
  rateLimited: number;
  /** Virtual seconds from the first post to the last. */
  seconds: number;
  /** Posts per second over the whole 30-s windows from the first post, against 60 per 30 s. */
  ratePerSecond: number;
  shareOf60Per30s: number;
  /** Real seconds the run took. */
  wallSeconds: number;
}

const CONVERSATION = '19:risk-general@thread.tacv2';
/** Virtual time moved per step; real I/O (HTTP to the fake, the store) runs between steps. */
const STEP_MS = 100;

/**
 * Issue #11: a burst of `events` to one Teams conversation, against a fake connector counting
 * Teams' real windows (7/1 s, 8/2 s, 60/30 s, 1,800/h) and answering 429 past one. The worker,
 * the bot's pace and the fake all keep time by one test clock, moved on virtually: the ~8
 * minutes Teams' windows take for 1,000 posts pass in a few of real time. The rate counts the
 * posts in whole 30-s windows from the first post: perfect pacing puts 60 in each, 100 %.
 */
export async function measureTeamsBurst(events: number): Promise<TeamsBurstFigures> {
  const started = Date.now();
  const clock = createTestClock();
  const teams = await startFakeBotConnector({ rateWindows: TEAMS_BOT_PACING, now: clock.now });
  const server = await startTestServer(
    {
      teams: { allowUnauthenticated: true },
      destinations: { risk: { teams: { conversation: CONVERSATION } } },
      routes: [{ match: { events: ['*'] }, to: ['risk'] }],
    },
    { clock },
  );
  try {
    // The bot was added there earlier: its welcome card is out of every window.
    await createConversationDirectory(server.runtime.store, clock).remember({
      id: CONVERSATION,
      kind: 'channel',
      name: 'General',
      teamName: 'Risk Review',
      tenantId: TENANT_ID,
      user: null,
      reference: {
        serviceUrl: teams.serviceUrl,
        channelId: 'msteams',
        bot: BOT,
        conversation: { id: CONVERSATION },
      },
      aliases: ['risk-review/general'],
    });
    const comment = loadFixtureEvents().find((fixture) => fixture.name === 'use_case_review_comment');
    for (let i = 0; i < events; i += 1) {
      const answer = await sendSigned(server.webhookUrl, comment?.body ?? '');
      if (answer.status !== 200) throw new Error(`delivery ${i} answered ${answer.status}`);
    }
    // Up to twice the ideal time, virtually; a stuck run ends after 10 real minutes.
    const virtualLimit = clock.now() + 2 * (events / 2) * 1000 + 60_000;
    while (teams.posts.length < events && clock.now() < virtualLimit && Date.now() - started < 600_000) {
      await clock.advance(STEP_MS);
      await realSleep(1);
    }
    const times = teams.posts.map((post) => post.at);
    const first = times[0] ?? 0;
    const seconds = ((times.at(-1) ?? 0) - first) / 1000;
    const windowMs = 30_000 * Math.floor(seconds / 30);
    const inWindows = times.filter((at) => at < first + windowMs).length;
    const ratePerSecond = windowMs > 0 ? inWindows / (windowMs / 1000) : 0;
    return {
      events,
      posted: teams.posts.length,
      rateLimited: teams.throttled,
      seconds,
      ratePerSecond,
      shareOf60Per30s: ratePerSecond / 2,
      wallSeconds: (Date.now() - started) / 1000,
    };
  } finally {
    await server.close();
    await teams.close();
  }
}

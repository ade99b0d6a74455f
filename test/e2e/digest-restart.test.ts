import { writeFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FakeSlackMessage } from '../helpers/fake-slack.js';
import { processConfigHead, processWithFakeSlack } from '../helpers/process-with-fake-slack.js';
import { testTimingEnv } from '../helpers/server-process.js';
import { sendSigned } from '../helpers/signed-delivery.js';
import { eventually } from '../helpers/test-server.js';

/**
 * Issue 18: a held window lives in the store, so a `kill -9` loses none of it and the digest goes
 * once. A real process cannot share the test's clock: its window is the shortest a config may
 * set, 10 s, and the test waits for it in real time (the one wall-clock wait here, and what it
 * checks is exactly-once, not the timing). A short pace and backoff, which are not what is tested.
 */
const WINDOW_SECONDS = 10;
const CONFIG = `${processConfigHead()}mentions: { directMessages: { taggedUsers: false, taskAssignees: false } }
destinations:
  governance: { slack: { channel: C0GOVERNANCE } }
routes:
  - match: { events: ["*"] }
    to: [governance]
    digest: { windowSeconds: ${WINDOW_SECONDS} }
`;
const FAST_PACE = testTimingEnv({
  pacing: [{ limit: 1, perMs: 50 }],
  backoff: { baseMs: 100, factor: 2, capMs: 1_000 },
});

const fieldUpdate = (index: number) =>
  JSON.stringify({
    type: 'CredoAI.use_case_custom_field_updated',
    data: {
      useCaseId: 'QHG9s995aVztB6Xc3caXyW',
      customFieldId: `cf${index}`,
      customFieldName: `Control ${index}`,
      value: `Level ${index}`,
    },
  });
const controlsIn = (message: FakeSlackMessage) =>
  [...`${message.text} ${JSON.stringify(message.blocks)}`.matchAll(/Control (\d+): Level/g)].map((m) =>
    Number(m[1]),
  );

describe('a held window across kill -9 (issue 18)', () => {
  const world = processWithFakeSlack();
  beforeEach(() => {
    writeFileSync(world.configPath, CONFIG);
  });

  it('loses no held event and sends the digest once, though the process dies while holding it and again while sending it', {
    timeout: 60_000,
  }, async () => {
    let server = await world.start(FAST_PACE);
    const webhook = `${server.url}/webhooks/credo`;
    expect((await sendSigned(webhook, fieldUpdate(0))).status).toBe(200);
    await eventually(() => expect(world.slack.messages).toHaveLength(1));
    for (let i = 1; i <= 4; i += 1) expect((await sendSigned(webhook, fieldUpdate(i))).status).toBe(200);
    await eventually(() =>
      expect(server.lines.filter((line) => line.includes('"msg":"held for a digest"'))).toHaveLength(4),
    );
    // Dies while the four are held.
    await server.kill();

    // The window closes with the next process, whose post of the digest Slack never answers: it
    // dies mid-send.
    world.slack.answerNext('chat.postMessage', { hang: true });
    server = await world.start(FAST_PACE);
    await eventually(
      () => expect(world.slack.callsTo('chat.postMessage')).toHaveLength(2),
      2 * WINDOW_SECONDS * 1000,
    );
    await server.kill();

    server = await world.start(FAST_PACE);
    const [, digest] = await eventually(() => {
      expect(world.slack.messages).toHaveLength(2);
      return world.slack.messages;
    }, 20_000);
    expect(controlsIn(digest as FakeSlackMessage)).toEqual([1, 2, 3, 4]);
    // Once, and nothing held is left for another digest.
    await eventually(() =>
      expect(server.lines.filter((line) => line.includes('"msg":"delivered"')).length).toBeGreaterThan(0),
    );
    expect(world.slack.messages.map(controlsIn)).toEqual([[0], [1, 2, 3, 4]]);
  });
});

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fixtureEvent } from '../helpers/fixture-events.js';
import { processConfigHead, processWithFakeSlack } from '../helpers/process-with-fake-slack.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { sendSigned, TEST_SECRET } from '../helpers/signed-delivery.js';
import { eventually } from '../helpers/test-server.js';
import { parsePrometheusText, sampleValue } from '../metrics/prometheus-text.js';

const TASK_DELETED = fixtureEvent('use_case_review_task_deleted').body;

/** A config as a user writes it; `destination` is what the one route sends to. */
const configText = (
  destination: string,
  extra = '',
) => `${processConfigHead({ eventTypeSuffix: 'v1' })}destinations:
  team: ${destination}
routes:
  - match: { events: ["*"] }
    to: [team]
mentions: { directMessages: { taggedUsers: false, taskAssignees: false } }
templates: { dir: "\${TEMPLATES_DIR}" }
${extra}
`;
const slackChannel = (channel: string) => `{ slack: { channel: ${channel} } }`;

const isLog = (message: string) => (line: string) => line.includes(`"msg":"${message}"`);
const RELOADED = 'config reloaded';
const REFUSED = 'config reload refused, the running config stays: fix the problems and save again';

describe('config reload in a running server', () => {
  const world = processWithFakeSlack();
  let templatesDir: string;

  beforeEach(() => {
    templatesDir = join(world.dir, 'templates');
    mkdirSync(join(templatesDir, 'slack'), { recursive: true });
  });

  const start = async (text: string) => {
    writeFileSync(world.configPath, text);
    return world.start({ TEMPLATES_DIR: templatesDir });
  };
  const count = (running: ServerProcess, message: string) => running.lines.filter(isLog(message)).length;
  /** Waits for the n-th log line with this message. */
  const waitForNth = (running: ServerProcess, message: string, n: number) =>
    eventually(() => expect(count(running, message)).toBeGreaterThanOrEqual(n), 15_000);
  const deliverAndSeeChannel = async (running: ServerProcess) => {
    const before = world.slack.callsTo('chat.postMessage').length;
    expect((await sendSigned(`${running.url}/webhooks/credo`, TASK_DELETED)).status).toBe(200);
    const post = await eventually(() => {
      const posts = world.slack.callsTo('chat.postMessage');
      expect(posts).toHaveLength(before + 1);
      return posts[before];
    });
    return post?.body.channel;
  };

  it('applies a config saved to its file, without a restart, and says which settings wait for one', async () => {
    const running = await start(configText(slackChannel('C0ALPHA')));
    expect(await deliverAndSeeChannel(running)).toBe('C0ALPHA');

    writeFileSync(
      world.configPath,
      configText(slackChannel('C0BETA')).replace('port:', 'bodyLimitBytes: 2048, port:'),
    );
    await waitForNth(running, RELOADED, 1);

    expect(await deliverAndSeeChannel(running)).toBe('C0BETA');
    const warning = JSON.parse(
      running.lines.find(isLog('config reloaded, but these settings apply only at the next restart')) ?? '{}',
    );
    expect(warning).toMatchObject({ trigger: 'file change', keys: ['server'] });
  });

  it('refuses a config with problems, logs each of them, and keeps delivering with the old one', async () => {
    const running = await start(configText(slackChannel('C0ALPHA')));

    writeFileSync(
      world.configPath,
      configText('{ slack: { chanel: C0BETA } }').replace('to: [team]', 'to: [teem]'),
    );
    const refused = JSON.parse(await running.waitForLine(isLog(REFUSED)));

    expect(refused.trigger).toBe('file change');
    expect(refused.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('destinations.team.slack.chanel: unknown key; did you mean "channel"?'),
        expect.stringContaining('routes[0].to[0]: unknown destination "teem"'),
      ]),
    );
    expect(count(running, RELOADED)).toBe(0);
    expect(await deliverAndSeeChannel(running)).toBe('C0ALPHA');
    const metrics = parsePrometheusText(await (await fetch(`${running.url}/metrics`)).text());
    expect(sampleValue(metrics, 'credo_notify_config_reloads_total', { result: 'refused' })).toBe(1);
  });

  it('reloads the templates on SIGHUP, and refuses a template that does not compile', async () => {
    const template = join(templatesDir, 'slack', 'use_case_review_task_deleted.hbs');
    const wording = (words: string) =>
      `{ "text": "${words} {{useCase.label}}", "blocks": [{ "type": "section", "text": { "type": "mrkdwn", "text": "${words}" } }] }`;
    writeFileSync(template, wording('first wording'));
    const running = await start(configText(slackChannel('C0ALPHA')));
    const textOfNextPost = async () => {
      await deliverAndSeeChannel(running);
      return world.slack.callsTo('chat.postMessage').at(-1)?.body.text;
    };
    expect(await textOfNextPost()).toBe('first wording ZiSPid3wLeXWTe4VTRjbq9');

    writeFileSync(template, wording('second wording'));
    running.child.kill('SIGHUP');
    await waitForNth(running, RELOADED, 1);
    expect(await textOfNextPost()).toBe('second wording ZiSPid3wLeXWTe4VTRjbq9');

    writeFileSync(template, '{ "text": "{{#if}}" }');
    running.child.kill('SIGHUP');
    const refused = JSON.parse(await running.waitForLine(isLog(REFUSED)));
    expect(refused.trigger).toBe('SIGHUP');
    expect(refused.problems.join('\n')).toContain('use_case_review_task_deleted');
    expect(await textOfNextPost()).toBe('second wording ZiSPid3wLeXWTe4VTRjbq9');
  });

  it('refuses new OAuth token settings, which only a restart can give the token endpoint', async () => {
    const withOAuth = (signingKey: string) =>
      configText(slackChannel('C0ALPHA')).replace(
        `auth: { method: svix, secrets: ["${TEST_SECRET}"] }`,
        `auth: { method: oauth, oauth: { payload: { key: credo-key-of-at-least-32-bytes-0123 }, signingKey: ${signingKey} } }`,
      );
    const running = await start(withOAuth('first-signing-key-0123456789abcdef'));

    writeFileSync(world.configPath, withOAuth('second-signing-key-0123456789abcdef'));
    const refused = JSON.parse(await running.waitForLine(isLog(REFUSED)));

    expect(refused.problems).toEqual([
      'credo.auth.oauth: the /oauth/token endpoint is set up at start; restart credo-notify to change it',
    ]);
    expect(JSON.stringify(running.lines)).not.toContain('second-signing-key');
  });

  it('answers every request that arrives during reloads', async () => {
    const console = '{ console: {} }';
    const running = await start(configText(console));
    const webhook = `${running.url}/webhooks/credo`;

    let reloading = true;
    const reloads = (async () => {
      for (let i = 0; reloading; i++) {
        // Saved as editors do (a new file renamed over the old one), so no reload can read it half written.
        writeFileSync(`${world.configPath}.tmp`, configText(i % 2 === 0 ? slackChannel('C0OTHER') : console));
        renameSync(`${world.configPath}.tmp`, world.configPath);
        running.child.kill('SIGHUP');
        // A reload compiles every template (tens of ms): far more often than any operator would.
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    })();
    const answers: Array<{ status: number; body: { status?: string } }> = [];
    try {
      // Waves go on until three reloads have landed among them: on a fast machine five waves can
      // finish before the second SIGHUP, and then the test would prove nothing about reloads.
      for (let wave = 0; wave < 5 || (count(running, RELOADED) < 3 && wave < 100); wave++) {
        const batch = Array.from({ length: 20 }, async () => {
          const response = await sendSigned(webhook, TASK_DELETED);
          return { status: response.status, body: (await response.json()) as { status?: string } };
        });
        answers.push(...(await Promise.all(batch)));
      }
    } finally {
      reloading = false;
      await reloads;
    }

    expect(answers.length).toBeGreaterThanOrEqual(100);
    expect(answers.filter((a) => a.status !== 200 || a.body.status !== 'accepted')).toEqual([]);
    expect(count(running, RELOADED)).toBeGreaterThanOrEqual(3);
    expect(count(running, REFUSED)).toBe(0);
  });
});

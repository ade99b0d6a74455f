import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixtureEvent } from '../helpers/fixture-events.js';
import { serverWithFakeSlack } from '../helpers/server-with-fake-slack.js';
import { sendSigned } from '../helpers/signed-delivery.js';
import { parsePrometheusText, type Sample, sampleValue } from './prometheus-text.js';

const COMMENT = fixtureEvent('use_case_review_comment').body;
const STATUS = fixtureEvent('use_case_review_status_updated').body;
const TASK_DELETED = fixtureEvent('use_case_review_task_deleted').body;
/** A type this version does not know: accepted and counted as `unknown`. */
const OWNER_UPDATED = readFileSync(
  new URL('../../samples/events/variants/use_case_owner_updated.json', import.meta.url),
  'utf8',
);
const WRONG_SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;

describe('GET /metrics', () => {
  // A backoff and the age of a waiting job pass on a clock the test moves.
  const world = serverWithFakeSlack({ testClock: true });
  const advanceUntil = <T>(check: () => Promise<T>) => world.clock.advanceUntil(check, { stepMs: 100 });
  const start = () =>
    world.start({
      // One channel per kind of event, so pacing never holds one back behind another.
      destinations: {
        reviews: { slack: { channel: 'C0REVIEWS' } },
        decisions: { slack: { channel: 'C0DECISIONS' } },
        tasks: { slack: { channel: 'C0TASKS' } },
        governance: { slack: { channel: 'C0GOVERNANCE' } },
      },
      routes: [
        { match: { events: ['use_case_review_comment'] }, to: ['reviews'] },
        { match: { events: ['use_case_review_status_updated'] }, to: ['decisions'] },
        { match: { events: ['use_case_review_task_deleted'] }, to: ['tasks'] },
        { match: { events: ['*'] }, to: ['governance'] },
      ],
      mentions: { directMessages: { taggedUsers: false, taskAssignees: false } },
    });

  const scrape = async (): Promise<Sample[]> => {
    const response = await fetch(`${world.server.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    return parsePrometheusText(await response.text());
  };
  const jobs = (samples: Sample[], destination: string, outcome: string) =>
    sampleValue(samples, 'credo_notify_jobs_total', { destination, outcome });
  const received = (samples: Sample[], labels: Record<string, string>) =>
    sampleValue(samples, 'credo_notify_deliveries_received_total', labels);

  it('counts what a scripted sequence of deliveries did, by type, outcome, reason and destination', async () => {
    const server = await start();
    const url = server.webhookUrl;

    expect((await sendSigned(url, COMMENT, { id: 'msg_comment' })).status).toBe(200);
    await advanceUntil(async () => expect(jobs(await scrape(), 'reviews', 'sent')).toBe(1));
    expect((await sendSigned(url, COMMENT, { id: 'msg_comment' })).status).toBe(200);
    expect((await sendSigned(url, COMMENT, { secret: WRONG_SECRET })).status).toBe(401);
    expect((await sendSigned(url, '{"type": "CredoAI.use_case_review_comment.v1",')).status).toBe(400);

    world.slack.answerNext('chat.postMessage', { status: 503 });
    await sendSigned(url, STATUS);
    await advanceUntil(async () => expect(jobs(await scrape(), 'decisions', 'sent')).toBe(1));

    world.slack.answerNext('chat.postMessage', { error: 'channel_not_found' });
    await sendSigned(url, TASK_DELETED);
    await advanceUntil(async () => expect(jobs(await scrape(), 'tasks', 'dead_lettered')).toBe(1));

    await sendSigned(url, OWNER_UPDATED);
    await advanceUntil(async () => expect(jobs(await scrape(), 'governance', 'sent')).toBe(1));

    const samples = await scrape();
    expect(received(samples, { type: 'use_case_review_comment', outcome: 'accepted' })).toBe(1);
    expect(received(samples, { type: 'use_case_review_comment', outcome: 'duplicate' })).toBe(1);
    expect(received(samples, { outcome: 'rejected', reason: 'auth', code: 'CN_SIGNATURE_INVALID' })).toBe(1);
    expect(
      received(samples, { outcome: 'rejected', reason: 'malformed', code: 'CN_BODY_INVALID_JSON' }),
    ).toBe(1);
    expect(received(samples, { type: 'use_case_review_status_updated', outcome: 'accepted' })).toBe(1);
    expect(received(samples, { type: 'unknown', outcome: 'accepted' })).toBe(1);
    expect(jobs(samples, 'decisions', 'retried')).toBe(1);
    expect(jobs(samples, 'tasks', 'sent')).toBeUndefined();
    // One latency observation per message sent, none for the dead letter.
    for (const destination of ['reviews', 'decisions', 'governance']) {
      expect(sampleValue(samples, 'credo_notify_delivery_latency_seconds_count', { destination })).toBe(1);
    }
    expect(
      sampleValue(samples, 'credo_notify_delivery_latency_seconds_count', { destination: 'tasks' }),
    ).toBe(undefined);
    expect(sampleValue(samples, 'credo_notify_dead_letters')).toBe(1);
    expect(sampleValue(samples, 'credo_notify_queue_jobs', { state: 'pending' })).toBe(0);
    expect(sampleValue(samples, 'credo_notify_queue_oldest_job_age_seconds')).toBe(0);
    expect(world.slack.callsTo('chat.postMessage')).toHaveLength(5);
  });

  it('shows a job waiting on a rate limit in the queue depth and the age of the oldest job', async () => {
    const server = await start();
    world.slack.answerNext('chat.postMessage', { status: 429, retryAfterSeconds: 120 });
    await sendSigned(server.webhookUrl, COMMENT);

    const samples = await advanceUntil(async () => {
      const scraped = await scrape();
      expect(jobs(scraped, 'reviews', 'retried')).toBe(1);
      expect(sampleValue(scraped, 'credo_notify_queue_oldest_job_age_seconds')).toBeGreaterThan(0);
      return scraped;
    });
    expect(sampleValue(samples, 'credo_notify_queue_jobs', { state: 'pending' })).toBe(1);
    expect(sampleValue(samples, 'credo_notify_queue_jobs', { state: 'running' })).toBe(0);
    expect(sampleValue(samples, 'credo_notify_dead_letters')).toBe(0);
    expect(jobs(samples, 'reviews', 'sent')).toBeUndefined();
  });

  it('serves the process metrics too, under the same prefix', async () => {
    await start();
    const samples = await scrape();
    expect(sampleValue(samples, 'credo_notify_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('gives the delay of the event loop, not its sampling interval: an idle server is not a second behind', async () => {
    await start();
    // Node samples the loop once a second here (its own timer, not the test clock): wait for two.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const samples = await scrape();
    const p99 = sampleValue(samples, 'credo_notify_nodejs_eventloop_lag_p99_seconds');
    expect(p99).toBeGreaterThanOrEqual(0);
    expect(p99).toBeLessThan(0.5);
    expect(
      samples.filter((sample) => sample.name === 'credo_notify_nodejs_eventloop_lag_p99_seconds'),
    ).toHaveLength(1);
  });
});

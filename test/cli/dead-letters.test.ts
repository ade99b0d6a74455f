import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { loadFixtureEvents } from '../helpers/fixture-events.js';
import { TEST_SECRET } from '../helpers/signed-delivery.js';
import { runCli } from './run-cli.js';

const comment = loadFixtureEvents().find((f) => f.name === 'use_case_review_comment');
const RECEIVED_AT = Date.parse('2026-11-27T15:04:05Z');

/** `credo-notify dead-letters ...` as a user types it, on a store that holds two dead letters. */
describe('credo-notify dead-letters', () => {
  let dir: string;
  let configPath: string;
  let store: Store;
  let ids: number[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'credo-notify-cli-'));
    const dbPath = join(dir, 'store.db');
    configPath = join(dir, 'credo-notify.yaml');
    writeFileSync(
      configPath,
      [
        `store: { url: "sqlite:${dbPath}" }`,
        `credo: { auth: { secrets: ["${TEST_SECRET}"] } }`,
        'destinations: { governance: { console: {} }, audit: { console: {} } }',
        'routes: [{ match: { events: ["*"] }, to: [governance, audit] }]',
      ].join('\n'),
    );
    store = createSqliteStore({ path: dbPath });
    await store.migrate();
    await store.acceptEvent(
      {
        id: 'msg_dead',
        type: 'use_case_review_comment',
        rawType: comment?.envelope.type ?? '',
        payload: comment?.envelope,
        receivedAt: RECEIVED_AT,
      },
      [
        { destination: 'governance', spec: { kind: 'route', route: 'routes[0]', thread: 'none' } },
        { destination: 'audit', spec: { kind: 'route', route: 'routes[0]', thread: 'none' } },
      ],
    );
    const claimed = await store.claimJobs({ now: RECEIVED_AT, limit: 10, leaseMs: 60_000 });
    for (const job of claimed) await store.deadLetterJob(job.id, `channel_not_found (${job.destination})`);
    ids = claimed.map((job) => job.id).sort((a, b) => a - b);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runCli(['dead-letters', ...args, '--config', configPath]);

  it('lists dead letters as a table: id, destination, event type, when, attempts, last error', async () => {
    const { code, stdout } = await cli('list');

    expect(code).toBe(0);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+DESTINATION\s+EVENT TYPE\s+RECEIVED\s+ATTEMPTS\s+LAST ERROR$/);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.split(/\s{2,}/)).toEqual([
      String(ids[0]),
      'governance',
      'use_case_review_comment',
      '2026-11-27T15:04:05.000Z',
      '1',
      'channel_not_found (governance)',
    ]);
  });

  it('lists as JSON for scripts, and honours --limit', async () => {
    const { stdout } = await cli('list', '--json', '--limit', '1');

    expect(JSON.parse(stdout)).toEqual([
      {
        id: ids[0],
        destination: 'governance',
        eventId: 'msg_dead',
        type: 'use_case_review_comment',
        attempts: 1,
        lastError: 'channel_not_found (governance)',
        receivedAt: '2026-11-27T15:04:05.000Z',
      },
    ]);
  });

  it('shows one with the Credo AI event it carries', async () => {
    const { code, stdout } = await cli('show', String(ids[1]));

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      id: ids[1],
      destination: 'audit',
      payload: comment?.envelope,
    });
  });

  it('retries one: it is back in the queue, due now, with a fresh attempt count', async () => {
    const { code, stdout } = await cli('retry', String(ids[0]));

    expect(code).toBe(0);
    expect(stdout).toContain(`Dead letter ${ids[0]} is back in the queue`);
    const job = await store.getJob(ids[0] ?? -1);
    expect(job).toMatchObject({ state: 'pending', attempts: 0 });
    expect((await store.getJob(ids[1] ?? -1))?.state).toBe('dead');
  });

  it('retries all of them with --all', async () => {
    const { stdout } = await cli('retry', '--all');

    expect(stdout).toContain('2 dead letters are back in the queue');
    expect((await store.listJobs({ state: 'pending' })).map((job) => job.id)).toEqual(ids);
  });

  it('drops one for good, and the other stays', async () => {
    const { code, stdout } = await cli('drop', String(ids[0]));

    expect(code).toBe(0);
    expect(stdout).toBe(`Dropped dead letter ${ids[0]}.\n`);
    expect(await store.getJob(ids[0] ?? -1)).toBeUndefined();
    expect((await store.listJobs({ state: 'dead' })).map((job) => job.id)).toEqual([ids[1]]);
  });

  it('says what is wrong, exit 1, for an unknown id, a bad id, or retry without a target', async () => {
    // Four processes at once: none of them changes the store.
    const [unknown, bad, noTarget, both] = await Promise.all([
      cli('drop', '999'),
      cli('show', 'abc'),
      cli('retry'),
      cli('retry', String(ids[0]), '--all'),
    ]);

    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toContain('no dead letter 999 in sqlite:');
    expect(bad.stderr).toContain('a dead letter id is a whole number, got "abc"');
    expect(noTarget.stderr).toContain('give the id of a dead letter');
    expect(both.stderr).toContain('not both');
    for (const result of [bad, noTarget, both]) expect(result.code).toBe(1);
    expect(await store.listJobs({ state: 'dead' })).toHaveLength(2);
  });

  it('says so when there is nothing to list, naming the store it looked in', async () => {
    for (const id of ids) await store.deleteJob(id);

    const { code, stdout } = await cli('list');

    expect(code).toBe(0);
    expect(stdout).toBe(`No dead letters in sqlite:${join(dir, 'store.db')}.\n`);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { EventType } from '../src/events/event-types.js';
import { openStore } from '../src/store/open-store.js';
import type { NewEvent, NewJob } from '../src/store/store.js';
import { startServerProcess } from '../test/helpers/server-process.js';
import { postgresTarget, type StoreTarget, sqliteTarget } from './stores.js';

/**
 * `npm run bench:console`: how fast the console's deliveries view answers with 100,000 events
 * stored, over HTTP from the real server process, for the first page, a page deep in the past
 * and each filter; and what the first page weighs on the wire. `--store sqlite|postgres|both`.
 */

const EVENTS = 100_000;
const DESTINATIONS = 20;
const REPEATS = 30;
const T0 = Date.parse('2026-11-01T00:00:00Z');
const TOKEN = 'bench-console-token-0123456789';
/** A realistic mix: mostly comments and status changes, a few rarer types. */
const TYPES: EventType[] = [
  'use_case_review_comment',
  'use_case_review_comment',
  'use_case_review_status_updated',
  'use_case_review_task_status_updated',
  'use_case_custom_field_updated',
  'use_case_description_updated',
  'use_case_review_comment',
  'use_case_review_task_deleted',
  'use_case_review_comment',
  'use_case_icon_updated',
];

const eventAt = (i: number): NewEvent => {
  const type = TYPES[i % TYPES.length] ?? 'use_case_review_comment';
  const data = {
    useCaseId: `UseCase${String(i % 500).padStart(15, '0')}`,
    reviewId: `Review${String(i % 5_000).padStart(16, '0')}`,
    user: { userId: `User${i % 50}`, givenName: 'Jane', familyName: `Doe ${i % 50}` },
    comment: `Comment ${i}: please look at the risk assessment before Friday.`,
  };
  return {
    id: `msg_bench_${i}`,
    type,
    rawType: `CredoAI.${type}`,
    payload: { type, data },
    receivedAt: T0 + i * 1_000,
  };
};

const jobsOf = (i: number): NewJob[] => {
  const route = { kind: 'route', route: 'all', thread: 'review' } as const;
  const first = { destination: `channel-${i % DESTINATIONS}`, spec: route };
  return i % 10 === 0 ? [first, { destination: `channel-${(i + 7) % DESTINATIONS}`, spec: route }] : [first];
};

/** 100,000 events through the store's own accept path, then their jobs settled: 2 % dead, the rest sent. */
async function fill(url: string): Promise<void> {
  const store = openStore(url);
  await store.migrate();
  for (let start = 0; start < EVENTS; start += 1_000) {
    const batch = Array.from({ length: 1_000 }, (_, k) => start + k);
    await Promise.all(batch.map((i) => store.acceptEvent(eventAt(i), jobsOf(i))));
  }
  await store.close();
  const settle = [
    `UPDATE jobs SET state = 'done', attempts = 1, posted = '{"messageId":"1.1","channelId":"C1"}' WHERE id % 50 <> 0`,
    `UPDATE jobs SET state = 'dead', attempts = 15, last_error = 'channel_not_found' WHERE id % 50 = 0`,
  ];
  if (url.startsWith('sqlite:')) {
    const db = new Database(url.slice('sqlite:'.length));
    for (const sql of settle) db.exec(sql);
    db.close();
  } else {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    for (const sql of settle) await client.query(sql);
    await client.query('ANALYZE');
    await client.end();
  }
}

const config = (storeUrl: string) => `server: { host: 127.0.0.1, port: 0 }
store: { url: "${storeUrl}" }
credo: { auth: { method: none } }
destinations:
${Array.from({ length: DESTINATIONS }, (_, i) => `  channel-${i}: { slackWebhook: { url: "http://127.0.0.1:9/hook" } }`).join('\n')}
routes:
  - match: { events: ["*"] }
    to: [channel-0]
admin: { token: "${TOKEN}" }
`;

async function signIn(base: string): Promise<string> {
  const form = await fetch(`${base}/console/sign-in`);
  const nonceCookie = form.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  const nonce = (await form.text()).match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
  const answer = await fetch(`${base}/console/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: nonceCookie },
    body: new URLSearchParams({ _csrf: nonce, token: TOKEN }).toString(),
    redirect: 'manual',
  });
  return answer.headers.getSetCookie()[0]?.split(';')[0] ?? '';
}

const VIEWS: Array<[string, string]> = [
  ['first page, no filter', ''],
  ['page 1,000 (50,000 events back)', `?before=${T0 + 50_000 * 1_000}:msg_bench_50000`],
  ['review id (20 events)', '?review=Review0000000000001234'],
  ['use case id (200 events)', '?useCase=UseCase000000000000123'],
  ['event type, 10 %', '?type=use_case_icon_updated'],
  ['status dead, 2 %', '?state=dead'],
  ['destination', '?destination=channel-3'],
  ['status dead to one destination', '?state=dead&destination=channel-3'],
  ['event id', '?event=msg_bench_77777'],
];

async function measure(target: StoreTarget): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'credo-notify-bench-console-'));
  try {
    const url = await target.fresh(dir);
    const filling = Date.now();
    await fill(url);
    process.stdout.write(
      `${target.kind}: ${EVENTS.toLocaleString('en')} events stored in ${((Date.now() - filling) / 1000).toFixed(0)} s\n`,
    );
    writeFileSync(join(dir, 'credo-notify.yaml'), config(url));
    const server = await startServerProcess({
      configPath: join(dir, 'credo-notify.yaml'),
      env: { LOG_LEVEL: 'info' },
    });
    try {
      const cookie = await signIn(server.url);
      await firstPageWeight(server.url, cookie);
      process.stdout.write('view                                  p50 ms   p95 ms   events shown\n');
      for (const [name, query] of VIEWS) {
        const times: number[] = [];
        let shown = 0;
        for (let run = 0; run < REPEATS + 3; run++) {
          const started = performance.now();
          const answer = await fetch(`${server.url}/console/deliveries/table${query}`, {
            headers: { cookie },
          });
          const html = await answer.text();
          if (answer.status !== 200) throw new Error(`${name}: HTTP ${answer.status}`);
          if (run >= 3) times.push(performance.now() - started);
          shown = html.match(/data-event-id=/g)?.length ?? 0;
        }
        times.sort((a, b) => a - b);
        const row = `${name.padEnd(36)} ${rank(times, 0.5).toFixed(1).padStart(7)}  ${rank(times, 0.95).toFixed(1).padStart(7)}   ${shown}`;
        process.stdout.write(`${row}\n`);
      }
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a browser downloads for the first page, signed in, with gzip as every browser asks. */
async function firstPageWeight(base: string, cookie: string): Promise<void> {
  const headers = { cookie, 'accept-encoding': 'gzip' };
  const page = await fetch(`${base}/console/deliveries`, { headers });
  const html = await page.text();
  let total = Buffer.byteLength(html);
  const parts = [`HTML ${Buffer.byteLength(html)} B`];
  for (const [, path = ''] of html.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)) {
    // fetch would decode gzip: count the bytes on the wire with node:http instead.
    const raw = await rawLength(`${base}${path}`, cookie);
    total += raw;
    parts.push(`${path.split('/').at(-1)} ${raw} B`);
  }
  process.stdout.write(
    `first page transferred: ${(total / 1024).toFixed(1)} KiB (${parts.join(', ')}; bodies, gzip where offered)\n`,
  );
}

async function rawLength(url: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { cookie, 'accept-encoding': 'gzip' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        // Sanity: what came is the gzip of something, when it says so.
        if (response.headers['content-encoding'] === 'gzip') gunzipSync(body);
        resolve(body.length);
      });
    })
      .on('error', reject)
      .end();
  });
}

/** Nearest-rank percentile of sorted values. */
function rank(sorted: readonly number[], share: number): number {
  return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { store: { type: 'string', default: 'sqlite' } } });
  const kinds = values.store === 'both' ? ['sqlite', 'postgres'] : [values.store];
  for (const kind of kinds) {
    const target = kind === 'postgres' ? await postgresTarget() : sqliteTarget;
    if (!target) {
      process.stdout.write(
        'no PostgreSQL: set DATABASE_URL or TEST_DATABASE_URL, or install PostgreSQL 15\n',
      );
      continue;
    }
    try {
      await measure(target);
    } finally {
      await target.close();
    }
  }
}

await main();

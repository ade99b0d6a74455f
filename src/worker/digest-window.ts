import type { CredoEvent } from '../events/credo-event.js';
import { commentOf, reviewIdOf, useCaseIdOf } from '../events/event-fields.js';
import type { ClaimedJob, KeyValueState, RouteJobSpec } from '../store/store.js';
import { HoldForDigest } from './hold.js';

/**
 * A route's digest window (issue 18), as Alertmanager's group_wait and group_interval: a key
 * (a use case, a review, or the whole destination) sends at most one message per window. The
 * first event of a key quiet for a window goes at once and opens one; the events of that key
 * that follow are held until it closes, then go as one digest, which opens the next window. The
 * window lives in the store: the destination's jobs run one at a time across instances, so
 * reading and writing it needs no lock, and a restart keeps it.
 */

type DigestSpec = NonNullable<RouteJobSpec['digest']>;

interface OpenWindow {
  closesAt: number;
  /** The job whose send opened it: that job, run again after a crash, is not held by its own window. */
  openedBy: number;
  /** Jobs are held for it: whatever of its key comes next waits for that digest, even past the close. */
  holding: boolean;
}

const NAMESPACE = 'digest-window';
/** Past its close, a window is kept this much longer, for a digest still to run. */
const KEEP_AFTER_CLOSE_MS = 7 * 24 * 3_600_000;

/** What a digest of this route gathers the event under; undefined when the event names no such thing. */
export function digestKeyOf(by: DigestSpec['by'], event: CredoEvent): string | undefined {
  if (by === 'destination') return 'destination';
  const id = by === 'review' ? reviewIdOf(event) : useCaseIdOf(event);
  return id === undefined ? undefined : `${by}:${id}`;
}

/**
 * A comment that tags people pings them: it goes at once, whatever the window (the people it
 * names are told when tagged). Their direct messages are jobs of their own, never held by a route.
 */
export function tagsSomeone(event: CredoEvent): boolean {
  return commentOf(event).tagged.length > 0;
}

/**
 * For a job not held yet: throws HoldForDigest when its key's window is open, else opens one with
 * this job's send (written first: a crash after the send leaves the window the send opened).
 */
export async function enterWindow(
  store: KeyValueState,
  job: ClaimedJob,
  digest: DigestSpec,
  key: string,
  event: CredoEvent,
  now: number,
): Promise<void> {
  const open = await readWindow(store, job.destination, key, now);
  if (open && open.openedBy !== job.id && (now < open.closesAt || open.holding)) {
    if (tagsSomeone(event)) return;
    if (!open.holding) await writeWindow(store, job.destination, key, { ...open, holding: true });
    throw new HoldForDigest(Math.max(open.closesAt, now), key, 'burst');
  }
  if (open?.openedBy === job.id) return;
  await openWindow(store, job, digest, key, now);
}

/** A send of the key (a first event, a digest) opens its next window. */
export async function openWindow(
  store: KeyValueState,
  job: ClaimedJob,
  digest: DigestSpec,
  key: string,
  now: number,
): Promise<void> {
  await writeWindow(store, job.destination, key, {
    closesAt: now + digest.windowMs,
    openedBy: job.id,
    holding: false,
  });
}

async function readWindow(
  store: KeyValueState,
  destination: string,
  key: string,
  now: number,
): Promise<OpenWindow | undefined> {
  const value = await store.kvGet(NAMESPACE, `${destination}:${key}`, now);
  return value === undefined ? undefined : (JSON.parse(value) as OpenWindow);
}

function writeWindow(store: KeyValueState, destination: string, key: string, window: OpenWindow) {
  return store.kvSet(
    NAMESPACE,
    `${destination}:${key}`,
    JSON.stringify(window),
    window.closesAt + KEEP_AFTER_CLOSE_MS,
  );
}

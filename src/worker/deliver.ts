import type { Clock } from '../clock.js';
import { type ReceivedEvent, readEvent } from '../events/credo-event.js';
import type { Logger } from '../log.js';
import type { Platform } from '../messages.js';
import { DeliveryError, type Notifier, type SendResult } from '../notify/notifier.js';
import type { DigestOf, RenderInput } from '../render/renderer.js';
import type { ClaimedJob, JobQueue, KeyValueState, RouteJobSpec } from '../store/store.js';
import { type DirectMessageState, deliverDirectMessage } from './deliver-direct-message.js';
import type { ReadyDestination } from './destinations.js';
import { digestKeyOf, enterWindow, openWindow } from './digest-window.js';
import { renderForDelivery, sendContextOf } from './job-message.js';
import {
  reviewStatusOf,
  sendInThread,
  THREAD_PARENT_TEMPLATE,
  threadParentInput,
  threadSubjectOf,
} from './threads.js';
import type { Paced } from './worker.js';

/** What delivering reads of the current config; read once per job, so a reload never splits one. */
export interface DeliveryState extends DirectMessageState {
  destinations: ReadonlyMap<string, ReadyDestination>;
}

export interface DelivererOptions {
  state: () => DeliveryState;
  /** Where thread parents and digest windows are remembered, and where a digest gathers its jobs. */
  store: KeyValueState & Pick<JobQueue, 'gatherDigest'>;
  clock: Clock;
  log: Logger;
  /** A digest of `events` (two or more) was sent. */
  onDigestSent?: (job: ClaimedJob, events: number) => void;
}

/** `templates/<platform>/digest.hbs`: what a route sends when a window closes on several events. */
export const DIGEST_TEMPLATE = 'digest';

/** What became of a job's message: undefined when nothing was sent (a person out of reach). */
export type Delivered = SendResult | undefined;

/**
 * Turns one claimed job into a sent message: enrich the event with names and chat ids, render
 * it with the platform's template, send it flat or in its thread, or to a person directly.
 * Rendering happens here, not at receive time, so a retried job goes out with the current
 * config and templates.
 */
export function createDeliverer(
  options: DelivererOptions,
): (job: ClaimedJob, paced: Paced) => Promise<Delivered> {
  return async (job, paced) => {
    const state = options.state();
    const event = readEvent(job.event);
    const { spec } = job;
    if (spec.kind === 'dm') return deliverDirectMessage(job, spec, event, state, { ...options, paced });
    return deliverToDestination({ job, spec, event }, state, options, paced);
  };
}

async function deliverToDestination(
  delivery: RouteDelivery,
  state: DeliveryState,
  options: DelivererOptions,
  paced: Paced,
): Promise<Delivered> {
  const destination = state.destinations.get(delivery.job.destination);
  if (!destination) {
    throw new DeliveryError(`destination "${delivery.job.destination}" is no longer in the config`, {
      code: 'CN_DESTINATION_GONE',
      retryable: false,
    });
  }
  return sendTo(destination, delivery, state, options, paced);
}

/** A route job with its spec and event read. */
interface RouteDelivery {
  job: ClaimedJob;
  spec: RouteJobSpec;
  event: ReceivedEvent;
}

async function sendTo<P extends Platform>(
  destination: ReadyDestination<P>,
  { job, spec, event }: RouteDelivery,
  state: DeliveryState,
  options: DelivererOptions,
  paced: Paced,
): Promise<Delivered> {
  const { platform, cardVersion, can } = destination;
  const notifier = pacedNotifier(destination.notifier, paced);
  const digest = await digestOfRoute(job, spec, event, options);
  const input = await state.people.enricher.enrich({ event }, platform);
  const template = digest
    ? DIGEST_TEMPLATE
    : state.renderer.templateFor(platform, input.event.type, spec.template);
  const shown: RenderInput = digest ? { ...input, digest } : input;
  const message = renderForDelivery(state.renderer, platform, template, shown, cardVersion);
  const context = sendContextOf(job);
  const mode = spec.thread;
  const subject = threadSubjectOf(mode, event);
  if (subject === undefined || !can.thread)
    return digestSent(notifier.send(message, context), job, digest, options);
  return digestSent(
    sendInThread({
      store: options.store,
      now: options.clock.now,
      log: options.log,
      notifier,
      canUpdate: can.update,
      context,
      mode,
      subject,
      message,
      parent: (status) =>
        renderForDelivery(
          state.renderer,
          platform,
          THREAD_PARENT_TEMPLATE,
          threadParentInput(input, mode, status),
          cardVersion,
        ),
      status: reviewStatusOf(input),
    }),
    job,
    digest,
    options,
  );
}

/**
 * What a route job sends with it (issue 18). A job held for a digest gathers the jobs held with
 * it: with others, they go as one digest; alone, as its own message. Either opens the key's next
 * window. A job not held enters its key's window: held (thrown) when one is open, else it opens
 * one and goes now. Nothing is gathered for a route without `digest`.
 */
async function digestOfRoute(
  job: ClaimedJob,
  spec: RouteJobSpec,
  event: ReceivedEvent,
  options: DelivererOptions,
): Promise<DigestOf | undefined> {
  const now = options.clock.now();
  if (job.heldFor !== undefined) {
    const gathered = await options.store.gatherDigest(job.id);
    if (spec.digest) await openWindow(options.store, job, spec.digest, job.heldFor, now);
    return gathered.length > 1
      ? { items: gathered.map((held) => ({ event: readEvent(held.event) })) }
      : undefined;
  }
  const key = spec.digest && digestKeyOf(spec.digest.by, event);
  if (spec.digest && key !== undefined) await enterWindow(options.store, job, spec.digest, key, event, now);
  return undefined;
}

/** Counts a digest once its message is out. */
async function digestSent(
  sending: Promise<SendResult>,
  job: ClaimedJob,
  digest: DigestOf | undefined,
  options: DelivererOptions,
): Promise<SendResult> {
  const sent = await sending;
  if (digest) options.onDigestSent?.(job, digest.items.length);
  return sent;
}

/** The notifier with each of its sends (a thread's parent, the reply, the update) made in pace. */
function pacedNotifier<M>(notifier: Notifier<M>, paced: Paced): Notifier<M> {
  return { send: (message, context) => paced(() => notifier.send(message, context)) };
}

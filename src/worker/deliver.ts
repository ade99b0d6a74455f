import type { Clock } from '../clock.js';
import { type ReceivedEvent, readEvent } from '../events/credo-event.js';
import type { Logger } from '../log.js';
import type { Platform } from '../messages.js';
import { DeliveryError, type Notifier, type SendResult } from '../notify/notifier.js';
import type { ClaimedJob, KeyValueState, RouteJobSpec } from '../store/store.js';
import { type DirectMessageState, deliverDirectMessage } from './deliver-direct-message.js';
import type { ReadyDestination } from './destinations.js';
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
  /** Where thread parents are remembered. */
  store: KeyValueState;
  clock: Clock;
  log: Logger;
}

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
    if (spec.kind === 'dm') return deliverDirectMessage(job, spec, event, state, { log: options.log, paced });
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
  const input = await state.people.enricher.enrich({ event }, platform);
  const template = state.renderer.templateFor(platform, input.event.type, spec.template);
  const message = renderForDelivery(state.renderer, platform, template, input, cardVersion);
  const context = sendContextOf(job);
  const mode = spec.thread;
  const subject = threadSubjectOf(mode, event);
  if (subject === undefined || !can.thread) return notifier.send(message, context);
  return sendInThread({
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
  });
}

/** The notifier with each of its sends (a thread's parent, the reply, the update) made in pace. */
function pacedNotifier<M>(notifier: Notifier<M>, paced: Paced): Notifier<M> {
  return { send: (message, context) => paced(() => notifier.send(message, context)) };
}

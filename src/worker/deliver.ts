import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import { DeliveryError, type SendResult } from '../notify/notifier.js';
import type { People } from '../people/people.js';
import { toRenderInput } from '../render/render-input.js';
import type { Renderer } from '../render/renderer.js';
import type { ClaimedJob, KeyValueState } from '../store/store.js';
import { deliverDirectMessage } from './deliver-direct-message.js';
import type { ReadyDestination } from './destinations.js';
import { renderForDelivery } from './render-for-delivery.js';
import { sendContextOf } from './send-context.js';
import { reviewStatusOf, THREAD_PARENT_TEMPLATE, threadParentInput } from './thread-parent.js';
import { sendInThread, threadSubjectOf, threadsIn } from './threads.js';

/** What delivering reads of the current config; read once per job, so a reload never splits one. */
export interface DeliveryState {
  config: Config;
  destinations: ReadonlyMap<string, ReadyDestination>;
  renderer: Renderer;
  people: People;
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
export function createDeliverer(options: DelivererOptions): (job: ClaimedJob) => Promise<Delivered> {
  return async (job) => {
    const state = options.state();
    if (job.spec.kind === 'dm') return deliverDirectMessage(job, state, options.log);
    return deliverToDestination(job, state, options);
  };
}

async function deliverToDestination(
  job: ClaimedJob,
  state: DeliveryState,
  options: DelivererOptions,
): Promise<Delivered> {
  const destination = state.destinations.get(job.destination);
  const settings = state.config.destinations[job.destination];
  if (!destination || !settings) {
    throw new DeliveryError(`destination "${job.destination}" is no longer in the config`, {
      retryable: false,
    });
  }
  const { platform, notifier } = destination;
  const input = await state.people.enricher.enrich(toRenderInput(job.event), platform);
  const template = state.renderer.templateFor(platform, input.event.type, job.spec.template);
  const message = renderForDelivery(state.renderer, platform, template, input);
  const context = sendContextOf(job);
  const mode = job.spec.thread ?? 'none';
  const subject = threadSubjectOf(mode, input.event.data);
  if (subject === undefined || !threadsIn(settings)) return notifier.send(message, context);
  return sendInThread({
    store: options.store,
    now: options.clock.now,
    log: options.log,
    notifier,
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
      ),
    status: reviewStatusOf(input),
  });
}

import { CodedError, type ErrorCode } from '../errors.js';

/**
 * One notifier per kind of destination, typed by the message its platform takes
 * (`Notifier<SlackMessage>`, `Notifier<TeamsCard>`). A notifier sends and classifies failure;
 * retry, backoff and dead-lettering live once, in the worker.
 */
export interface Notifier<M> {
  send: (message: M, context: SendContext) => Promise<SendResult>;
}

export interface SendContext {
  /** Reply in this thread (Slack `ts` / Teams root activity id). */
  threadId?: string;
  /** Replace this message instead of posting (Slack chat.update). */
  updateId?: string;
  /**
   * `channelId` of the earlier SendResult, with `updateId`: Slack's chat.update accepts only a
   * channel id, so a destination configured as `#name` cannot be updated without it.
   */
  channelId?: string;
  /** For logs: which event and destination this is. */
  eventId: string;
  destination: string;
  /**
   * The delivery job sending this. A notifier that can tags its message with it (Slack message
   * metadata), so that a later attempt of the job can find the message.
   */
  jobId?: number;
  /**
   * Set when an earlier attempt of the job may have reached the platform without its success
   * being recorded (its instance died mid-send, or the answer never came): the earliest time that
   * attempt can have posted. A notifier that can look returns the message already there
   * instead of posting it twice.
   */
  earlierAttemptSince?: number;
}

export interface SendResult {
  /** Platform id of the posted message (Slack `ts`), for threads and updates. */
  messageId?: string;
  /** Slack channel id the message went to (a `#name` or user id resolves to one). */
  channelId?: string;
}

/**
 * What a retryable failure says is broken, and so what waits for the retry:
 * - `service`: the platform itself (a 5xx, no answer): every destination sent through it waits
 *   for one probe (worker/outage-gate.ts);
 * - `destination`: this channel only (a 429): it is held, the others go on;
 * - `job`: this message only: it steps out of its destination's line, the next ones go.
 */
export type FailureScope = 'service' | 'destination' | 'job';

/**
 * A failed send, classified. `retryable: false` dead-letters the job at once. The code says what
 * failed (CN_SLACK_CHANNEL_NOT_FOUND...); a notifier that names none gets CN_DELIVERY_FAILED.
 */
export class DeliveryError extends CodedError {
  readonly retryable: boolean;
  /** Exact wait the platform asked for (Retry-After), in ms. */
  readonly retryAfterMs: number | undefined;
  /**
   * The most attempts a failure like this deserves, when fewer than `delivery.maxAttempts`: an
   * answer we cannot read (a Slack error code we do not know) is worth a few tries, not a day's.
   */
  readonly maxAttempts: number | undefined;
  /** What an operator does about it ("invite the bot to #reviews..."): the dead letter says so. */
  readonly remedy: string | undefined;
  /** What waits for its retry; a Retry-After holds the destination unless the notifier says more. */
  readonly scope: FailureScope;

  constructor(
    message: string,
    options: {
      code?: ErrorCode;
      retryable: boolean;
      retryAfterMs?: number;
      maxAttempts?: number;
      remedy?: string;
      scope?: FailureScope;
      cause?: unknown;
    },
  ) {
    super(options.code ?? 'CN_DELIVERY_FAILED', message, { cause: options.cause });
    this.name = 'DeliveryError';
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.maxAttempts = options.maxAttempts;
    this.remedy = options.remedy;
    this.scope = options.scope ?? (options.retryAfterMs === undefined ? 'job' : 'destination');
  }
}

import type { SlackMessage } from '../render/renderer.js';

/**
 * One notifier per kind of destination. A notifier sends and classifies failure; retry,
 * backoff and dead-lettering live once, in the worker.
 */
export interface Notifier {
  send(message: OutgoingMessage, context: SendContext): Promise<SendResult>;
}

export interface OutgoingMessage {
  slack?: SlackMessage;
  /** An Adaptive Card (issue #5). */
  teams?: Record<string, unknown>;
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
}

export interface SendResult {
  /** Platform id of the posted message (Slack `ts`), for threads and updates. */
  messageId?: string;
  /** Slack channel id the message went to (a `#name` or user id resolves to one). */
  channelId?: string;
}

/** A failed send, classified. `retryable: false` dead-letters the job at once. */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  /** Exact wait the platform asked for (Retry-After), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { retryable: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'DeliveryError';
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * What went wrong talking to a chat platform, as its notifiers report it: an HTTP answer, or
 * none at all. Each platform turns it into a DeliveryError by its own rules
 * (classify-slack-failure.ts, classify-teams-failure.ts).
 */
export type PlatformFailure =
  | {
      kind: 'answered';
      status: number;
      /**
       * The platform's error code: a Slack Web API `error` or an incoming webhook's body
       * (`no_service`), the Teams connector's (`BotNotInConversationRoster`...).
       */
      code?: string;
      retryAfterSeconds?: number;
      /** The scope a Slack `missing_scope` answer says the call needs (its `needed`). */
      needed?: string;
    }
  | { kind: 'unanswered'; error: unknown };

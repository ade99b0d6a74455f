import type { Activity, CloudAdapter, TurnContext } from 'botbuilder';

/**
 * The few parts of the Bot Framework connector client a send uses. Its package is the SDK's
 * own dependency, not ours, so it is described here by shape.
 */
export interface ConnectorClient {
  conversations: {
    createConversation(parameters: {
      isGroup: boolean;
      bot: unknown;
      members: Array<{ id: string }>;
      tenantId: string;
      channelData: unknown;
    }): Promise<{ id?: string }>;
    sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<{ id?: string }>;
    updateActivity(
      conversationId: string,
      activityId: string,
      activity: Partial<Activity>,
    ): Promise<{ id?: string }>;
  };
  client: {
    pipeline: {
      removePolicy(options: { phase?: 'Retry' }): unknown;
      addPolicy(policy: {
        name: string;
        sendRequest(
          request: { timeout: number },
          next: (request: { timeout: number }) => Promise<unknown>,
        ): Promise<unknown>;
      }): void;
    };
  };
}

/** The authenticated connector client the adapter made for this (proactive) turn. */
export function connectorOf(context: TurnContext): ConnectorClient {
  const connector = context.turnState.get<ConnectorClient>(
    (context.adapter as CloudAdapter).ConnectorClientKey,
  );
  if (!connector) throw new Error('the Bot Framework adapter gave the turn no connector client');
  return connector;
}

/**
 * The connector client retries 429s and 5xx by itself, up to four attempts, sleeping through
 * each Retry-After while our job's lease runs. Retries belong to the worker, which records each
 * attempt and paces the whole conversation: the client's own policy is removed, and every
 * request gets a deadline. (A new client is made per turn, so this touches no other send.)
 */
export function ownRetriesAndTimeout(connector: ConnectorClient, timeoutMs: number): void {
  const { pipeline } = connector.client;
  pipeline.removePolicy({ phase: 'Retry' });
  pipeline.addPolicy({
    name: 'credoNotifyTimeout',
    sendRequest: (request, next) => {
      request.timeout = timeoutMs;
      return next(request);
    },
  });
}

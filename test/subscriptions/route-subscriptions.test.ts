import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { compileRoutes } from '../../src/routing/route-event.js';
import { routeWithSubscriptions } from '../../src/subscriptions/route-subscriptions.js';
import type { ChatSubscription } from '../../src/subscriptions/subscription-book.js';
import { TEST_SECRET } from '../helpers/signed-delivery.js';

const configOf = (extra: Record<string, unknown> = {}) =>
  configSchema.parse({
    credo: { auth: { secrets: [TEST_SECRET] } },
    slack: { botToken: 'xoxb-test' },
    destinations: { governance: { slack: { channel: 'C0GOV' } } },
    routes: [{ match: { events: ['use_case_review_comment'] }, to: ['governance'], thread: 'review' }],
    ...extra,
  });
const subscription = (
  conversationId: string,
  useCase: string,
  events: ChatSubscription['events'],
): ChatSubscription => ({
  platform: 'slack',
  conversationId,
  useCase,
  events,
  by: { id: 'U0ANN' },
  at: 0,
});
const review = {
  type: 'use_case_review_status_updated' as const,
  data: { useCaseId: 'UC_X', reviewId: 'R1', status: 'done' },
};
const comment = {
  type: 'use_case_review_comment' as const,
  data: { useCaseId: 'UC_X', reviewId: 'R1', comment: 'hi' },
};

describe('routing with chat subscriptions (issue 13)', () => {
  it('sends an event to the conversations subscribed to its use case (or all) and type, with the defaults', () => {
    const config = configOf({ subscriptions: { defaults: { thread: 'useCase', template: 'compact' } } });
    const route = routeWithSubscriptions(compileRoutes(config.routes), config);
    const subscriptions = [
      subscription('C0RISK', 'UC_X', ['use_case_review_status_updated']),
      subscription('C0ALL', '*', ['use_case_review_status_updated', 'use_case_review_comment']),
      subscription('C0OTHER', 'UC_Y', ['use_case_review_status_updated']),
      subscription('C0TASKS', 'UC_X', ['use_case_review_task_status_updated']),
    ];
    expect(route(review as never, subscriptions)).toEqual([
      {
        route: 'chat subscription',
        destination: 'chat:slack:C0RISK',
        template: 'compact',
        thread: 'useCase',
      },
      { route: 'chat subscription', destination: 'chat:slack:C0ALL', template: 'compact', thread: 'useCase' },
    ]);
  });

  it('holds a subscription’s bursts for a digest with subscriptions.defaults.digest (issue 14)', () => {
    const config = configOf({ subscriptions: { defaults: { digest: { windowSeconds: 120 } } } });
    const route = routeWithSubscriptions(compileRoutes(config.routes), config);
    expect(
      route(review as never, [subscription('C0RISK', 'UC_X', ['use_case_review_status_updated'])]),
    ).toEqual([
      {
        route: 'chat subscription',
        destination: 'chat:slack:C0RISK',
        thread: 'none',
        digest: { windowSeconds: 120, by: 'useCase' },
      },
    ]);
    expect(() => configOf({ subscriptions: { defaults: { digest: { windowSeconds: 5 } } } })).toThrow(
      /subscriptions\.defaults\.digest\.windowSeconds|at least 10/,
    );
  });

  it('sends one message to a channel a route already reaches, the route’s', () => {
    const config = configOf();
    const route = routeWithSubscriptions(compileRoutes(config.routes), config);
    const subscriptions = [
      subscription('C0GOV', 'UC_X', ['use_case_review_comment']),
      subscription('C0RISK', 'UC_X', ['use_case_review_comment']),
      subscription('C0RISK', '*', ['use_case_review_comment']),
    ];
    expect(route(comment as never, subscriptions).map((d) => `${d.route} → ${d.destination}`)).toEqual([
      'routes[0] → governance',
      'chat subscription → chat:slack:C0RISK',
    ]);
  });
});

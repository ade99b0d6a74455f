import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.js';

export const METRICS_PATH = '/metrics';

/**
 * GET /metrics in the Prometheus text format. Unauthenticated, as Prometheus scrapes expect:
 * it shows counts, event types and destination names, never payloads or secrets.
 */
export function metricsRoute(metrics: Metrics) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get(METRICS_PATH, async (_request, reply) => {
      const text = await metrics.scrape();
      return reply.type(metrics.registry.contentType).send(text);
    });
  };
}

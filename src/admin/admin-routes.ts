import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorBody } from '../errors.js';
import { type FailedAuthLimit, refuseIfLimited } from '../http/failed-auth-limit.js';
import type { EventLog, JobQueue } from '../store/store.js';
import { hasBearerToken } from './bearer-check.js';
import {
  DEFAULT_LIST_LIMIT,
  dropDeadLetter,
  getDeadLetter,
  listDeadLetters,
  parseWholeNumber,
  retryAllDeadLetters,
  retryDeadLetter,
} from './dead-letters.js';

export const ADMIN_PREFIX = '/admin';

export interface AdminRoutesOptions {
  /** `admin.token` of the config in force, read per request so a reload can set or rotate it. */
  token: () => string | undefined;
  store: JobQueue & EventLog;
  now: () => number;
  /** A dead letter went back to the queue: the worker should look now rather than at its next poll. */
  onRequeued: () => void;
  /** Wrong tokens, counted per client address with the other routes' failures. */
  failedAuth: FailedAuthLimit;
}

const MAX_LIST_LIMIT = 1_000;

/**
 * The admin HTTP API under /admin: inspect, retry and drop dead letters. Every request needs
 * `Authorization: Bearer <admin.token>`. Without a token in the config the API is off, and
 * answers exactly as a path that does not exist would.
 */
export function adminRoutes(options: AdminRoutesOptions) {
  const { store } = options;
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(
      async (admin) => {
        admin.addHook('onRequest', async (request, reply) => {
          const token = options.token();
          if (!token) return reply.callNotFound();
          if (refuseIfLimited(options.failedAuth, request.ip, reply)) return reply;
          if (!hasBearerToken(request.headers.authorization, token)) {
            options.failedAuth.failed(request.ip);
            return reply
              .code(401)
              .header('www-authenticate', 'Bearer realm="credo-notify admin"')
              .send(errorBody('CN_UNAUTHORIZED', 'missing or wrong bearer token'));
          }
        });

        // `?limit=1&limit=2` reaches here as an array: anything but one value is refused.
        admin.get<{ Querystring: { limit?: string | string[] } }>('/dead-letters', async (request, reply) => {
          const text = request.query.limit ?? String(DEFAULT_LIST_LIMIT);
          const limit = typeof text === 'string' ? parseWholeNumber(text) : undefined;
          if (!limit || limit > MAX_LIST_LIMIT) {
            return reply
              .code(400)
              .send(
                errorBody('CN_LIMIT_INVALID', `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`),
              );
          }
          return { deadLetters: await listDeadLetters(store, limit) };
        });

        admin.get<{ Params: { id: string } }>('/dead-letters/:id', async (request, reply) =>
          withDeadLetterId(request.params.id, reply, async (id) => getDeadLetter(store, id)),
        );

        admin.post('/dead-letters/retry', async () => {
          const requeued = await retryAllDeadLetters(store, options.now());
          if (requeued > 0) options.onRequeued();
          return { requeued };
        });

        admin.post<{ Params: { id: string } }>('/dead-letters/:id/retry', async (request, reply) =>
          withDeadLetterId(request.params.id, reply, async (id) => {
            if (!(await retryDeadLetter(store, id, options.now()))) return undefined;
            options.onRequeued();
            return { id, status: 'requeued' };
          }),
        );

        admin.delete<{ Params: { id: string } }>('/dead-letters/:id', async (request, reply) =>
          withDeadLetterId(request.params.id, reply, async (id) =>
            (await dropDeadLetter(store, id)) ? { id, status: 'dropped' } : undefined,
          ),
        );
      },
      { prefix: ADMIN_PREFIX },
    );
  };
}

/** Runs `action` on a valid id; its undefined means "no such dead letter": 404. */
async function withDeadLetterId(
  text: string,
  reply: FastifyReply,
  action: (id: number) => Promise<object | undefined>,
): Promise<unknown> {
  const id = parseWholeNumber(text);
  if (id === undefined) {
    return reply.code(400).send(errorBody('CN_DEAD_LETTER_ID_INVALID', 'a dead letter id is a whole number'));
  }
  const result = await action(id);
  return result ?? reply.code(404).send(errorBody('CN_DEAD_LETTER_NOT_FOUND', `no dead letter ${id}`));
}

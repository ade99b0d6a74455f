import type { FastifyInstance } from 'fastify';
import { type ErrorBody, errorBody } from '../../errors.js';
import type { BotAnswer, TeamsBot } from './teams-bot.js';

/** Where Teams delivers activities: the messaging endpoint set on the Azure Bot. */
export const TEAMS_BOT_PATH = '/api/messages';

/** `POST /api/messages`, answered with whatever the bot's SDK decided (401 for a bad token). */
export function teamsBotRoute(bot: TeamsBot) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post(TEAMS_BOT_PATH, async (request, reply) => {
      const answer = await bot.handle({ headers: request.headers, body: request.body });
      reply.code(answer.status).headers(answer.headers);
      if (answer.status >= 400) return reply.send(refusalBody(answer));
      return answer.body === undefined ? reply.send() : reply.send(answer.body);
    });
  };
}

/** The SDK refuses in plain text, when at all: said in the shape of every other error answer. */
function refusalBody({ status, body }: BotAnswer): ErrorBody {
  if (status >= 500) return errorBody('CN_INTERNAL', 'internal error');
  const said = typeof body === 'string' && body !== '' ? body : undefined;
  return status === 401 || status === 403
    ? errorBody('CN_TEAMS_ACTIVITY_REFUSED', said ?? 'the Bot Framework refused the activity')
    : errorBody('CN_BAD_REQUEST', said ?? 'the Bot Framework could not read the activity');
}

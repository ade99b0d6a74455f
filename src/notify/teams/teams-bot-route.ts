import type { FastifyInstance } from 'fastify';
import type { TeamsBot } from './teams-bot.js';

/** Where Teams delivers activities: the messaging endpoint set on the Azure Bot. */
export const TEAMS_BOT_PATH = '/api/messages';

/** `POST /api/messages`, answered with whatever the bot's SDK decided (401 for a bad token). */
export function teamsBotRoute(bot: TeamsBot) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post(TEAMS_BOT_PATH, async (request, reply) => {
      const answer = await bot.handle({ headers: request.headers, body: request.body });
      reply.code(answer.status).headers(answer.headers);
      return answer.body === undefined ? reply.send() : reply.send(answer.body);
    });
  };
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleOptions } from './console-deps.js';
import type { Html } from './html.js';
import type { Session } from './session.js';

/** What every page handler gets: the options, and the signed-in session of its request. */
export interface PageContext {
  options: ConsoleOptions;
  session(request: FastifyRequest): Session;
}

/** A posted form's fields (forms are parsed as url-encoded text). */
export function formOf(request: FastifyRequest): Record<string, string | undefined> {
  const body = request.body;
  return typeof body === 'object' && body !== null ? (body as Record<string, string>) : {};
}

export function sendHtml(reply: FastifyReply, status: number, body: Html) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(body.text);
}

import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Clock } from '../../clock.js';
import { errorBody } from '../../errors.js';
import { type FailedAuthLimit, refuseIfLimited } from '../../http/failed-auth-limit.js';
import type { Logger } from '../../log.js';
import type { RunChatCommand } from '../../subscriptions/chat-command.js';
import { answerSlashCommand } from './answer-slash-command.js';
import { readSlackRequest } from './slack-request.js';
import { verifySlackSignature } from './slack-signature.js';

/** Bolt's default request URL, for slash commands and interactivity alike. */
export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackEventsRouteOptions {
  signingSecret: string;
  run: RunChatCommand;
  clock: Clock;
  log: Logger;
  /** Failed signatures, counted per client address with the other routes' failures. */
  failedAuth: FailedAuthLimit;
  bodyLimitBytes: number;
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * `POST /slack/events`: a request Slack signed, or a 401 that changes nothing. A slash command
 * is answered by the chat-command engine; an interactivity payload is acknowledged.
 */
export function slackEventsRoute(options: SlackEventsRouteOptions) {
  const { signingSecret, clock, log, failedAuth } = options;
  const inFlight = new Set<Promise<void>>();
  return async (app: FastifyInstance): Promise<void> => {
    // The signature covers the bytes as sent: every body is kept as a string, and the form is
    // read only once it is known to be Slack's.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      '*',
      { parseAs: 'string', bodyLimit: options.bodyLimitBytes },
      (_request, body, done) => done(null, body),
    );
    app.addHook('onClose', async () => {
      await Promise.allSettled([...inFlight]);
    });

    app.post(SLACK_EVENTS_PATH, async (request, reply) => {
      if (refuseIfLimited(failedAuth, request.ip, reply)) return reply;
      const rawBody = typeof request.body === 'string' ? request.body : '';
      // Slack checks the certificate of a slash command's URL now and then with `ssl_check=1`,
      // unsigned, and wants a 200 (https://docs.slack.dev/interactivity/implementing-slash-commands/#responding_basic_receipt).
      // It is answered and nothing else is read of it, as Bolt does.
      if (isSslCheck(request.headers['content-type'], rawBody)) return reply.code(200).send();
      const verified = verifySlackSignature(
        signingSecret,
        { headers: request.headers, rawBody },
        clock.now(),
      );
      if (!verified.ok) {
        failedAuth.failed(request.ip);
        log.warn({ code: verified.code, error: verified.reason }, 'Slack request refused');
        return reply.code(401).send(errorBody(verified.code, verified.reason));
      }
      if (!request.headers['content-type']?.startsWith(FORM)) {
        return refuse(reply, 415, 'CN_SLACK_BODY_NOT_FORM', `content type must be ${FORM}`);
      }
      const slack = readSlackRequest(rawBody);
      switch (slack.kind) {
        case 'command': {
          const answer = await answerSlashCommand(slack.command, slack.responseUrl, {
            run: options.run,
            clock,
            log,
            inFlight,
          });
          return answer ? reply.code(200).send(answer) : reply.code(200).send();
        }
        case 'interaction':
          // Slack wants every interaction acknowledged with a 200 within 3 seconds, or the person
          // sees an error (https://api.slack.com/interactivity/handling).
          // No message of ours has buttons yet: whatever was clicked needs nothing more.
          log.info({ interaction: slack.type }, 'Slack interaction acknowledged, nothing to do for it');
          return reply.code(200).send();
        case 'unknown':
          return refuse(reply, 400, 'CN_SLACK_COMMAND_INVALID', slack.reason);
      }
    });
  };
}

function isSslCheck(contentType: string | undefined, rawBody: string): boolean {
  return contentType?.startsWith(FORM) === true && new URLSearchParams(rawBody).get('ssl_check') === '1';
}

function refuse(
  reply: FastifyReply,
  status: number,
  code: 'CN_SLACK_BODY_NOT_FORM' | 'CN_SLACK_COMMAND_INVALID',
  message: string,
) {
  return reply.code(status).send(errorBody(code, message));
}

import type { Clock } from '../../clock.js';
import { fetchWithDeadline } from '../../http/fetch-with-deadline.js';
import type { Logger } from '../../log.js';
import type { ChatCommandRequest, ChatReply, RunChatCommand } from '../../subscriptions/chat-command.js';
import { type SlackCommandAnswer, slackCommandAnswer } from './slack-reply.js';

/**
 * Slack shows the person an error when a slash command is not answered within 3 seconds
 * (https://docs.slack.dev/interactivity/implementing-slash-commands/#responding_basic_receipt). A
 * reply ready within this much of our clock goes in the HTTP answer; the rest is for the network.
 */
export const ANSWER_IN_RESPONSE_MS = 2_500;
/** How long the post of a late reply to its response_url may take. */
const RESPONSE_URL_TIMEOUT_MS = 10_000;
/** What the wait for the reply ends with when the reply is late. */
const LATE: unique symbol = Symbol('late');

export interface SlashCommandDeps {
  run: RunChatCommand;
  clock: Clock;
  log: Logger;
  /** Late replies still being posted: a shutdown waits for them. */
  inFlight: Set<Promise<void>>;
}

/**
 * Runs the command, and gives back the reply for the HTTP answer if it is ready in time. If not,
 * it gives back nothing at once (Slack takes an empty 200 as the acknowledgement), and the reply
 * goes to the command's `response_url` when it is ready: Slack takes up to 5 answers there
 * within 30 minutes (https://api.slack.com/interactivity/handling#message_responses).
 */
export async function answerSlashCommand(
  command: ChatCommandRequest,
  responseUrl: string,
  deps: SlashCommandDeps,
): Promise<SlackCommandAnswer | undefined> {
  const reply = runOrExplain(command, deps);
  const stopWaiting = new AbortController();
  const late = deps.clock.sleep(ANSWER_IN_RESPONSE_MS, stopWaiting.signal).then((): typeof LATE => LATE);
  const first = await Promise.race([reply, late]);
  stopWaiting.abort();
  if (first !== LATE) return slackCommandAnswer(first);
  const posting = reply.then((ready) => postLate(responseUrl, slackCommandAnswer(ready), deps.log));
  deps.inFlight.add(posting);
  void posting.finally(() => deps.inFlight.delete(posting));
  return undefined;
}

/** A failed command still answers the person: what happened is in the log, under its code. */
async function runOrExplain(command: ChatCommandRequest, deps: SlashCommandDeps): Promise<ChatReply> {
  try {
    return await deps.run(command);
  } catch (error) {
    deps.log.error(
      {
        err: error,
        code: 'CN_CHAT_COMMAND_FAILED',
        platform: 'slack',
        conversationId: command.conversationId,
      },
      'a chat command failed',
    );
    return {
      ok: false,
      code: 'CN_CHAT_COMMAND_FAILED',
      summary: 'Something went wrong, and nothing was changed.',
      lines: [
        'Try again in a minute. If it keeps failing, ask whoever runs credo-notify to look at its log.',
      ],
    };
  }
}

/**
 * The response_url is a credential of its own (anyone holding it may answer in that channel for
 * 30 minutes): the log names the status Slack gave, never the URL.
 */
async function postLate(url: string, answer: SlackCommandAnswer, log: Logger): Promise<void> {
  try {
    const sent = await fetchWithDeadline(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer) },
      RESPONSE_URL_TIMEOUT_MS,
    );
    if (sent.ok) return;
    const said = (await sent.text()).slice(0, 200);
    log.warn(
      { code: 'CN_SLACK_RESPONSE_URL_FAILED', status: sent.status, said },
      'could not post a slash command reply to its response_url',
    );
  } catch (error) {
    log.warn(
      { code: 'CN_SLACK_RESPONSE_URL_FAILED', error: (error as Error).name },
      'no answer from the response_url of a slash command',
    );
  }
}

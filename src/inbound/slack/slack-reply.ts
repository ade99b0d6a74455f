import type { SlackBlock, SlackMessage } from '../../messages.js';
import { escapeMrkdwn } from '../../render/slack-escape.js';
import { fitSlackLimits, SLACK_LIMITS } from '../../render/slack-limits.js';
import type { ChatReply } from '../../subscriptions/chat-command.js';

/** An answer to a slash command: seen only by the person who typed it. */
export interface SlackCommandAnswer extends SlackMessage {
  response_type: 'ephemeral';
}

/**
 * A reply as Slack shows it: the summary, then the lines, in mrkdwn. Every line is escaped, as
 * it may quote what the person typed or a use case's name from Credo AI: no `<!channel>`,
 * `@here`, link or mention can be forged through it. Within Slack's limits, so that a long
 * `list` is cut, saying how much was left out, rather than refused.
 */
export function slackCommandAnswer(reply: ChatReply): SlackCommandAnswer {
  const summary = escapeMrkdwn(reply.summary);
  const lines = reply.lines.map(escapeMrkdwn).filter((line) => line.trim() !== '');
  const blocks = [section(reply.ok ? summary : `:warning: ${summary}`)];
  let size = JSON.stringify(blocks).length;
  let shown = 0;
  for (const text of sectionsOf(lines)) {
    const block = section(text);
    const grown = size + 1 + JSON.stringify(block).length;
    // Room is kept for the line that says what was left out.
    if (blocks.length + 1 >= SLACK_LIMITS.blocks || grown > SLACK_LIMITS.blocksJson - RESERVED) break;
    blocks.push(block);
    size = grown;
    shown += text.split('\n').length;
  }
  if (shown < lines.length) blocks.push(section(`…and ${lines.length - shown} more.`));
  return { response_type: 'ephemeral', ...fitSlackLimits({ text: summary, blocks }) };
}

/** Enough for the section that says how many lines were left out. */
const RESERVED = 100;

/** The lines in as few sections as hold them: one per line would reach the 50 blocks soon. */
function sectionsOf(lines: readonly string[]): string[] {
  const sections: string[] = [];
  for (const line of lines) {
    const last = sections.at(-1);
    if (last !== undefined && last.length + 1 + line.length <= SLACK_LIMITS.sectionText) {
      sections[sections.length - 1] = `${last}\n${line}`;
    } else {
      sections.push(line);
    }
  }
  return sections;
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

import { describe, expect, it } from 'vitest';
import { createConsoleNotifier } from '../../../src/notify/console/console-notifier.js';
import { reviewCommentMessage } from '../sample-message.js';

const context = { eventId: 'msg_30zZvVW6oyBt1dtsz9qpdjzqG8m', destination: 'dry-run' };

function printed() {
  const lines: string[] = [];
  return { lines, notifier: createConsoleNotifier({ write: (line) => lines.push(line) }) };
}

describe('console notifier', () => {
  it('prints who the message is for, its text, then what its blocks say, indented', async () => {
    const { lines, notifier } = printed();
    const result = await notifier.send(reviewCommentMessage(), context);

    expect(lines).toEqual([
      [
        `── dry-run · event msg_30zZvVW6oyBt1dtsz9qpdjzqG8m (${result.messageId})`,
        'New comment on review yzbEcKRh3M6xNXYmuTownS',
        '    New review comment',
        '    > Hello @[John Doe](users:MMC8qELwNoq9V27Y2cvqHf)',
        '    ────────',
        '    *Use case*',
        '    QHG9s995aVztB6Xc3caXyW',
        '    *Review*',
        '    yzbEcKRh3M6xNXYmuTownS',
        '    Tagged: <@U02JOHNDOE>',
      ].join('\n'),
    ]);
  });

  it('gives each message its own id, so replies and updates can point at it', async () => {
    const { lines, notifier } = printed();
    const message = { text: 'Review approved', blocks: [] };
    const parent = await notifier.send(message, context);
    const reply = await notifier.send(message, { ...context, threadId: parent.messageId });
    const update = await notifier.send(message, { ...context, updateId: parent.messageId });

    expect(reply.messageId).not.toBe(parent.messageId);
    expect(update.messageId).toBe(parent.messageId);
    expect(lines[1]).toContain(`reply to ${parent.messageId}`);
    expect(lines[2]).toContain(`updates ${parent.messageId}`);
  });
});

import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/events/event-types.js';
import { describeEventTypes, EVENT_GROUPS } from '../../src/subscriptions/event-groups.js';
import { parseChatCommand } from '../../src/subscriptions/parse-chat-command.js';

const commandOf = (text: string) => {
  const parsed = parseChatCommand(text);
  if (!parsed.ok) throw new Error(`refused: ${parsed.code} ${parsed.message}`);
  return parsed.command;
};
const codeOf = (text: string) => {
  const parsed = parseChatCommand(text);
  return parsed.ok ? 'ok' : parsed.code;
};

describe('the chat grammar (issue 13)', () => {
  it('has groups that cover each of the 15 event types exactly once', () => {
    const grouped = Object.values(EVENT_GROUPS).flat();
    expect([...grouped].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('subscribes a use case to every group when nothing more is said', () => {
    expect(commandOf('subscribe QHG9s995aVztB6Xc3caXyW')).toEqual({
      kind: 'subscribe',
      useCase: 'QHG9s995aVztB6Xc3caXyW',
      events: [...EVENT_TYPES],
    });
  });

  it('takes groups, event types and globs, split by spaces or commas, in any case', () => {
    const command = commandOf('  Subscribe UC_X Reviews,tasks use_case_review_comment use_case_icon* ');
    expect(command).toEqual({
      kind: 'subscribe',
      useCase: 'UC_X',
      events: [
        'use_case_icon_updated',
        'use_case_review_comment',
        'use_case_review_status_updated',
        'use_case_review_task_status_updated',
        'use_case_review_task_deleted',
      ],
    });
  });

  it('reads the use case from a Credo AI link, a Slack-wrapped link, or `all`', () => {
    const fromUrl = (text: string) => (commandOf(text) as { useCase: string }).useCase;
    expect(fromUrl('subscribe https://app.credo.ai/acme/use-cases/UC_X/reviews/R1')).toBe('UC_X');
    expect(fromUrl('subscribe <https://app.credo.ai/acme/use-cases/UC_X|Fraud model> reviews')).toBe('UC_X');
    expect(fromUrl('subscribe ALL comments')).toBe('*');
  });

  it('unsubscribes from everything, or from what it names', () => {
    expect(commandOf('unsubscribe UC_X')).toEqual({
      kind: 'unsubscribe',
      useCase: 'UC_X',
      events: undefined,
    });
    expect(commandOf('unsubscribe UC_X comments')).toEqual({
      kind: 'unsubscribe',
      useCase: 'UC_X',
      events: ['use_case_review_comment'],
    });
  });

  it('reads list, help, status, me and its preferences', () => {
    expect(commandOf('list')).toEqual({ kind: 'list' });
    expect(commandOf('')).toEqual({ kind: 'help' });
    expect(commandOf('HELP')).toEqual({ kind: 'help' });
    expect(commandOf('status')).toEqual({ kind: 'status' });
    expect(commandOf('me')).toEqual({ kind: 'me' });
    expect(commandOf('me dm OFF')).toEqual({ kind: 'dm', dm: 'off' });
    expect(commandOf('me dm on')).toEqual({ kind: 'dm', dm: 'on' });
    expect(commandOf('me quiet off')).toEqual({ kind: 'quiet', quiet: undefined });
    expect(commandOf('me quiet 19:00-08:00 europe/berlin')).toEqual({
      kind: 'quiet',
      quiet: { from: '19:00', to: '08:00', timezone: 'Europe/Berlin' },
    });
  });

  it('refuses what it cannot read, each with its code and the usage', () => {
    expect(codeOf('subscribe')).toBe('CN_CHAT_USAGE');
    expect(codeOf('subscribe UC_X reviewz')).toBe('CN_CHAT_UNKNOWN_GROUP');
    expect(codeOf('subscribe UC_X use_case_nothing_*')).toBe('CN_CHAT_UNKNOWN_GROUP');
    expect(codeOf('subscribe https://example.com/not-a-use-case')).toBe('CN_CHAT_BAD_USE_CASE');
    expect(codeOf('subscribe "};{')).toBe('CN_CHAT_BAD_USE_CASE');
    expect(codeOf('list everything')).toBe('CN_CHAT_USAGE');
    expect(codeOf('me dm maybe')).toBe('CN_CHAT_USAGE');
    expect(codeOf('me loud')).toBe('CN_CHAT_USAGE');
    expect(codeOf('me quiet 7pm-8am Europe/Berlin')).toBe('CN_CHAT_BAD_QUIET_HOURS');
    expect(codeOf('me quiet 19:00-24:00 Europe/Berlin')).toBe('CN_CHAT_BAD_QUIET_HOURS');
    expect(codeOf('me quiet 19:00-08:00')).toBe('CN_CHAT_BAD_QUIET_HOURS');
    expect(codeOf('me quiet 19:00-08:00 Mars/Olympus_Mons')).toBe('CN_CHAT_BAD_TIME_ZONE');
    expect(codeOf('dance')).toBe('CN_CHAT_UNKNOWN_COMMAND');
    const refused = parseChatCommand('subscribe UC_X reviewz');
    expect(refused.ok ? [] : refused.usage.length).toBeGreaterThan(0);
  });

  it('says event types the short way: whole groups by name', () => {
    expect(describeEventTypes([...EVENT_TYPES])).toBe('everything');
    expect(
      describeEventTypes([...EVENT_GROUPS.tasks, 'use_case_review_status_updated', 'use_case_name_updated']),
    ).toBe('reviews, tasks, use_case_name_updated');
  });
});

import { systemClock } from '../clock.js';
import { createConversationDirectory, type TeamsConversation } from '../notify/teams/conversations.js';
import { formatTable } from './format-table.js';
import { onStore, type StoreContext } from './on-store.js';

/**
 * `credo-notify teams conversations [move <alias> <conversation id>]`: where the Teams bot can
 * post, and the one way to give an alias to another conversation. Activities cannot move an
 * alias (anyone who can add the bot somewhere could otherwise redirect a destination).
 */

async function list({ store, storeName, write }: StoreContext, options: { json?: boolean }): Promise<void> {
  const { conversations, aliases } = await createConversationDirectory(store, systemClock).list();
  if (options.json)
    return write(`${JSON.stringify({ conversations, aliases: Object.fromEntries(aliases) }, null, 2)}\n`);
  if (conversations.length === 0) {
    return write(
      `No Teams conversations in ${storeName}: add the bot to a team, a chat or a personal scope.\n`,
    );
  }
  write(formatTable(['ALIAS', 'KIND', 'NAME', 'TENANT', 'ID'], conversations.map(row)));
}

async function move({ store, write }: StoreContext, alias: string, id: string): Promise<void> {
  await createConversationDirectory(store, systemClock).moveAlias(alias, id);
  write(`The alias ${alias.toLowerCase()} now names ${id}: destinations written with it post there.\n`);
}

function row(conversation: TeamsConversation): string[] {
  const name = conversation.teamName
    ? `${conversation.teamName} / ${conversation.name ?? ''}`
    : conversation.name;
  return [
    conversation.alias ?? '-',
    conversation.kind,
    name ?? '-',
    conversation.tenantId ?? '-',
    conversation.id,
  ];
}

type ConfigOption = { config?: string };

export const teamsConversations = {
  list: (options: ConfigOption & { json?: boolean }) =>
    onStore(options.config, (context) => list(context, options)),
  move: (alias: string, id: string, options: ConfigOption) =>
    onStore(options.config, (context) => move(context, alias, id)),
};

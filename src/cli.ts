#!/usr/bin/env node
// First: it must run before the modules below allocate (see the file).
import './cli/young-generation.js';
import './cli/wasm-baseline.js';
import { Command } from 'commander';
import { packageVersion } from './package-info.js';

/**
 * A command's module is imported when the command runs, not before: `--version`, `--help` and
 * `check` then start without loading Fastify, the Slack and Teams SDKs and the stores.
 */
function lazy<M, A extends unknown[]>(load: () => Promise<M>, pick: (module: M) => (...args: A) => unknown) {
  return async (...args: A) => {
    await pick(await load())(...args);
  };
}
const check = lazy(
  () => import('./cli/check.js'),
  (m) => m.check,
);
const serve = lazy(
  () => import('./cli/serve.js'),
  (m) => m.serve,
);
const render = lazy(
  () => import('./cli/render.js'),
  (m) => m.render,
);
const route = lazy(
  () => import('./cli/route.js'),
  (m) => m.route,
);
const replay = lazy(
  () => import('./cli/replay.js'),
  (m) => m.replay,
);
const teamsManifestCommand = lazy(
  () => import('./cli/teams-manifest.js'),
  (m) => m.teamsManifestCommand,
);
const credoWebhooksModule = () => import('./cli/credo-webhooks-command.js');
const credoWebhooks = {
  list: lazy(credoWebhooksModule, (m) => m.credoWebhooks.list),
  create: lazy(credoWebhooksModule, (m) => m.credoWebhooks.create),
  delete: lazy(credoWebhooksModule, (m) => m.credoWebhooks.delete),
};
const deadLettersModule = () => import('./cli/dead-letters.js');
const deadLetters = {
  list: lazy(deadLettersModule, (m) => m.deadLetters.list),
  show: lazy(deadLettersModule, (m) => m.deadLetters.show),
  retry: lazy(deadLettersModule, (m) => m.deadLetters.retry),
  drop: lazy(deadLettersModule, (m) => m.deadLetters.drop),
};
const subscriptionsModule = () => import('./cli/subscriptions.js');
const subscriptions = {
  list: lazy(subscriptionsModule, (m) => m.subscriptionCommands.list),
  remove: lazy(subscriptionsModule, (m) => m.subscriptionCommands.remove),
};
const teamsConversationsModule = () => import('./cli/teams-conversations.js');
const teamsConversations = {
  list: lazy(teamsConversationsModule, (m) => m.teamsConversations.list),
  move: lazy(teamsConversationsModule, (m) => m.teamsConversations.move),
};

const program = new Command()
  .name('credo-notify')
  .description('Credo AI webhook events to Slack and Microsoft Teams messages')
  .version(packageVersion(), '-V, --version', 'print the version')
  // Program options only before a command: `teams-manifest --version 1.2.0` is the app's version.
  .enablePositionalOptions()
  .showHelpAfterError();

const configOption = [
  '-c, --config <path>',
  'config file (default: ./credo-notify.yaml, else the quick-start config)',
] as const;

program
  .command('serve')
  .description('receive, store and deliver events')
  .option(...configOption)
  .action(serve);

program
  .command('check')
  .description('validate the config, and render the sample events of each route through its templates')
  .option('--strict', 'warnings fail the check too')
  .option('--online', 'also ask Slack and the Credo AI API whether the tokens and channels work')
  .option(...configOption)
  .action(check);

program
  .command('render')
  .description('print the message an event renders to')
  .requiredOption('-e, --event <file>', 'event payload (JSON)')
  .option('-t, --template <name>', 'template to use instead of the event type’s own')
  .option('-p, --platform <platform>', 'slack (Block Kit) or teams (Adaptive Card)', 'slack')
  .option(...configOption)
  .action(render);

program
  .command('route')
  .description(
    'which routes an event matches and why, and the destinations and DMs it would make (nothing is sent)',
  )
  .requiredOption('-e, --event <file>', 'event payload (JSON)')
  .option('--json', 'print JSON instead of text')
  .option(...configOption)
  .action(route);

program
  .command('replay')
  .description('sign a saved payload with the configured secret and send it to a running server')
  .argument('<event>', 'event payload (JSON)')
  .option('-u, --url <url>', 'webhook URL (default: from the config’s server settings)')
  .option('--id <id>', 'delivery id (default: a new one, so the event is not deduplicated)')
  .option(...configOption)
  .action(replay);

const webhooks = program
  .command('credo')
  .description('talk to the Credo AI API (needs credo.api in the config)')
  .command('webhooks')
  .description('the webhooks registered in Credo AI');
webhooks
  .command('list')
  .description('list them')
  .option(...configOption)
  .action(credoWebhooks.list);
webhooks
  .command('create')
  .description('register this server, subscribed to the event types the routes use')
  .requiredOption('-u, --url <url>', 'public URL of this server (base, or the full webhook URL)')
  .option('-d, --description <text>', 'description shown in Credo AI', 'credo-notify')
  .option('--environment <name>', 'Credo AI environment, e.g. production')
  .option(...configOption)
  .action(credoWebhooks.create);
webhooks
  .command('delete')
  .description('remove one')
  .argument('<id>', 'webhook id')
  .option(...configOption)
  .action(credoWebhooks.delete);

const deadLetterCommands = program
  .command('dead-letters')
  .description('deliveries that failed for good: inspect, retry or drop them (works while serve runs)');
deadLetterCommands
  .command('list')
  .description('list them, oldest first')
  .option('-n, --limit <count>', 'at most this many', '100')
  .option('--json', 'print JSON instead of a table')
  .option(...configOption)
  .action(deadLetters.list);
deadLetterCommands
  .command('show')
  .description('print one, with the Credo AI event it carries')
  .argument('<id>', 'dead letter id (from list)')
  .option(...configOption)
  .action(deadLetters.show);
deadLetterCommands
  .command('retry')
  .description('send again, with the current config and templates')
  .argument('[id]', 'dead letter id (from list)')
  .option('--all', 'every dead letter')
  .option(...configOption)
  .action(deadLetters.retry);
deadLetterCommands
  .command('drop')
  .description('forget one for good')
  .argument('<id>', 'dead letter id (from list)')
  .option(...configOption)
  .action(deadLetters.drop);

const subscriptionCommands = program
  .command('subscriptions')
  .description(
    'what people subscribed channels to from the chat: list or remove them (works while serve runs)',
  );
subscriptionCommands
  .command('list', { isDefault: true })
  .description('list them (the default)')
  .option('--json', 'print JSON instead of a table')
  .option(...configOption)
  .action(subscriptions.list);
subscriptionCommands
  .command('remove')
  .description('remove one; running servers stop sending it within 5 s')
  .argument('<platform>', 'slack or teams')
  .argument('<conversation-id>', 'the Slack channel id or Teams conversation id (from the list)')
  .argument('<use-case>', 'the use case id, or all')
  .option(...configOption)
  .action(subscriptions.remove);

const teamsConversationCommands = program
  .command('teams')
  .description('the Teams bot')
  .command('conversations')
  .description('where the bot can post: the conversations it was added to, and their aliases');
teamsConversationCommands
  .command('list', { isDefault: true })
  .description('list them (the default)')
  .option('--json', 'print JSON instead of a table')
  .option(...configOption)
  .action(teamsConversations.list);
teamsConversationCommands
  .command('move')
  .description('give an alias to another conversation (activities never move one)')
  .argument('<alias>', 'the alias destinations are written with')
  .argument('<conversation-id>', 'the conversation it is to name (from the list)')
  .option(...configOption)
  .action(teamsConversations.move);

program
  .command('teams-manifest')
  .description('write the Teams app package (manifest.json and icons, zipped), ready to upload')
  .option('--app-id <id>', 'the bot’s Microsoft App ID (default: teams.appId of --config)')
  .option('-c, --config <path>', 'config file to read teams.appId from')
  .option('--version <x.y.z>', 'the app’s version; raise it to upload an update (default: credo-notify’s)')
  .option('-o, --out <file>', 'where to write it', 'credo-notify-teams.zip')
  .option('--name <name>', 'the app’s name in Teams', 'Credo AI')
  .option(
    '--website <url>',
    'your page about the app; the privacy and terms links point there too',
    'https://app.credo.ai',
  )
  .action(teamsManifestCommand);

await program.parseAsync();

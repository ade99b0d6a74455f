#!/usr/bin/env node
import { Command } from 'commander';
import dotenv from 'dotenv';

// `.env` fills in what the environment does not already say; it never overrides it.
dotenv.config({ quiet: true });

/**
 * A command's action, imported only when that command runs: each command then loads just what
 * it uses (the server takes over a second of CPU to import; teams-manifest a tenth of one).
 */
function lazy<A extends unknown[]>(load: () => Promise<(...args: A) => unknown>) {
  return async (...args: A) => {
    await (await load())(...args);
  };
}

const program = new Command()
  .name('credo-notify')
  .description('Credo AI webhook events to Slack and Microsoft Teams messages')
  .showHelpAfterError();

const configOption = [
  '-c, --config <path>',
  'config file (default: ./credo-notify.yaml, else the quick-start config)',
] as const;

program
  .command('serve')
  .description('receive, store and deliver events')
  .option(...configOption)
  .action(lazy(async () => (await import('./cli/serve.js')).serve));

program
  .command('check')
  .description('validate the config and render every sample event through every template a route may use')
  .option(...configOption)
  .action(lazy(async () => (await import('./cli/check.js')).check));

program
  .command('render')
  .description('print the message an event renders to')
  .requiredOption('-e, --event <file>', 'event payload (JSON)')
  .option('-t, --template <name>', 'template to use instead of the event type’s own')
  .option('-p, --platform <platform>', 'slack (Block Kit) or teams (Adaptive Card)', 'slack')
  .option(...configOption)
  .action(lazy(async () => (await import('./cli/render.js')).render));

program
  .command('replay')
  .description('sign a saved payload with the configured secret and send it to a running server')
  .argument('<event>', 'event payload (JSON)')
  .option('-u, --url <url>', 'webhook URL (default: from the config’s server settings)')
  .option('--id <id>', 'delivery id (default: a new one, so the event is not deduplicated)')
  .option(...configOption)
  .action(lazy(async () => (await import('./cli/replay.js')).replay));

const webhooks = program
  .command('credo')
  .description('talk to the Credo AI API (needs credo.api in the config)')
  .command('webhooks')
  .description('the webhooks registered in Credo AI');
webhooks
  .command('list')
  .description('list them')
  .option(...configOption)
  .action(lazy(async () => (await import('./cli/credo-webhooks-command.js')).credoWebhooks.list));
webhooks
  .command('create')
  .description('register this server, subscribed to the event types the routes use')
  .requiredOption('-u, --url <url>', 'public URL of this server (base, or the full webhook URL)')
  .option('-d, --description <text>', 'description shown in Credo AI', 'credo-notify')
  .option('--environment <name>', 'Credo AI environment, e.g. production')
  .option(...configOption)
  .action(lazy(async () => (await import('./cli/credo-webhooks-command.js')).credoWebhooks.create));
webhooks
  .command('delete')
  .description('remove one')
  .argument('<id>', 'webhook id')
  .option(...configOption)
  .action(lazy(async () => (await import('./cli/credo-webhooks-command.js')).credoWebhooks.delete));

const deadLetterCommands = program
  .command('dead-letters')
  .description('deliveries that failed for good: inspect, retry or drop them (works while serve runs)');
deadLetterCommands
  .command('list')
  .description('list them, oldest first')
  .option('-n, --limit <count>', 'at most this many', '100')
  .option('--json', 'print JSON instead of a table')
  .option(...configOption)
  .action(lazy(async () => (await import('./cli/dead-letters.js')).deadLetters.list));
deadLetterCommands
  .command('show')
  .description('print one, with the Credo AI event it carries')
  .argument('<id>', 'dead letter id (from list)')
  .option(...configOption)
  .action(lazy(async () => (await import('./cli/dead-letters.js')).deadLetters.show));
deadLetterCommands
  .command('retry')
  .description('send again, with the current config and templates')
  .argument('[id]', 'dead letter id (from list)')
  .option('--all', 'every dead letter')
  .option(...configOption)
  .action(lazy(async () => (await import('./cli/dead-letters.js')).deadLetters.retry));
deadLetterCommands
  .command('drop')
  .description('forget one for good')
  .argument('<id>', 'dead letter id (from list)')
  .option(...configOption)
  .action(lazy(async () => (await import('./cli/dead-letters.js')).deadLetters.drop));

program
  .command('teams-manifest')
  .description('write the Teams app package (manifest.json and icons, zipped), ready to upload')
  .requiredOption('--app-id <id>', 'the bot’s Microsoft App ID (teams.appId)')
  .option('-o, --out <file>', 'where to write it', 'credo-notify-teams.zip')
  .option('--name <name>', 'the app’s name in Teams', 'Credo AI')
  .option(
    '--website <url>',
    'your page about the app; the privacy and terms links point there too',
    'https://app.credo.ai',
  )
  .action(lazy(async () => (await import('./cli/teams-manifest.js')).teamsManifestCommand));

await program.parseAsync();

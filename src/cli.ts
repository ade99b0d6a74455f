#!/usr/bin/env node
import { Command } from 'commander';
import dotenv from 'dotenv';
import { check } from './cli/check.js';
import { credoWebhooks } from './cli/credo-webhooks-command.js';
import { render } from './cli/render.js';
import { replay } from './cli/replay.js';
import { serve } from './cli/serve.js';

// `.env` fills in what the environment does not already say; it never overrides it.
dotenv.config({ quiet: true });

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
  .action(serve);

program
  .command('check')
  .description('validate the config and render every sample event through every template a route may use')
  .option(...configOption)
  .action(check);

program
  .command('render')
  .description('print the message an event renders to')
  .requiredOption('-e, --event <file>', 'event payload (JSON)')
  .option('-t, --template <name>', 'template to use instead of the event type’s own')
  .option(...configOption)
  .action(render);

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

await program.parseAsync();

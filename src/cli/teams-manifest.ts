import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { packageVersion } from '../package-info.js';
import { builtinTemplatesDir } from '../render/templates-dir.js';

export interface TeamsAppOptions {
  /** The bot's Microsoft App ID (`teams.appId`): the app's id too. */
  appId: string;
  /** The app's name in Teams (at most 30 characters). */
  name: string;
  /** The publisher's page; Teams requires privacy and terms links, which point there too. */
  website: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SCOPES = ['team', 'groupChat', 'personal'];

/**
 * The Teams app package: manifest.json (schema 1.17) and the two icons, zipped. Teams takes it
 * as is under Apps › Manage your apps › Upload an app. Throws on options Teams would refuse.
 */
export function buildTeamsAppPackage(options: TeamsAppOptions): Uint8Array {
  if (!GUID.test(options.appId)) {
    throw new Error(`--app-id must be the bot's Microsoft App ID, a GUID; got "${options.appId}"`);
  }
  if (options.name.trim() === '' || options.name.length > 30)
    throw new Error('--name must be 1 to 30 characters');
  if (!/^https:\/\/\S+$/.test(options.website)) throw new Error('--website must be an https URL');
  const icons = join(builtinTemplatesDir(), 'teams', 'app');
  return zipSync({
    'manifest.json': strToU8(`${JSON.stringify(teamsManifest(options), null, 2)}\n`),
    'color.png': readFileSync(join(icons, 'color.png')),
    'outline.png': readFileSync(join(icons, 'outline.png')),
  });
}

function teamsManifest({ appId, name, website }: TeamsAppOptions) {
  return {
    $schema: 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json',
    manifestVersion: '1.17',
    version: packageVersion(),
    id: appId,
    developer: { name: 'credo-notify', websiteUrl: website, privacyUrl: website, termsOfUseUrl: website },
    name: { short: name, full: `${name} notifications (credo-notify)` },
    description: {
      short: 'Credo AI governance events: reviews, comments, tasks and use case changes.',
      full:
        'Posts Credo AI governance events to the channels and chats it is added to: review status changes, ' +
        'review comments with mentions, review tasks and use case changes, with threads per review. ' +
        'Add it to a team to get the alias to use in credo-notify’s config; install it for yourself to get direct ' +
        'messages when you are tagged or assigned.',
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: '#4F46E5',
    bots: [
      {
        botId: appId,
        scopes: SCOPES,
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [
          {
            scopes: SCOPES,
            commands: [
              { title: 'help', description: 'What this conversation is called in the config' },
              { title: 'status', description: 'Which routes send here' },
            ],
          },
        ],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [],
  };
}

/** `credo-notify teams-manifest --app-id <id> [--out file]` */
export async function teamsManifestCommand(options: TeamsAppOptions & { out: string }): Promise<void> {
  let zip: Uint8Array;
  try {
    zip = buildTeamsAppPackage(options);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  writeFileSync(options.out, zip);
  process.stdout.write(
    `Wrote ${options.out}: upload it in Teams under Apps › Manage your apps › Upload an app,\n` +
      'then add the app to a team: the bot answers with the alias to use in the config.\n',
  );
}

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { packageVersion } from '../package-info.js';
import { builtinTemplatesDir } from '../render/templates-dir.js';
import { loadConfigOrExit } from './load-config.js';

export interface TeamsAppOptions {
  /** The bot's Microsoft App ID (`teams.appId`): the app's id too. */
  appId: string;
  /** The app's name in Teams (at most 30 characters). */
  name: string;
  /** The publisher's page; Teams requires privacy and terms links, which point there too. */
  website: string;
  /** The app's version; Teams takes an uploaded update only with a higher one. Default: this package's. */
  version?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The manifest schema's own pattern for `version`: three numbers, no leading zeros, no pre-release. */
const MANIFEST_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
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
  if (options.version !== undefined && !MANIFEST_VERSION.test(options.version)) {
    throw new Error(`--version must be x.y.z, three whole numbers such as 1.2.0; got "${options.version}"`);
  }
  const icons = join(builtinTemplatesDir(), 'teams', 'app');
  return zipSync({
    'manifest.json': strToU8(`${JSON.stringify(teamsManifest(options), null, 2)}\n`),
    'color.png': readFileSync(join(icons, 'color.png')),
    'outline.png': readFileSync(join(icons, 'outline.png')),
  });
}

function teamsManifest({ appId, name, website, version }: TeamsAppOptions) {
  return {
    $schema: 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json',
    manifestVersion: '1.17',
    version: version ?? packageVersion(),
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

export interface TeamsManifestCommandOptions extends Omit<TeamsAppOptions, 'appId'> {
  appId?: string;
  config?: string;
  out: string;
}

/** `credo-notify teams-manifest [--app-id <id> | --config <file>] [--version x.y.z] [--out file]` */
export async function teamsManifestCommand(options: TeamsManifestCommandOptions): Promise<void> {
  let zip: Uint8Array;
  try {
    zip = buildTeamsAppPackage({ ...options, appId: appIdOf(options) });
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

/**
 * `--app-id` wins; otherwise the id the server itself uses, so that the package and the bot
 * cannot disagree. Building a package needs no secret, hence no webhook secret either.
 */
function appIdOf(options: Pick<TeamsManifestCommandOptions, 'appId' | 'config'>): string {
  if (options.appId !== undefined) return options.appId;
  const appId =
    options.config === undefined
      ? ''
      : (loadConfigOrExit(options.config, { secretMayBeMissing: true }).config.teams?.appId ?? '');
  if (appId === '') {
    const where = options.config === undefined ? '' : ` (${options.config} has no teams.appId)`;
    throw new Error(
      `give the bot's Microsoft App ID: --app-id <id>, or --config <file> with teams.appId${where}`,
    );
  }
  return appId;
}

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTeamsAppPackage } from '../../src/cli/teams-manifest.js';
import { packageVersion } from '../../src/package-info.js';
import { runCli } from './run-cli.js';

const APP_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const options = { appId: APP_ID, name: 'Credo AI', website: 'https://acme.example/credo-notify' };

function manifestOf(zip: Uint8Array) {
  return JSON.parse(strFromU8(unzipSync(zip)['manifest.json'] ?? new Uint8Array()));
}

/** Width, height and colour type of a PNG, from its IHDR chunk. */
function pngHeader(png: Uint8Array) {
  const view = Buffer.from(png);
  expect(view.subarray(1, 4).toString()).toBe('PNG');
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20), colourType: view[25] };
}

describe('the Teams app package', () => {
  it('holds a manifest for this bot and the two icons Teams asks for', () => {
    const files = unzipSync(buildTeamsAppPackage(options));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);

    const manifest = JSON.parse(strFromU8(files['manifest.json'] ?? new Uint8Array()));
    expect(manifest).toMatchObject({
      manifestVersion: '1.17',
      id: APP_ID,
      version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      name: { short: 'Credo AI' },
      icons: { color: 'color.png', outline: 'outline.png' },
      developer: { websiteUrl: options.website, privacyUrl: options.website, termsOfUseUrl: options.website },
      bots: [{ botId: APP_ID, scopes: ['team', 'groupChat', 'personal'] }],
    });
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title)).toEqual([
      'help',
      'status',
    ]);
    // RGBA: the outline icon must be transparent around a white glyph.
    expect(pngHeader(files['color.png'] ?? new Uint8Array())).toEqual({
      width: 192,
      height: 192,
      colourType: 6,
    });
    expect(pngHeader(files['outline.png'] ?? new Uint8Array())).toEqual({
      width: 32,
      height: 32,
      colourType: 6,
    });
  });

  it.each([
    [{ appId: 'my-bot' }, '--app-id must be'],
    [{ name: 'A name far longer than thirty characters' }, '--name must be'],
    [{ website: 'http://acme.example' }, '--website must be'],
    [{ version: '1.2' }, '--version must be x.y.z'],
    [{ version: '1.02.0' }, '--version must be x.y.z'],
    [{ version: 'v1.2.0' }, '--version must be x.y.z'],
    [{ version: '1.2.0-beta.1' }, '--version must be x.y.z'],
  ])('refuses what Teams would refuse: %o', (change, message) => {
    expect(() => buildTeamsAppPackage({ ...options, ...change })).toThrow(message);
  });
});

describe('the Teams app version (issue 20)', () => {
  it("is credo-notify's own unless told, and the one given when told: Teams takes an update only with a higher one", () => {
    expect(manifestOf(buildTeamsAppPackage(options)).version).toBe(packageVersion());
    expect(manifestOf(buildTeamsAppPackage({ ...options, version: '2.10.0' })).version).toBe('2.10.0');
  });
});

describe('credo-notify teams-manifest', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'credo-notify-manifest-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the zip where it is told and says what to do with it', async () => {
    const out = join(dir, 'app.zip');
    const result = await runCli(['teams-manifest', '--app-id', APP_ID, '--out', out]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Upload an app');
    expect(Object.keys(unzipSync(readFileSync(out)))).toContain('manifest.json');
  });

  it('exits 1 with the reason when the app id is no GUID', async () => {
    const result = await runCli(['teams-manifest', '--app-id', 'my-bot', '--out', join(dir, 'app.zip')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--app-id must be');
  });

  describe('where the app id comes from (issue 20)', () => {
    const CONFIG_APP_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const writeConfig = (teams: string) => {
      const file = join(dir, 'credo-notify.yaml');
      writeFileSync(
        file,
        [
          // biome-ignore lint/suspicious/noTemplateCurlyInString: config text, where ${NAME} reads the environment
          'credo: { auth: { secrets: ["${CREDO_WEBHOOK_SECRET}"] } }',
          teams,
          'destinations: { out: { console: {} } }',
          'routes: [{ match: { events: ["*"] }, to: [out] }]',
          '',
        ].join('\n'),
      );
      return file;
    };
    const withTeams = () =>
      writeConfig(`teams: { appId: "${CONFIG_APP_ID}", appPassword: "app-password", tenantId: "contoso" }`);

    it('reads teams.appId from --config, with no webhook secret set yet, and takes --version', async () => {
      const out = join(dir, 'app.zip');
      const result = await runCli(
        ['teams-manifest', '--config', withTeams(), '--version', '1.4.0', '--out', out],
        {
          env: { CREDO_WEBHOOK_SECRET: '' },
        },
      );

      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(manifestOf(readFileSync(out))).toMatchObject({ id: CONFIG_APP_ID, version: '1.4.0' });
    });

    it('takes --app-id over the config’s', async () => {
      const out = join(dir, 'app.zip');
      const result = await runCli([
        'teams-manifest',
        '--app-id',
        APP_ID,
        '--config',
        withTeams(),
        '--out',
        out,
      ]);

      expect(result.code).toBe(0);
      expect(manifestOf(readFileSync(out)).id).toBe(APP_ID);
    });

    it.each([
      ['neither --app-id nor --config', []],
      ['a config with no teams.appId', ['--config', 'credo-notify.yaml']],
    ])('exits 1 naming both ways when given %s', async (_case, args) => {
      writeConfig('');
      const result = await runCli(['teams-manifest', ...args, '--out', join(dir, 'app.zip')], { cwd: dir });

      expect(result.code).toBe(1);
      expect(result.stderr).toContain('--app-id <id>, or --config <file> with teams.appId');
    });

    it('exits 1 with the reason for a --version Teams would refuse', async () => {
      const result = await runCli([
        'teams-manifest',
        '--app-id',
        APP_ID,
        '--version',
        '1.2',
        '--out',
        join(dir, 'a.zip'),
      ]);

      expect(result.code).toBe(1);
      expect(result.stderr).toContain('--version must be x.y.z');
    });
  });
});

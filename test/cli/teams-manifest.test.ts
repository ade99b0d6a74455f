import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTeamsAppPackage } from '../../src/cli/teams-manifest.js';
import { runCli } from './run-cli.js';

const APP_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const options = { appId: APP_ID, name: 'Credo AI', website: 'https://acme.example/credo-notify' };

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
  ])('refuses what Teams would refuse: %o', (change, message) => {
    expect(() => buildTeamsAppPackage({ ...options, ...change })).toThrow(message);
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
});

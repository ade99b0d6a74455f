import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configDir } from './config-dir.js';
import { runCli } from './run-cli.js';

/** `render` tells the truth (issue 20): it refuses what the server refuses, and resolves people offline. */

const sample = (name: string) => fileURLToPath(new URL(`../../samples/events/${name}`, import.meta.url));
const COMMENT = sample('use_case_review_comment.json');
const TAGGED_ID = 'MMC8qELwNoq9V27Y2cvqHf';

const config = (mentions = '') => `
credo:
  auth: { method: none }
${mentions}
destinations:
  out: { console: {} }
routes:
  - to: [out]
`;

const cli = (args: string[], cwd: string) => runCli(args, { cwd, env: { CREDO_WEBHOOK_SECRET: '' } });

describe('credo-notify render, as the server would (issue 20)', () => {
  it('exits 1 with the code the server would answer 400 with, and what is wrong', async () => {
    const comment = JSON.parse(readFileSync(COMMENT, 'utf8'));
    delete comment.data.useCaseId;
    const dir = configDir(config(), { 'bad.json': JSON.stringify(comment) });
    const result = await cli(['render', '--event', join(dir, 'bad.json')], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('400 CN_EVENT_INVALID');
    expect(result.stderr).toContain('useCaseId');
  });

  it('exits 1 with CN_BODY_INVALID_JSON for a file that is not JSON', async () => {
    const dir = configDir(config(), { 'bad.json': '{"type": ' });
    const result = await cli(['render', '--event', join(dir, 'bad.json')], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('CN_BODY_INVALID_JSON');
  });

  it('mentions a tagged person by the chat id mentions.users gives, with no network', async () => {
    const dir = configDir(config(`mentions:\n  users:\n    ${TAGGED_ID}: { slack: U0JOHNDOE }`));
    const result = await cli(['render', '--event', COMMENT], dir);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).text).toContain('<@U0JOHNDOE>');
    expect(result.stderr).not.toContain('not resolved');
  });

  it('lists the people it could not resolve without the network', async () => {
    const dir = configDir(config());
    const result = await cli(['render', '--event', COMMENT], dir);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).text).not.toContain('<@');
    expect(result.stderr).toMatch(new RegExp(`not resolved without the network.*${TAGGED_ID}`));
  });

  it('uses the Teams id of mentions.users with --platform teams', async () => {
    const dir = configDir(config(`mentions:\n  users:\n    ${TAGGED_ID}: { teams: john@contoso.com }`));
    const result = await cli(['render', '--event', COMMENT, '--platform', 'teams'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('john@contoso.com');
    expect(result.stderr).not.toContain('not resolved');
  });
});

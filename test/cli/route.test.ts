import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configDir } from './config-dir.js';
import { runCli } from './run-cli.js';

/** `credo-notify route --event`: the dry run of routing (issue 20). */

const COMMENT = fileURLToPath(new URL('../../samples/events/use_case_review_comment.json', import.meta.url));
const TAGGED_ID = 'MMC8qELwNoq9V27Y2cvqHf';

const CONFIG = `
credo:
  auth: { method: none }
slack:
  botToken: xoxb-1-2
destinations:
  gov: { slack: { channel: C0123456 } }
  out: { console: {} }
routes:
  - name: approvals
    match: { events: [use_case_review_status_updated], where: { status: [approved] } }
    to: [gov]
  - name: comments
    match: { events: ["use_case_review_*"] }
    to: [out]
  - name: everything
    match: { events: ["*"] }
    to: [gov]
`;

const cli = (args: string[], cwd: string) => runCli(args, { cwd, env: { CREDO_WEBHOOK_SECRET: '' } });

describe('credo-notify route --event (issue 20)', () => {
  it('shows each route matched or not with its reasons, the destinations and the DMs', async () => {
    const dir = configDir(CONFIG);
    const result = await cli(['route', '--event', COMMENT], dir);
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toContain('approvals: does not match');
    expect(out).toContain(
      '✗ event type is use_case_review_status_updated (the event has "use_case_review_comment")',
    );
    expect(out).toContain('✗ status is approved (the event has nothing there)');
    expect(out).toContain('comments: matches: sends to out');
    expect(out).toContain('✓ event type is use_case_review_*');
    expect(out).toContain('everything: matches, but an earlier route without continue ended the search');
    expect(out).toContain('Destinations (1)\n  out (console, slack) by comments');
    expect(out).toContain(`Direct messages (1)\n  ${TAGGED_ID} on slack: tagged`);
    expect(out).toContain('Nothing was sent.');
  });

  it('prints the same answer as JSON with --json', async () => {
    const dir = configDir(CONFIG);
    const result = await cli(['route', '--json', '--event', COMMENT], dir);
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(answer.routes.map((r: { name: string; outcome: string }) => [r.name, r.outcome])).toEqual([
      ['approvals', 'unmatched'],
      ['comments', 'sends'],
      ['everything', 'search-ended'],
    ]);
    expect(answer.destinations).toMatchObject([{ destination: 'out', kind: 'console', route: 'comments' }]);
    expect(answer.directMessages).toEqual([
      {
        destination: `dm:slack:${TAGGED_ID}`,
        kind: 'dm',
        userId: TAGGED_ID,
        reason: 'tagged',
        platform: 'slack',
      },
    ]);
  });

  it('exits 1 with the 400 code for an event the server would refuse', async () => {
    const comment = JSON.parse(readFileSync(COMMENT, 'utf8'));
    comment.data.comment = 42;
    const dir = configDir(CONFIG, { 'bad.json': JSON.stringify(comment) });
    const result = await cli(['route', '--event', join(dir, 'bad.json')], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('400 CN_EVENT_INVALID');
  });
});

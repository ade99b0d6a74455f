import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/** The README's command table lists every command the CLI has, found from its own --help (issue 20). */

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

/** The first cell of each row of the table under "## Commands", without its backticks. */
const tableCommands = () =>
  (README.split('## Commands')[1] ?? '')
    .split('\n## ')[0]
    ?.split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('`')[1] ?? '') ?? [];

/** The commands under `path`, from its --help, down to those that have no subcommands. */
async function leafCommands(path: string[]): Promise<string[][]> {
  const help = (await runCli([...path, '--help'])).stdout;
  const names = (help.split('Commands:\n')[1] ?? '')
    .split('\n')
    .map((line) => /^ {2}([a-z][\w-]*)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && name !== 'help');
  if (names.length === 0) return [path];
  return (await Promise.all(names.map((name) => leafCommands([...path, name])))).flat();
}

describe('the README command table (issue 20)', () => {
  it('has a row for every command', async () => {
    const rows = tableCommands();
    const leaves = await leafCommands([]);
    expect(leaves.length).toBeGreaterThan(10);
    const missing = leaves.filter((leaf) => {
      const parent = leaf.slice(0, -1).join(' ');
      const name = leaf.at(-1) ?? '';
      return !rows.some((row) =>
        parent === '' ? row.split(' ')[0] === name : row.startsWith(`${parent} `) && row.includes(name),
      );
    });
    expect(missing.map((leaf) => leaf.join(' '))).toEqual([]);
  });

  it('shows the options users ask for: --platform, --json, --version', () => {
    const table = tableCommands().join('\n');
    for (const option of ['--platform', 'route --event f.json [--json]', '--version']) {
      expect(table).toContain(option);
    }
  });
});

import { slackCommandsLine } from '../inbound/slack/slack-commands-state.js';
import { fails, formatFinding } from './check/finding.js';
import { runChecks } from './check/run-checks.js';
import { loadConfigOrExit } from './load-config.js';

export interface CheckOptions {
  config?: string;
  /** Warnings fail the check too. */
  strict?: boolean;
  /** Also ask Slack and the Credo AI API whether the tokens and channels work. */
  online?: boolean;
}

/**
 * `credo-notify check`: the config is valid, every template compiles and renders the sample
 * events of the routes that use it, and the values the schema cannot judge look right. Exit 0
 * or 1, with the same messages `serve` would print.
 */
export async function check(options: CheckOptions): Promise<void> {
  const loaded = loadConfigOrExit(options.config, { secretMayBeMissing: true });
  const report = await runChecks(loaded, { online: options.online });
  for (const finding of report.findings) process.stderr.write(`${formatFinding(finding)}\n`);
  if (fails(report.findings, options.strict ?? false)) {
    process.stderr.write(`FAILED: ${loaded.source}\n`);
    process.exit(1);
  }
  const { config } = loaded;
  process.stdout.write(`OK: ${loaded.source}\n`);
  process.stdout.write(
    `  ${Object.keys(config.destinations).length} destinations, ${config.routes.length} routes\n`,
  );
  if (config.slack) process.stdout.write(`  ${slackCommandsLine(config)}\n`);
  for (const [platform, count] of report.rendered) {
    process.stdout.write(`  ${platform}: ${count} renders of ${report.samples} sample events\n`);
  }
}

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeIssues, issueMessage } from './describe-issues.js';
import { ConfigError } from './errors.js';
import { type Environment, interpolateEnv } from './interpolate-env.js';
import { parseYaml } from './parse-yaml.js';
import { formatProblem, isWithin } from './problem.js';
import { DEV_WEBHOOK_SECRET, QUICK_START_CONFIG, QUICK_START_SOURCE } from './quick-start.js';
import { type Config, configSchema } from './schema.js';

/** Looked for in the working directory when no `--config` is given. */
export const DEFAULT_CONFIG_FILE = 'credo-notify.yaml';

export interface LoadOptions {
  /** `--config`: relative to `cwd`. Without it, ./credo-notify.yaml, else the quick start. */
  path?: string;
  cwd: string;
  env: Environment;
}

export interface LoadedConfig {
  config: Config;
  /** The file path, or "bundled quick-start config". */
  source: string;
  /** The public development secret is accepted: `serve` must warn. */
  usesDevSecret: boolean;
}

/** Reads, interpolates and validates the config. Throws a `ConfigError` listing every problem. */
export function loadConfig(options: LoadOptions): LoadedConfig {
  const { text, source } = readConfigText(options);
  const config = parseConfigText(text, source, options.env);
  return { config, source, usesDevSecret: config.credo.auth.secrets.includes(DEV_WEBHOOK_SECRET) };
}

/** Parses config text from anywhere (tests, reload). `source` names it in messages. */
export function parseConfigText(text: string, source: string, env: Environment): Config {
  const yaml = parseYaml(text, source);
  if (yaml.problems.length > 0) throw new ConfigError(source, yaml.problems);

  const interpolated = interpolateEnv(yaml.value, env);
  const parsed = configSchema.safeParse(interpolated.value, { error: issueMessage });
  if (parsed.success && interpolated.problems.length === 0) return parsed.data;

  // A key whose variable is missing would also fail its schema check; the variable is the news.
  const envPaths = interpolated.problems.map((p) => p.path);
  const schemaProblems = describeIssues(parsed.error?.issues ?? [], configSchema).filter(
    (p) => !envPaths.some((envPath) => isWithin(p.path, envPath)),
  );
  throw new ConfigError(source, [...interpolated.problems, ...schemaProblems].map(formatProblem));
}

function readConfigText(options: LoadOptions): { text: string; source: string } {
  if (options.path !== undefined) {
    const file = resolve(options.cwd, options.path);
    const text = readIfExists(file);
    if (text === undefined)
      throw new ConfigError(file, ['config file not found (check the --config path)'], 'CN_CONFIG_NOT_FOUND');
    return { text, source: file };
  }
  const file = resolve(options.cwd, DEFAULT_CONFIG_FILE);
  const text = readIfExists(file);
  return text === undefined
    ? { text: QUICK_START_CONFIG, source: QUICK_START_SOURCE }
    : { text, source: file };
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    const problem = `cannot read the config file: ${(error as Error).message}`;
    throw new ConfigError(file, [problem], 'CN_CONFIG_UNREADABLE');
  }
}

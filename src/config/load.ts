import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeIssues, issueMessage } from './describe-issues.js';
import { ConfigError } from './errors.js';
import { type Environment, interpolateEnv } from './interpolate-env.js';
import { parseYaml } from './parse-yaml.js';
import { formatProblem, isWithin } from './problem.js';
import { DEV_WEBHOOK_SECRET, QUICK_START_CONFIG, QUICK_START_SOURCE } from './quick-start.js';
import { resolveConfigPaths } from './resolve-paths.js';
import { type Config, configSchema } from './schema.js';

/** Looked for in the working directory when no `--config` is given. */
export const DEFAULT_CONFIG_FILE = 'credo-notify.yaml';

export interface LoadOptions {
  /** `--config`: relative to `cwd`. Without it, ./credo-notify.yaml, else the quick start. */
  path?: string;
  cwd: string;
  env: Environment;
  /**
   * The command never uses the webhook secret (`check`, `render`, `credo webhooks`...): a secret
   * whose variable is not set yet is reported in `missingSecret` instead of refusing the config.
   * The secret only exists once the webhook is registered, so registering must not need it.
   */
  secretMayBeMissing?: boolean;
}

export interface LoadedConfig {
  config: Config;
  /** The file path, or "bundled quick-start config". */
  source: string;
  /** The public development secret is accepted: `serve` must warn. */
  usesDevSecret: boolean;
  /** With `secretMayBeMissing`: the secrets whose variable is not set, left out of the config. */
  missingSecret: readonly string[];
}

/** Reads, interpolates and validates the config. Throws a `ConfigError` listing every problem. */
export function loadConfig(options: LoadOptions): LoadedConfig {
  const { text, source } = readConfigText(options);
  const { config: parsed, missingSecret } = parseConfig(text, source, options.env, {
    secretMayBeMissing: options.secretMayBeMissing ?? false,
  });
  // The quick start has no folder of its own: its paths stay relative to the working directory.
  const config = source === QUICK_START_SOURCE ? parsed : resolveConfigPaths(parsed, dirname(source));
  return {
    config,
    source,
    usesDevSecret: config.credo.auth.secrets.includes(DEV_WEBHOOK_SECRET),
    missingSecret,
  };
}

/** Parses config text from anywhere (tests, reload). `source` names it in messages. */
export function parseConfigText(text: string, source: string, env: Environment): Config {
  return parseConfig(text, source, env, { secretMayBeMissing: false }).config;
}

const SECRETS_PATH = ['credo', 'auth', 'secrets'];
/** Stands in for a missing secret while the schema runs, then is taken out: it never verifies anything. */
const PENDING_SECRET = 'whsec_cGVuZGluZw==';

function parseConfig(
  text: string,
  source: string,
  env: Environment,
  options: { secretMayBeMissing: boolean },
): { config: Config; missingSecret: string[] } {
  const yaml = parseYaml(text, source);
  if (yaml.problems.length > 0) throw new ConfigError(source, yaml.problems);

  const interpolated = interpolateEnv(yaml.value, env);
  const pending = options.secretMayBeMissing
    ? interpolated.problems.filter((p) => isWithin(p.path, SECRETS_PATH))
    : [];
  const problems = interpolated.problems.filter((p) => !pending.includes(p));
  const value = pending.reduce((tree, p) => setAt(tree, p.path, PENDING_SECRET), interpolated.value);
  const parsed = configSchema.safeParse(value, { error: issueMessage });
  if (parsed.success && problems.length === 0) {
    const secrets = parsed.data.credo.auth.secrets.filter((secret) => secret !== PENDING_SECRET);
    const config = {
      ...parsed.data,
      credo: { ...parsed.data.credo, auth: { ...parsed.data.credo.auth, secrets } },
    };
    return { config, missingSecret: pending.map(formatProblem) };
  }

  // A key whose variable is missing would also fail its schema check; the variable is the news.
  const envPaths = problems.map((p) => p.path);
  const schemaProblems = describeIssues(parsed.error?.issues ?? [], configSchema).filter(
    (p) => !envPaths.some((envPath) => isWithin(p.path, envPath)),
  );
  throw new ConfigError(source, [...problems, ...schemaProblems].map(formatProblem));
}

/** A copy of a parsed YAML tree with the value at `path` replaced. */
function setAt(tree: unknown, path: readonly PropertyKey[], value: unknown): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return value;
  if (Array.isArray(tree)) return tree.map((item, i) => (i === key ? setAt(item, rest, value) : item));
  if (typeof tree !== 'object' || tree === null) return tree;
  const record = tree as Record<PropertyKey, unknown>;
  return { ...record, [key]: setAt(record[key], rest, value) };
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

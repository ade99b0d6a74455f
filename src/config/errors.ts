import { CodedError, type ErrorCode } from '../errors.js';

/**
 * Everything wrong with a config, found in one pass, so a user fixes it in one round.
 * The CLI prints `message` and exits 1 before listening; `credo-notify check` prints the same.
 */
export class ConfigError extends CodedError {
  readonly problems: readonly string[];
  /** The file path, or "bundled quick-start config". */
  readonly source: string;

  constructor(source: string, problems: readonly string[], code: ErrorCode = 'CN_CONFIG_INVALID') {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(code, `Invalid configuration (${source}): ${count}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.source = source;
    this.problems = problems;
  }
}

import { readFileSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import { describeProblem, type ParsedDelivery, parseDelivery } from '../receiver/parse-delivery.js';

/**
 * Reads an event file through the receiver's own checks, so that a command never shows what the
 * server would refuse: an event it would answer 400 to is one line with the code, and exit 1.
 */
export function parsedEventOrExit(path: string, config: Config): ParsedDelivery {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return exit(`cannot read ${path}: ${(error as Error).message}`);
  }
  const parsed = parseDelivery(text, config.credo);
  if (parsed.ok) return parsed.delivery;
  const { code } = parsed.problem;
  return exit(`${path}: the server would answer 400 ${code}: ${describeProblem(parsed.problem)}`);
}

function exit(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

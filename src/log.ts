import { type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/**
 * Paths that may carry secrets. Nothing should log them in the first place; this is the net
 * under that rule, for request headers above all.
 */
const REDACT = [
  'req.headers.authorization',
  'req.headers["svix-signature"]',
  'req.headers["webhook-signature"]',
  'headers.authorization',
  '*.secret',
  '*.secrets',
  '*.token',
  '*.botToken',
  '*.appPassword',
  '*.access_token',
  '*.clientSecret',
  '*.signingKey',
];

/** pino JSON lines, or pretty lines when a person is watching the terminal. */
export function createLogger(options: { level?: string; pretty?: boolean } = {}): Logger {
  const base = { level: options.level ?? 'info', redact: { paths: REDACT, censor: '[redacted]' } };
  return options.pretty
    ? pino(base, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }))
    : pino(base);
}

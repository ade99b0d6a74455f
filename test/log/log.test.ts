import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';

/** A logger whose JSON lines are kept, as an operator's log collector would get them. */
function capturedLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).trim().split('\n'));
      done();
    },
  });
  return { log: createLogger({ destination }), lines };
}

/** What an HTTP client's error looks like: the failed request rides along, credentials and all. */
function httpClientError(): Error {
  return Object.assign(new Error('Request failed with status code 403'), {
    code: 'ERR_BAD_REQUEST',
    status: 403,
    config: { headers: { Authorization: 'Bearer eyJ.secret-app-token' } },
    request: { _header: 'POST /v3/conversations HTTP/1.1\r\nAuthorization: Bearer eyJ.secret-app-token' },
    response: { config: { headers: { Authorization: 'Bearer eyJ.secret-app-token' } } },
    data: { ok: false, error: 'not_in_channel' },
  });
}

describe('log', () => {
  it('logs what went wrong with an HTTP call but never the credentials the request carried', () => {
    const { log, lines } = capturedLogger();
    log.error({ err: new Error('send failed', { cause: httpClientError() }) }, 'delivery failed');
    expect(lines.join('\n')).not.toContain('secret-app-token');
    const { err } = JSON.parse(lines[0] ?? '{}');
    expect(err).toMatchObject({
      type: 'Error',
      message: 'send failed',
      cause: {
        message: 'Request failed with status code 403',
        code: 'ERR_BAD_REQUEST',
        status: 403,
        platformError: 'not_in_channel',
      },
    });
    expect(err.stack).toContain('log.test.ts');
  });

  it('redacts the signature and authorization headers of a logged request', () => {
    const { log, lines } = capturedLogger();
    log.warn(
      {
        req: {
          headers: { authorization: 'Bearer abc', 'svix-signature': 'v1,c2lnbmF0dXJl', 'svix-id': 'msg_1' },
        },
      },
      'odd request',
    );
    const { req } = JSON.parse(lines[0] ?? '{}');
    expect(req.headers).toEqual({
      authorization: '[redacted]',
      'svix-signature': '[redacted]',
      'svix-id': 'msg_1',
    });
  });

  it('survives an error whose cause chain loops', () => {
    const { log, lines } = capturedLogger();
    const error = new Error('outer');
    error.cause = error;
    log.error({ err: error }, 'odd failure');
    expect(JSON.parse(lines[0] ?? '{}').err.message).toBe('outer');
  });
});

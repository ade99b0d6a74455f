import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { createSvixVerifier, signSvix } from '../../src/receiver/svix-signature.js';
import { loadFixtureEvents } from '../helpers/fixture-events.js';

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;
const secret = newSecret();
const otherSecret = newSecret();
const tolerance = 300;
const sentAt = 1754632592;
const nowMs = sentAt * 1000;
const msgId = 'msg_30zZvVW6oyBt1dtsz9qpdjzqG8m';
const fixture = loadFixtureEvents().find((f) => f.name === 'use_case_review_status_updated.delivered');
const body = fixture?.body ?? '';

/** Signs with the reference library, as Svix would. */
function librarySignature(key: string, at = sentAt, payload = body): string {
  return new Webhook(key).sign(msgId, new Date(at * 1000), payload);
}

function svixHeaders(signature: string, at = sentAt): Record<string, string> {
  return { 'svix-id': msgId, 'svix-timestamp': String(at), 'svix-signature': signature };
}

const verify = createSvixVerifier([secret], tolerance);

describe('createSvixVerifier', () => {
  it('accepts every fixture signed by the reference library and returns its id and timestamp', () => {
    for (const { body: payload } of loadFixtureEvents()) {
      const headers = svixHeaders(librarySignature(secret, sentAt, payload));
      expect(verify(headers, payload, nowMs)).toEqual({ ok: true, id: msgId, timestamp: sentAt });
    }
  });

  it('rejects a delivery signed with another secret', () => {
    expect(verify(svixHeaders(librarySignature(otherSecret)), body, nowMs)).toEqual({
      ok: false,
      code: 'CN_SIGNATURE_INVALID',
      reason: 'no matching signature',
    });
  });

  it('accepts a delivery signed with the second secret during a rotation', () => {
    const rotating = createSvixVerifier([otherSecret, secret], tolerance);
    expect(rotating(svixHeaders(librarySignature(secret)), body, nowMs).ok).toBe(true);
  });

  it('accepts when any of several space-separated signatures matches, skipping unknown versions', () => {
    const good = librarySignature(secret);
    const goodValue = good.slice('v1,'.length);
    const header = `v1a,${goodValue} ${librarySignature(otherSecret)} ${good}`;
    expect(verify(svixHeaders(header), body, nowMs).ok).toBe(true);
  });

  it('does not accept the right signature under an unknown version', () => {
    const goodValue = librarySignature(secret).slice('v1,'.length);
    expect(verify(svixHeaders(`v1a,${goodValue} v2,${goodValue}`), body, nowMs).ok).toBe(false);
  });

  it('accepts a timestamp exactly at the tolerance, either way', () => {
    for (const at of [sentAt - tolerance, sentAt + tolerance]) {
      expect(verify(svixHeaders(librarySignature(secret, at), at), body, nowMs).ok).toBe(true);
    }
  });

  it('rejects a stale delivery and one from the future', () => {
    for (const at of [sentAt - tolerance - 1, sentAt + tolerance + 1]) {
      expect(verify(svixHeaders(librarySignature(secret, at), at), body, nowMs)).toEqual({
        ok: false,
        code: 'CN_TIMESTAMP_OUT_OF_TOLERANCE',
        reason: 'timestamp outside tolerance',
      });
    }
  });

  it('honours a tolerance other than five minutes', () => {
    const at = sentAt - 3600;
    const headers = svixHeaders(librarySignature(secret, at), at);
    expect(createSvixVerifier([secret], 7200)(headers, body, nowMs).ok).toBe(true);
    expect(createSvixVerifier([secret], 60)(headers, body, nowMs).ok).toBe(false);
  });

  it('rejects a tampered body, including re-serialised JSON', () => {
    const headers = svixHeaders(librarySignature(secret));
    const tampered = body.replace('"in_progress"', '"approved"');
    expect(tampered).not.toBe(body);
    expect(verify(headers, tampered, nowMs).ok).toBe(false);
    expect(verify(headers, JSON.stringify(JSON.parse(body)), nowMs).ok).toBe(false);
  });

  it('rejects a signature made for another id', () => {
    const headers = { ...svixHeaders(librarySignature(secret)), 'svix-id': 'msg_other' };
    expect(verify(headers, body, nowMs).ok).toBe(false);
  });

  it.each(['svix-id', 'svix-timestamp', 'svix-signature'])('names the missing %s header', (name) => {
    const headers: Record<string, string> = svixHeaders(librarySignature(secret));
    delete headers[name];
    expect(verify(headers, body, nowMs)).toEqual({
      ok: false,
      code: 'CN_SIGNATURE_MISSING',
      reason: `missing ${name} header`,
    });
  });

  it('treats an empty header as missing', () => {
    const headers = { ...svixHeaders(librarySignature(secret)), 'svix-signature': '' };
    expect(verify(headers, body, nowMs)).toEqual({
      ok: false,
      code: 'CN_SIGNATURE_MISSING',
      reason: 'missing svix-signature header',
    });
  });

  it('rejects a non-numeric timestamp', () => {
    for (const at of ['17546325920.5', '1754632592abc', '-1754632592', 'soon']) {
      const headers = { ...svixHeaders(librarySignature(secret)), 'svix-timestamp': at };
      expect(verify(headers, body, nowMs)).toEqual({
        ok: false,
        code: 'CN_SIGNATURE_TIMESTAMP_INVALID',
        reason: 'invalid svix-timestamp header',
      });
    }
  });

  it('accepts the Standard Webhooks header names and names their missing headers', () => {
    const signature = librarySignature(secret);
    const headers = {
      'webhook-id': msgId,
      'webhook-timestamp': String(sentAt),
      'webhook-signature': signature,
    };
    expect(verify(headers, body, nowMs)).toEqual({ ok: true, id: msgId, timestamp: sentAt });
    const { 'webhook-signature': _, ...withoutSignature } = headers;
    expect(verify(withoutSignature, body, nowMs)).toEqual({
      ok: false,
      code: 'CN_SIGNATURE_MISSING',
      reason: 'missing webhook-signature header',
    });
  });

  it('accepts header names in any case', () => {
    const headers = {
      'Svix-Id': msgId,
      'SVIX-TIMESTAMP': String(sentAt),
      'svix-Signature': librarySignature(secret),
    };
    expect(verify(headers, body, nowMs).ok).toBe(true);
  });

  it('accepts signatures split over repeated headers', () => {
    const headers = {
      ...svixHeaders(''),
      'svix-signature': [librarySignature(otherSecret), librarySignature(secret)],
    };
    expect(verify(headers, body, nowMs).ok).toBe(true);
  });

  it('rejects non-base64, truncated, padded and empty signatures without throwing', () => {
    const good = librarySignature(secret);
    for (const bad of ['v1,!!!not-base64!!!', good.slice(0, -4), `${good}AAAA`, 'v1,', 'v1', ',', '  ']) {
      expect(verify(svixHeaders(bad), body, nowMs)).toEqual({
        ok: false,
        code: 'CN_SIGNATURE_INVALID',
        reason: 'no matching signature',
      });
    }
  });

  it('never echoes a secret in its reasons', () => {
    const key = secret.slice('whsec_'.length);
    const failures = [
      verify(svixHeaders(librarySignature(otherSecret)), body, nowMs),
      verify(svixHeaders(secret), body, nowMs),
      verify({}, body, nowMs),
    ];
    for (const failure of failures) {
      expect(failure.ok).toBe(false);
      expect(JSON.stringify(failure)).not.toContain(key);
    }
  });

  it('verifies one delivery with the clock it is given', () => {
    const headers = svixHeaders(librarySignature(secret));
    expect(verify(headers, body, nowMs)).toEqual({ ok: true, id: msgId, timestamp: sentAt });
    expect(verify(headers, body, nowMs + 301_000).ok).toBe(false);
  });

  it('refuses to build without a secret, or with an empty key', () => {
    expect(() => createSvixVerifier([], tolerance)).toThrow(/at least one/);
    expect(() => createSvixVerifier(['whsec_'], tolerance)).toThrow(/non-empty/);
  });
});

describe('signSvix', () => {
  it('is byte-identical to the reference library for any id, time and body', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.string({ unit: 'binary' }),
        (id, timestamp, payload) => {
          const expected = new Webhook(secret).sign(id, new Date(timestamp * 1000), payload);
          expect(signSvix({ secret, id, timestamp, body: payload })).toBe(expected);
        },
      ),
    );
  });

  it('produces signatures its verifier accepts', () => {
    const signature = signSvix({ secret, id: msgId, timestamp: sentAt, body });
    expect(verify(svixHeaders(signature), body, nowMs).ok).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { newSessionCookie, readSession, SESSION_MS } from '../../src/console/session.js';

const TOKEN = 'console-admin-token-0123456789-abcdef';
const NOW = Date.parse('2026-11-27T15:00:00Z');

describe('console sessions', () => {
  it('holds for a working day, then is refused', () => {
    const cookie = newSessionCookie(TOKEN, NOW);
    expect(readSession(cookie, TOKEN, NOW + SESSION_MS - 1)).toBeDefined();
    expect(readSession(cookie, TOKEN, NOW + SESSION_MS)).toBeUndefined();
  });

  it('refuses a cookie signed with another admin token: rotating the token signs everyone out', () => {
    const cookie = newSessionCookie(TOKEN, NOW);
    expect(readSession(cookie, `${TOKEN}-rotated`, NOW)).toBeUndefined();
  });

  it('refuses a cookie whose expiry was pushed back by hand', () => {
    const [, nonce, signature] = newSessionCookie(TOKEN, NOW).split('.');
    expect(readSession(`${NOW + 10 * SESSION_MS}.${nonce}.${signature}`, TOKEN, NOW)).toBeUndefined();
    expect(readSession('garbage', TOKEN, NOW)).toBeUndefined();
  });

  it('gives each session its own CSRF token', () => {
    const first = readSession(newSessionCookie(TOKEN, NOW), TOKEN, NOW);
    const second = readSession(newSessionCookie(TOKEN, NOW), TOKEN, NOW);
    expect(first?.csrfToken).toMatch(/^[\w-]{43}$/);
    expect(first?.csrfToken).not.toBe(second?.csrfToken);
  });
});

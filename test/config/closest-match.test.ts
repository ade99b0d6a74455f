import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from '../../src/config/closest-match.js';

describe('closestMatch', () => {
  const serverKeys = ['host', 'port', 'webhookPath', 'bodyLimitBytes'];

  it('suggests the key one typo away', () => {
    expect(closestMatch('webhookPth', serverKeys)).toBe('webhookPath');
    expect(closestMatch('prot', serverKeys)).toBe('port');
    expect(closestMatch('webhookpath', serverKeys)).toBe('webhookPath');
  });

  it('suggests nothing when no key is close', () => {
    expect(closestMatch('database', serverKeys)).toBeUndefined();
    expect(closestMatch('x', [])).toBeUndefined();
  });

  it('prefers the closest of several candidates', () => {
    expect(closestMatch('slak', ['slackWebhook', 'slack', 'teams'])).toBe('slack');
  });
});

describe('editDistance', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('prot', 'port')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

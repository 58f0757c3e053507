import { describe, expect, it } from 'vitest';
import { connectionOf } from './connection.js';

describe('connection indicator', () => {
  it('says live only while the socket is authenticated', () => {
    expect(connectionOf({ status: 'open', role: 'r', user: null }, true)).toBe('live');
    expect(connectionOf({ status: 'connecting', attempt: 0 }, true)).toBe('connecting');
    expect(connectionOf({ status: 'connecting', attempt: 2 }, true)).toBe('reconnecting');
    expect(connectionOf({ status: 'reconnecting', attempt: 1, delayMs: 500, lastClose: { code: 1006, reason: '' } }, true)).toBe('reconnecting');
    expect(connectionOf({ status: 'closed', code: 4002, reason: 'session ended' }, true)).toBe('offline');
  });

  it('is offline when the browser is, whatever the socket thinks', () => {
    expect(connectionOf({ status: 'open', role: 'r', user: null }, false)).toBe('offline');
  });
});

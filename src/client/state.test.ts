import { describe, expect, it } from 'vitest';
import { backoffDelay, canTransition, TRANSITIONS, type ConnectionStatus } from './state.js';

describe('connection state machine', () => {
  it('allows exactly the documented transitions', () => {
    const all = Object.keys(TRANSITIONS) as ConnectionStatus[];
    const allowed = all.flatMap((from) => all.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`));
    expect(allowed).toEqual([
      'connecting→open',
      'connecting→reconnecting',
      'connecting→closed',
      'open→open',
      'open→reconnecting',
      'open→closed',
      'reconnecting→connecting',
      'reconnecting→closed',
      'closed→connecting',
    ]);
  });
});

describe('backoffDelay', () => {
  const opts = { minMs: 100, maxMs: 1000 };
  it('doubles per attempt within [base/2, base] and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 10, 1000].map((a) => backoffDelay(a, opts, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    expect([0, 1, 2, 3, 4].map((a) => backoffDelay(a, opts, () => 0))).toEqual([50, 100, 200, 400, 500]);
  });
  it('jitters', () => {
    const seen = new Set(Array.from({ length: 20 }, () => backoffDelay(3, opts)));
    expect(seen.size).toBeGreaterThan(1);
  });
});

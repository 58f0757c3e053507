import { describe, expect, it } from 'vitest';
import { STEP, effectiveTotal, needsMove, scrollScale, windowFor } from './window.js';

describe('windowFor', () => {
  it('covers the viewport plus a screen either side, aligned to STEP', () => {
    const w = windowFor(0, 24);
    expect(w.offset).toBe(0);
    expect(w.offset + w.limit).toBeGreaterThanOrEqual(50);
    const v = windowFor(1000, 1024);
    expect(v.offset % STEP).toBe(0);
    expect(v.offset).toBeLessThanOrEqual(1000 - 25);
    expect(v.offset + v.limit).toBeGreaterThanOrEqual(1025 + 25);
  });

  it('contains the viewport for any position (property-ish sweep)', () => {
    for (let first = 0; first < 5000; first += 37) {
      const last = first + 19;
      const w = windowFor(first, last);
      expect(w.offset).toBeLessThanOrEqual(first);
      expect(w.offset + w.limit).toBeGreaterThan(last);
      expect(needsMove(w, first, last, null)).toBe(false);
    }
  });
});

describe('needsMove', () => {
  it('moves when the viewport nears or leaves an edge, not for small scrolls', () => {
    const w = windowFor(500, 529); // offset 450, ends 600
    expect(needsMove(w, 505, 534, null)).toBe(false);
    expect(needsMove(w, 590, 619, null)).toBe(true);
    expect(needsMove(w, 455, 484, null)).toBe(true);
    expect(needsMove(null, 0, 10, null)).toBe(true);
  });

  it('does not move at the start or at the known end', () => {
    expect(needsMove({ offset: 0, limit: 100 }, 0, 29, 1000)).toBe(false);
    expect(needsMove({ offset: 900, limit: 100 }, 970, 999, 1000)).toBe(false);
  });
});

describe('effectiveTotal', () => {
  it('trusts a short window over the estimate, and a full one that runs past it', () => {
    expect(effectiveTotal(5000, { offset: 0, limit: 100 }, 40)).toBe(40);
    expect(effectiveTotal(5000, { offset: 4000, limit: 100 }, 30)).toBe(4030);
    expect(effectiveTotal(100, { offset: 100, limit: 100 }, 100)).toBe(200);
    expect(effectiveTotal(5000, { offset: 200, limit: 100 }, 100)).toBe(5000);
    expect(effectiveTotal(null, null, 0)).toBe(0);
  });

  it('an empty window past the end keeps the estimate capped at the offset', () => {
    expect(effectiveTotal(5000, { offset: 4000, limit: 100 }, 0)).toBe(4000);
  });
});

describe('scrollScale', () => {
  it('is 1 while the body fits', () => {
    expect(scrollScale(34_000, 34_000, 700)).toBe(1);
    expect(scrollScale(500, 500, 700)).toBe(1);
  });

  it('maps the real scroll range onto the virtual one end to end (10M rows)', () => {
    const virtual = 10_000_000 * 34;
    const real = 8_000_000;
    const viewport = 700;
    const k = scrollScale(virtual, real, viewport);
    expect((real - viewport) * k).toBeCloseTo(virtual - viewport, 3);
    expect(0 * k).toBe(0);
  });
});

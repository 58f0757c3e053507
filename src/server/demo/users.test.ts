import { describe, expect, it } from 'vitest';
import { DEMO_ROLES, DEMO_USERS } from './users.js';
import { DEMO_MARKER_COMMENT } from './marker.js';

describe('DEMO_USERS', () => {
  it('has one user per demo role, with unique e-mails and passwords of at least 8 characters', () => {
    expect(DEMO_USERS.map((u) => u.role).sort()).toEqual(Object.values(DEMO_ROLES).sort());
    expect(new Set(DEMO_USERS.map((u) => u.email.toLowerCase())).size).toBe(DEMO_USERS.length);
    for (const u of DEMO_USERS) {
      expect(u.password.length, u.email).toBeGreaterThanOrEqual(8);
      expect(u.email, u.email).toMatch(/^[^@\s]+@acme\.test$/);
      expect(u.displayName && u.description, u.email).toBeTruthy();
    }
  });

  it('cannot be mutated by a caller', () => {
    expect(Object.isFrozen(DEMO_USERS)).toBe(true);
    expect(DEMO_USERS.every((u) => Object.isFrozen(u))).toBe(true);
  });
});

describe('DEMO_MARKER_COMMENT', () => {
  it('can be interpolated as a SQL literal', () => {
    expect(DEMO_MARKER_COMMENT).not.toMatch(/['\\]/);
  });
});

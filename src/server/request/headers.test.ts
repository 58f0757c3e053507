import { describe, expect, it } from 'vitest';
import type { MediaType, Preferences } from './types.js';
import { req, thrown } from './test-helpers.js';

const prefer = (value: string | string[]): Preferences => req({ headers: { prefer: value } }).prefer;

describe('Prefer', () => {
  it('defaults to nothing', () => {
    expect(req().prefer).toEqual({
      return: null,
      count: null,
      resolution: null,
      missing: null,
      handling: null,
      maxAffected: null,
      allowUnfiltered: false,
      applied: [],
    });
  });

  it.each<[string | string[], Partial<Preferences>]>([
    ['return=minimal', { return: 'minimal', applied: ['return=minimal'] }],
    ['return=headers-only', { return: 'headers-only', applied: ['return=headers-only'] }],
    ['return=representation', { return: 'representation', applied: ['return=representation'] }],
    ['count=exact', { count: 'exact', applied: ['count=exact'] }],
    ['count=planned', { count: 'planned', applied: ['count=planned'] }],
    ['count=estimated', { count: 'estimated', applied: ['count=estimated'] }],
    ['resolution=merge-duplicates', { resolution: 'merge-duplicates', applied: ['resolution=merge-duplicates'] }],
    ['resolution=ignore-duplicates', { resolution: 'ignore-duplicates', applied: ['resolution=ignore-duplicates'] }],
    ['missing=default', { missing: 'default', applied: ['missing=default'] }],
    ['handling=lenient', { handling: 'lenient', applied: ['handling=lenient'] }],
    ['handling=strict, max-affected=5', { handling: 'strict', maxAffected: 5, applied: ['handling=strict', 'max-affected=5'] }],
    ['allow-unfiltered', { allowUnfiltered: true, applied: ['allow-unfiltered'] }],
    ['tx=rollback', {}],
    [
      'return=representation,count=exact, resolution=merge-duplicates',
      { return: 'representation', count: 'exact', resolution: 'merge-duplicates', applied: ['return=representation', 'count=exact', 'resolution=merge-duplicates'] },
    ],
    [['return=minimal', 'count=exact'], { return: 'minimal', count: 'exact', applied: ['return=minimal', 'count=exact'] }],
    ['handling=strict; count=exact', { handling: 'strict', count: 'exact', applied: ['count=exact', 'handling=strict'] }],
    ['return=minimal, return=representation', { return: 'minimal', applied: ['return=minimal'] }],
    ['Count=exact', { count: 'exact', applied: ['count=exact'] }],
    // lenient (the default) ignores what it does not understand
    ['foo, count=bogus, return=, max-affected=x, count=planned', { count: 'planned', applied: ['count=planned'] }],
  ])('%j', (header, expected) => {
    expect(prefer(header)).toMatchObject({ applied: [], ...expected });
  });

  it('handling=strict refuses unknown or invalid preferences', () => {
    const e = thrown(() => prefer('handling=strict, foo, count=bogus, tx=commit'));
    expect(e.code).toBe('PGRST111');
    expect(e.message).toBe('Invalid preferences given with handling=strict');
    expect(e.details).toBe('Invalid preferences: foo, count=bogus');
    expect(thrown(() => prefer(['timezone=UTC', 'handling=strict'])).details).toBe('Invalid preferences: timezone=UTC');
  });
});

describe('Accept', () => {
  const accept = (value: string | undefined): MediaType => req({ headers: value === undefined ? {} : { accept: value } }).accept;

  it.each<[string | undefined, MediaType]>([
    [undefined, 'json'],
    ['', 'json'],
    ['application/json', 'json'],
    ['*/*', 'json'],
    ['application/*', 'json'],
    ['Application/JSON; charset=utf-8', 'json'],
    ['application/vnd.pgrst.object+json', 'object'],
    ['application/vnd.pgrst.object+json;nulls=stripped', 'object'],
    ['application/vnd.pgrst.object', 'object'],
    ['text/csv', 'csv'],
    ['application/openapi+json', 'openapi'],
    ['text/html, text/csv', 'csv'],
    ['application/json;q=0.5, text/csv', 'csv'],
    ['text/csv;q=0.2, application/json;q=0.9', 'json'],
    ['text/csv;q=0, application/json;q=0.1', 'json'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'json'],
  ])('%j → %s', (header, expected) => {
    expect(accept(header)).toBe(expected);
  });

  it.each(['text/html', 'application/xml, image/png', 'text/csv;q=0', 'application/vnd.pgrst.plan'])('refuses %j', (header) => {
    const e = thrown(() => accept(header));
    expect(e.code).toBe('PGLIVE108');
    expect(e.message).toContain(header);
  });

  it('joins repeated Accept headers', () => {
    expect(req({ headers: { accept: ['text/html', 'text/csv'] } }).accept).toBe('csv');
  });
});

describe('profiles', () => {
  const headers = { 'accept-profile': ' api ', 'content-profile': 'admin' };
  it('uses Accept-Profile on reads and Content-Profile on writes', () => {
    expect(req({ headers }).profile).toBe('api');
    expect(req({ headers, method: 'HEAD' }).profile).toBe('api');
    for (const method of ['POST', 'PATCH', 'PUT', 'DELETE']) expect(req({ headers, method }).profile).toBe('admin');
    expect(req().profile).toBeNull();
    expect(req({ headers: { 'accept-profile': '' } }).profile).toBeNull();
    expect(req({ headers: { 'accept-profile': ['x', 'y'] } }).profile).toBe('x');
  });
});

import { describe, expect, it } from 'vitest';
import { isCurrentView, searchForView, viewOwnerNote, viewQueryOf } from './saved-views.js';

describe('viewQueryOf', () => {
  it('keeps filters, sort, join and search in the readable URL form, without the scroll position', () => {
    expect(viewQueryOf('?sort=id.desc&f=status~in~open~paid&join=or&q=copper&at=1200')).toBe(
      'sort=id.desc&f=status~in~open~paid&join=or&q=copper',
    );
  });

  it('drops parameters that are not the grid state', () => {
    expect(viewQueryOf('?tab=2&f=total~gt~10')).toBe('f=total~gt~10');
  });

  it('is empty for the plain table', () => {
    expect(viewQueryOf('')).toBe('');
    expect(viewQueryOf('?at=50')).toBe('');
  });

  it('round-trips a literal "~" inside a filter value', () => {
    const q = viewQueryOf('?f=name~contains~a%257Eb');
    expect(new URLSearchParams(q).get('f')).toBe('name~contains~a%7Eb');
    expect(viewQueryOf(`?${q}`)).toBe(q);
  });
});

describe('searchForView', () => {
  it('replaces the grid state, resets the scroll position and keeps other parameters', () => {
    expect(searchForView('?tab=2&f=status~in~open&at=300', 'sort=name.asc&q=x')).toBe('?tab=2&sort=name.asc&q=x');
  });

  it('clears the grid state for a view of the plain table', () => {
    expect(searchForView('?f=status~in~open&q=x', '')).toBe('');
  });

  it('ignores nonsense in a stored query instead of failing', () => {
    expect(searchForView('', 'f=status~nosuchop~x&sort=id.sideways&q=ok')).toBe('?q=ok');
  });
});

describe('isCurrentView', () => {
  it('matches the grid state whatever the scroll position or parameter order', () => {
    expect(isCurrentView({ query: 'sort=id.desc&q=a' }, '?q=a&sort=id.desc&at=40')).toBe(true);
    expect(isCurrentView({ query: 'sort=id.desc&q=a' }, '?sort=id.desc')).toBe(false);
  });
});

describe('viewOwnerNote', () => {
  it('names the owner of somebody else\'s view only', () => {
    expect(viewOwnerNote({ owner: 'u1', ownerEmail: 'me@x.test' }, 'u1')).toBeNull();
    expect(viewOwnerNote({ owner: 'u2', ownerEmail: 'bo@x.test' }, 'u1')).toBe('bo@x.test');
    expect(viewOwnerNote({ owner: 'u2', ownerEmail: null }, 'u1')).toBe('another user');
  });
});

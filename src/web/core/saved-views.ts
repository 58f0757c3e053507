/**
 * Saved views keep the grid's URL state (filters, sort, search) under a name.
 * The scroll position is left out: a view names *which* rows, not where the
 * user happened to be looking when saving it.
 */
import { gridSearch, gridStateFromParams } from './grid-state.js';
import type { SavedView } from './prefs-api.js';

/** The query a saved view stores for the URL search `search` (no leading '?'; '' for the plain table). */
export function viewQueryOf(search: string): string {
  const state = gridStateFromParams(new URLSearchParams(search));
  return gridSearch(new URLSearchParams(), { ...state, at: 0 }).replace(/^\?/, '');
}

/** The URL search that shows the view `query` from `current`: the grid's parameters replaced, any others kept. */
export function searchForView(current: string, query: string): string {
  const state = gridStateFromParams(new URLSearchParams(query));
  return gridSearch(new URLSearchParams(current), { ...state, at: 0 });
}

/** the view shows what the grid shows now (scroll position aside) */
export function isCurrentView(view: Pick<SavedView, 'query'>, search: string): boolean {
  return viewQueryOf(view.query) === viewQueryOf(search);
}

/** Whose view it is, for views shared by someone else; null for the caller's own. */
export function viewOwnerNote(view: Pick<SavedView, 'owner' | 'ownerEmail'>, meId: string | null): string | null {
  if (view.owner === meId) return null;
  return view.ownerEmail ?? 'another user';
}

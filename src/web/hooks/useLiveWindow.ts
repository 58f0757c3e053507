/**
 * The grid's one live subscription: `base` (select, filters, order) limited
 * to `window`. Moving the window resubscribes (the old rows stay on screen
 * until the new snapshot); a new `base` starts from nothing. Patches go
 * through the row cache, which remembers what changed so cells can flash.
 */
import { useEffect, useRef, useState } from 'react';
import type { LiveClient, LiveQuery, QueryError } from '../../client/index.js';
import { PatchError } from '../../protocol/patch.js';
import { EMPTY_CACHE, applyOps, applySnapshot, beginMove, expire, nextExpiry, type RowCache } from '../core/row-cache.js';
import { windowQuery } from '../core/filters.js';
import type { Window } from '../core/window.js';

export interface LiveWindowState {
  cache: RowCache;
  /** the window the cache's live rows belong to */
  window: Window | null;
  /** loading until the first snapshot of the current query and window */
  status: 'loading' | 'live' | 'error';
  error: QueryError | null;
  /** 'polling' when the server cannot capture changes for this relation */
  mode: 'live' | 'polling' | null;
}

export interface LiveWindowOptions {
  client: LiveClient;
  schema: string;
  table: string;
  /** null: nothing to subscribe to yet */
  base: string | null;
  window: Window | null;
  count: 'exact' | 'estimated';
}

const INITIAL: LiveWindowState = { cache: EMPTY_CACHE, window: null, status: 'loading', error: null, mode: null };

export function useLiveWindow({ client, schema, table, base, window, count }: LiveWindowOptions): LiveWindowState {
  const [state, setState] = useState<LiveWindowState>(INITIAL);
  const lastBase = useRef<string | null>(null);
  const offset = window?.offset ?? 0;
  const limit = window?.limit ?? 0;

  useEffect(() => {
    if (base === null || limit === 0) return;
    const sameQuery = lastBase.current === `${schema}.${table}?${base}#${count}`;
    lastBase.current = `${schema}.${table}?${base}#${count}`;
    // same query, new window: keep the old rows visible; new query: they would mislead
    setState((s) => ({ ...s, cache: sameQuery ? beginMove(s.cache) : EMPTY_CACHE, status: 'loading', error: null }));

    const win: Window = { offset, limit };
    let q: LiveQuery | null = client.subscribe(table, windowQuery(base, offset, limit), { schema, count });
    const sub = q;
    const offChange = sub.on('change', (ev) => {
      setState((s) => {
        if (ev.snapshot) {
          return { cache: applySnapshot(s.cache, offset, sub.keys, sub.rows, sub.total), window: win, status: 'live', error: null, mode: sub.mode };
        }
        try {
          return { ...s, cache: applyOps(s.cache, ev.ops, sub.total, Date.now()), status: 'live' };
        } catch (e) {
          if (!(e instanceof PatchError)) throw e;
          // the query applied it, so it holds the truth: take its rows whole
          return { ...s, cache: applySnapshot(s.cache, offset, sub.keys, sub.rows, sub.total) };
        }
      });
    });
    const offError = sub.on('error', (err) => setState((s) => ({ ...s, status: 'error', error: err })));
    return () => {
      offChange();
      offError();
      q?.unsubscribe();
      q = null;
    };
  }, [client, schema, table, base, offset, limit, count]);

  // highlights and ghosts end on time, with one timer for the next expiry
  const expiry = nextExpiry(state.cache);
  useEffect(() => {
    if (expiry === null) return;
    const t = setTimeout(() => setState((s) => ({ ...s, cache: expire(s.cache, Date.now()) })), Math.max(0, expiry - Date.now()) + 16);
    return () => clearTimeout(t);
  }, [expiry]);

  return state;
}

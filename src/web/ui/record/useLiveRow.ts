/**
 * One row, live: a subscription filtered by the primary key. `undefined`
 * while loading, `null` when there is no such row (deleted, or hidden by RLS).
 */
import { useEffect, useState } from 'react';
import type { Row } from '../../../protocol/live.js';
import { useLive } from '../../hooks/useLive.js';
import type { MetaRelation } from '../../core/meta.js';
import { keyQuery } from '../../core/record.js';

export interface LiveRow {
  row: Row | null | undefined;
  error: string | null;
}

export function useLiveRow(rel: MetaRelation, key: Record<string, string> | null): LiveRow {
  const { client } = useLive();
  const [state, setState] = useState<LiveRow>({ row: undefined, error: null });
  const query = key ? `${keyQuery(key)}&limit=1` : null;

  useEffect(() => {
    if (!query) return;
    setState({ row: undefined, error: null });
    const q = client.subscribe(rel.name, query, { schema: rel.schema, count: 'none' });
    const offChange = q.on('change', () => setState({ row: q.rows[0] ?? null, error: null }));
    const offError = q.on('error', (e) => setState((s) => ({ ...s, error: e.message })));
    return () => {
      offChange();
      offError();
      q.unsubscribe();
    };
  }, [client, rel.schema, rel.name, query]);

  return state;
}

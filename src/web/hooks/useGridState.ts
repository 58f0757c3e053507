/**
 * The grid state lives in the URL (shareable links; Back undoes a filter).
 * Reading parses the search params; dispatching runs the pure reducer and
 * writes the result back. Scroll position is written with `replace`, and
 * only after scrolling settles, so history and renders stay calm.
 */
import { useCallback, useMemo, useRef } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { gridReducer, gridSearch, gridStateFromParams, type GridAction, type GridState } from '../core/grid-state.js';

export function useGridState(): [GridState, (action: GridAction) => void] {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const here = useRef(location);
  here.current = location;
  const key = params.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- parse once per distinct URL
  const state = useMemo(() => gridStateFromParams(params), [key]);
  const latest = useRef(state);
  latest.current = state;

  const dispatch = useCallback(
    (action: GridAction) => {
      const next = gridReducer(latest.current, action);
      if (next === latest.current) return;
      latest.current = next;
      const { pathname, search, hash } = here.current;
      navigate({ pathname, search: gridSearch(new URLSearchParams(search), next), hash }, { replace: action.type === 'scroll' || action.type === 'retainColumns', preventScrollReset: true });
    },
    [navigate],
  );
  return [state, dispatch];
}

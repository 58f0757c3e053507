/**
 * The grid of one relation: server-side sort / filter / search from the URL,
 * a virtual body over the whole result, and ONE live subscription for the
 * window around the viewport, moved as the user scrolls. Changes arrive as
 * patches: cells flash, removed rows fade, the row being looked at stays put.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Alert, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { columnResizingFeature, columnSizingFeature, tableFeatures, useTable, type ColumnSizingState } from '@tanstack/react-table';
import { relationPath, type MetaRelation } from '../../core/meta.js';
import { gridColumns, gridQuery } from '../../core/filters.js';
import { effectiveTotal, needsMove, windowFor, type Window } from '../../core/window.js';
import { missingColumns, type Filter, type GridState, type Join } from '../../core/grid-state.js';
import { rowView } from '../../core/row-cache.js';
import { canBulkDelete, deleteRows, exportCsv } from '../../core/grid-actions.js';
import { resolveColumns } from '../../core/prefs.js';
import { recordKeyOf } from '../../core/record.js';
import { useMeta } from '../../hooks/useMeta.js';
import { useLive } from '../../hooks/useLive.js';
import { useGridState } from '../../hooks/useGridState.js';
import { useLiveWindow } from '../../hooks/useLiveWindow.js';
import { useRelationPrefs } from '../../hooks/usePrefs.js';
import { useNow } from '../../hooks/useNow.js';
import { useScaledVirtualizer } from '../../hooks/useScaledVirtualizer.js';
import { GridToolbar, CountText } from './GridToolbar.js';
import { GridHeader, type HeaderColumn } from './GridHeader.js';
import { GridRow, type RowColumn } from './GridRow.js';
import { ConfirmDelete, ShowAllModal } from './GridDialogs.js';
import { InlineEditor } from './InlineEditor.js';
import { KeyboardHelp } from './KeyboardHelp.js';
import { inlineInput, type InlineInput } from '../../core/inline-edit.js';
import type { Row } from '../../../protocol/live.js';
import { useGridKeyboard } from './useGridKeyboard.js';
import { CHECK_W, HEADER_H, MAX_BODY_PX, ROW_H, defaultWidth } from './layout.js';
import './grid.css';

const features = tableFeatures({ columnSizingFeature, columnResizingFeature });
const NO_DATA: never[] = [];
/** the server counts exactly below this many (planned) rows even when asked for an estimate */
const EXACT_BELOW = 100_000;
const FIRST_WINDOW = windowFor(0, 30);

/** a cell's value as text for the clipboard: JSON for objects and arrays, nothing for NULL */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** the clipboard API where the page may use it (https, localhost), else the older copy command */
async function copyText(text: string, what: string): Promise<void> {
  try {
    if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(text);
    else {
      const area = document.createElement('textarea');
      area.value = text;
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      const copied = document.execCommand('copy');
      area.remove();
      if (!copied) throw new Error('the browser refused');
    }
    notifications.show({ message: `Copied ${what}`, autoClose: 1200 });
  } catch (e) {
    notifications.show({ color: 'red', title: 'Not copied', message: e instanceof Error ? e.message : String(e) });
  }
}

export function DataGrid({ rel }: { rel: MetaRelation }) {
  const { meta } = useMeta();
  const { client } = useLive();
  const navigate = useNavigate();
  const [state, dispatch] = useGridState();
  const prefs = useRelationPrefs(rel.schema, rel.name);
  const now = useNow();
  const [countMode, setCountMode] = useState<'estimated' | 'exact'>('estimated');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [showAll, setShowAll] = useState<{ column: string; value: unknown } | null>(null);
  const [filterColumn, setFilterColumn] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  /** the cell edited in place: its row's key, column index, and the row as it was when editing started */
  const [editing, setEditing] = useState<{ key: string; col: number; row: Row; typed?: string } | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  // sort keys and filters on columns that vanished (schema change, an old link) drop out, and the user is told:
  // a filter dropped in silence would show rows the link meant to exclude
  useEffect(() => {
    const columns = rel.columns.map((c) => c.name);
    const gone = missingColumns(state, columns);
    if (gone.length > 0) {
      notifications.show({
        id: `missing-columns-${rel.schema}.${rel.name}`,
        color: 'yellow',
        title: 'Part of this view was dropped',
        message: `${rel.name} has no column ${gone.map((c) => `“${c}”`).join(', ')}: the sort and filters on it are not applied.`,
        autoClose: 10_000,
      });
    }
    dispatch({ type: 'retainColumns', columns });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- on a new relation or schema, with the state of that moment
  }, [rel, dispatch]);

  // ------------------------------------------------------------ query and window
  const { sort, filters, join, search } = state;
  // relative dates ("last 7 days") are resolved when the filters change
  const query = useMemo(
    () => (meta ? gridQuery(rel, meta, { sort, filters, join, search, at: 0 }, Date.now()) : null),
    [rel, meta, sort, filters, join, search],
  );
  // the window belongs to one query: a new query starts at the top in the same render (no wasted subscription)
  const queryKey = query ? `${query.base}#${countMode}` : null;
  const queryKeyRef = useRef(queryKey);
  queryKeyRef.current = queryKey;
  const [winState, setWinState] = useState<{ key: string | null; win: Window }>(() => ({ key: null, win: windowFor(state.at, state.at + 30) }));
  const win = winState.key === null || winState.key === queryKey ? winState.win : FIRST_WINDOW;
  const setWin = useCallback((w: Window) => setWinState({ key: queryKeyRef.current, win: w }), []);
  const live = useLiveWindow({ client, schema: rel.schema, table: rel.name, base: query?.base ?? null, window: win, count: countMode });
  const view = useMemo(() => rowView(live.cache), [live.cache]);
  const lastTotal = useRef<number | null>(null);
  const total = live.cache.live ? effectiveTotal(live.cache.total, live.window, live.cache.live.keys.length) : lastTotal.current ?? win.offset + win.limit;
  if (live.cache.live) lastTotal.current = total;
  const count = total + live.cache.ghosts.length;

  // a new query (not the first one) starts at the top with nothing selected
  const prevKey = useRef<string | null>(null);
  useEffect(() => {
    const before = prevKey.current;
    prevKey.current = queryKey;
    if (before === null || before === queryKey) return;
    setSelected(new Set());
    lastTotal.current = null;
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [queryKey]);

  // ------------------------------------------------------------ columns
  const metaCols = useMemo(() => gridColumns(rel), [rel]);
  const fkColumns = useMemo(() => new Set((query?.labels ?? []).map((l) => l.column)), [query]);
  const resolved = useMemo(() => {
    const visible = resolveColumns(metaCols, prefs.prefs).filter((c) => c.visible);
    const rank = (p: 'left' | 'right' | null) => (p === 'left' ? 0 : p === 'right' ? 2 : 1);
    return visible.sort((a, b) => rank(a.pinned) - rank(b.pinned));
  }, [metaCols, prefs.prefs]);
  const [sizing, setSizing] = useState<ColumnSizingState>({});
  useEffect(() => setSizing({}), [prefs.prefs]); // saved widths win over a drag's leftovers
  const columnDefs = useMemo(
    () => resolved.map((c) => ({ id: c.name, header: c.label, size: c.width ?? defaultWidth(c.column, { label: c.label, fk: fkColumns.has(c.name) }), minSize: 60, maxSize: 2000 })),
    [resolved, fkColumns],
  );
  const table = useTable({
    features, columns: columnDefs, data: NO_DATA,
    state: { columnSizing: sizing }, onColumnSizingChange: setSizing,
    columnResizeMode: 'onChange', enableColumnResizing: true,
  });
  const resizingColumn = table.state.columnResizing.isResizingColumn;
  // resize handlers come from TanStack's header objects; read the latest through a ref so column layout stays memoised
  const headersRef = useRef(table.getHeaderGroups()[0]?.headers ?? []);
  headersRef.current = table.getHeaderGroups()[0]?.headers ?? [];
  const resizeStarts = useMemo(
    () => new Map(columnDefs.map((d) => [d.id, (e: React.MouseEvent | React.TouchEvent) => headersRef.current.find((h) => h.id === d.id)?.getResizeHandler()(e)])),
    [columnDefs],
  );

  // a finished drag is saved as the user's width for that column
  const wasResizing = useRef<string | false>(false);
  useEffect(() => {
    const was = wasResizing.current;
    wasResizing.current = resizingColumn;
    if (was && !resizingColumn && prefs.canPersonal) {
      const width = Math.round(table.getColumn(was)?.getSize() ?? 0);
      if (width > 0) prefs.save('user', { columns: { [was]: { width } } }, rel.columns.map((c) => c.name)).catch(() => {});
    }
  }, [resizingColumn, prefs, table, rel]);

  const deletable = canBulkDelete(rel);
  const fkByColumn = useMemo(() => new Map((query?.labels ?? []).map((l) => [l.column, l])), [query]);
  const { cols, width } = useMemo(() => {
    let left = deletable ? CHECK_W : 0;
    // inline: how a cell of the column is edited in place (null: it is not)
    const out: (RowColumn & HeaderColumn & { inline: InlineInput | null })[] = [];
    resolved.forEach((c, i) => {
      const w = sizing[c.name] ?? columnDefs[i]?.size ?? defaultWidth(c.column, { label: c.label });
      const onResizeStart = resizeStarts.get(c.name);
      const fk = fkByColumn.get(c.name);
      const target = fk && meta?.relations.find((r) => r.schema === fk.refSchema && r.name === fk.refTable);
      const inline = inlineInput(rel, c.column, meta);
      out.push({
        name: c.name, label: c.label, column: c.column, format: c.format, width: w,
        ...(c.pinned === 'left' ? { left } : {}),
        ...(fk ? { fk, fkLinkable: target?.primaryKey.length === 1 } : {}),
        inline, editable: inline !== null,
        resizing: resizingColumn === c.name,
        ...(onResizeStart ? { onResizeStart } : {}),
      });
      if (c.pinned === 'left') left += w;
    });
    let right = 0;
    for (let i = out.length - 1; i >= 0 && resolved[i]!.pinned === 'right'; i--) {
      out[i] = { ...out[i]!, right };
      right += out[i]!.width;
    }
    const width = out.reduce((s, c) => s + c.width, deletable ? CHECK_W : 0);
    return { cols: out, width };
  }, [resolved, columnDefs, sizing, resizeStarts, fkByColumn, meta, deletable, resizingColumn, rel]);

  // ------------------------------------------------------------ virtual body
  const pendingWin = useRef<ReturnType<typeof setTimeout> | null>(null);
  const visibleRange = (offset: number): [number, number] => {
    const viewport = (scrollRef.current?.clientHeight ?? 600) - HEADER_H;
    return [Math.floor(offset / ROW_H), Math.floor((offset + viewport) / ROW_H)];
  };
  // one window move at a time: while a window's snapshot is on its way, the next move waits for it
  // (cancelling it for a newer one on every step would show no rows during a long scroll)
  const liveRef = useRef(live);
  liveRef.current = live;
  const moveAfterSnapshot = useRef(false);
  const moveWindow = (offset: number) => {
    const [f, l] = visibleRange(offset);
    if (!needsMove(winRef.current, f, l, totalRef.current)) return;
    if (liveRef.current.status === 'loading' && liveRef.current.cache.stale) {
      moveAfterSnapshot.current = true;
      return;
    }
    setWin(windowFor(f, l));
  };
  const pendingAt = useRef<ReturnType<typeof setTimeout> | null>(null);
  const winRef = useRef(win);
  winRef.current = win;
  const totalRef = useRef(total);
  totalRef.current = total;
  const sv = useScaledVirtualizer({
    count,
    rowHeight: ROW_H,
    headerHeight: HEADER_H,
    maxBody: MAX_BODY_PX,
    getScrollElement: () => scrollRef.current,
    onChange: (v) => {
      const [first] = visibleRange(v.scrollOffset ?? 0);
      // throttled, not debounced: a long steady scroll must still move the window
      if (pendingWin.current === null && needsMove(winRef.current, ...visibleRange(v.scrollOffset ?? 0), totalRef.current)) {
        pendingWin.current = setTimeout(() => {
          pendingWin.current = null;
          moveWindow(v.scrollOffset ?? 0);
        }, 90);
      }
      if (pendingAt.current) clearTimeout(pendingAt.current);
      pendingAt.current = setTimeout(() => dispatch({ type: 'scroll', at: first }), 400);
    },
  });
  const virtualizer = sv.virtualizer;
  useEffect(() => {
    if (live.status === 'loading' || !moveAfterSnapshot.current) return;
    moveAfterSnapshot.current = false;
    moveWindow(virtualizer.scrollOffset ?? 0);
  });
  useEffect(() => () => {
    if (pendingWin.current) clearTimeout(pendingWin.current);
    if (pendingAt.current) clearTimeout(pendingAt.current);
  }, []);

  // a shared link's row position: scroll there once the rows are known
  const restored = useRef(state.at === 0);
  useEffect(() => {
    if (restored.current || !live.cache.live || count <= state.at) return;
    restored.current = true;
    virtualizer.scrollToIndex(state.at, { align: 'start' });
  }, [live.cache.live, count, state.at, virtualizer]);

  // keep the row under the user's eye in place when rows are inserted or removed above it
  const anchor = useRef<{ key: string; index: number } | null>(null);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const a = anchor.current;
    if (el && a && sv.realOffset() > 0) {
      const index = view.indexOfKey(a.key);
      if (index >= 0 && index !== a.index) el.scrollTop += ((index - a.index) * ROW_H) / sv.scale();
    }
    const first = Math.floor((virtualizer.scrollOffset ?? 0) / ROW_H);
    const row = view.at(first);
    anchor.current = row && !row.ghost ? { key: row.key, index: first } : null;
  });

  // ------------------------------------------------------------ actions
  // stable across patches (rows are memoised on their props): read the latest view through a ref
  const viewRef = useRef(view);
  viewRef.current = view;
  const openRow = useCallback(
    (index: number) => {
      const r = viewRef.current.at(index);
      if (!r || r.ghost || rel.primaryKey.length === 0) return;
      navigate(`${relationPath(rel.schema, rel.name)}/${recordKeyOf(rel, r.row)}`);
    },
    [rel, navigate],
  );
  const toggleSelect = useCallback((key: string) => {
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);
  const showAllOf = useCallback((column: string, value: unknown) => setShowAll({ column, value }), []);
  const loadedKeys = useMemo(() => view.rows.filter((r) => !r.ghost).map((r) => r.key), [view]);
  const allSelected = loadedKeys.length > 0 && loadedKeys.every((k) => selected.has(k));
  const colsRef = useRef(cols);
  colsRef.current = cols;
  const countRef = useRef(count);
  countRef.current = count;
  const editingRef = useRef(editing);
  editingRef.current = editing;
  // editing in place: double-click or F2 on a cell the role may change (inlineInput)
  const startEdit = useCallback((index: number, col: number, typed?: string) => {
    const r = viewRef.current.at(index);
    if (!r || r.ghost || colsRef.current[col]?.editable !== true) return;
    setActive({ row: index, col });
    setEditing({ key: r.key, col, row: r.row, ...(typed !== undefined ? { typed } : {}) });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- setActive is stable
  }, []);
  // only the editor that is still open closes (a blur-save of the previous one can finish later)
  const endEdit = useCallback((key: string, col: number, moved: 'down' | 'right' | null) => {
    const open = editingRef.current;
    if (open === null || open.key !== key || open.col !== col) return;
    setEditing(null);
    setActive((a) => {
      if (!a || moved === null) return a;
      return moved === 'down' ? { ...a, row: Math.min(countRef.current - 1, a.row + 1) } : { ...a, col: Math.min(colsRef.current.length - 1, a.col + 1) };
    });
    // keys go back to the grid, unless the user left the cell for something else (the search box, say)
    const focused = document.activeElement;
    if (!focused || focused === document.body || scrollRef.current?.contains(focused)) scrollRef.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- setActive is stable
  }, []);
  useEffect(() => setEditing(null), [queryKey]);

  const { active, setActive, onKeyDown } = useGridKeyboard({
    onEdit: (row, col, typed) => startEdit(row, col, typed),
    onCopy: (row, col) => {
      const r = view.at(row);
      const c = cols[col];
      if (r && c) void copyText(cellText(r.row[c.name]), `${c.name} of row ${row + 1}`);
    },
    count, columns: cols.length, pageRows: Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 600) - HEADER_H) / ROW_H) - 1),
    scrollTo: (i) => virtualizer.scrollToIndex(i, { align: 'auto' }),
    onOpen: openRow,
    onShowCell: (row, col) => {
      const r = view.at(row);
      const c = cols[col];
      if (r && c) setShowAll({ column: c.name, value: r.row[c.name] });
    },
    onToggle: (i) => { const r = view.at(i); if (r && deletable) toggleSelect(r.key); },
    onEscape: () => (selected.size > 0 ? (setSelected(new Set()), true) : false),
  });

  const activate = useCallback((row: number, col: number) => setActive({ row, col }), [setActive]);
  // pasting on the active cell opens its editor with the pasted text (one line), for the user to confirm with Enter
  const onPaste = (e: React.ClipboardEvent<HTMLDivElement>) => {
    // (the event comes from where the click left the selection, a cell's text, say; editors paste for themselves)
    if (!active || editing !== null || (e.target as HTMLElement).closest('input, textarea, select, [contenteditable]')) return;
    const text = e.clipboardData.getData('text/plain').replace(/\r?\n$/, '');
    if (text === '' || text.includes('\n')) return;
    e.preventDefault();
    startEdit(active.row, active.col, text);
  };

  const onSearch = useCallback((text: string) => dispatch({ type: 'search', text }), [dispatch]);
  const onFilters = useCallback((f: readonly Filter[], j: Join) => dispatch({ type: 'setFilters', filters: f, join: j }), [dispatch]);
  const onFilterColumnDone = useCallback(() => setFilterColumn(null), []);
  const onDeleteSelected = useCallback(() => setConfirmDelete(true), []);
  const onSort = useCallback((column: string, multi: boolean) => dispatch({ type: 'toggleSort', column, multi }), [dispatch]);
  const loadedRef = useRef(loadedKeys);
  loadedRef.current = loadedKeys;
  const onToggleAll = useCallback(
    () => setSelected((s) => (loadedRef.current.length > 0 && loadedRef.current.every((k) => s.has(k)) ? new Set() : new Set(loadedRef.current))),
    [],
  );
  const stateRef = useRef(state);
  stateRef.current = state;
  const onExport = useCallback(() => void doExport(stateRef.current), []); // eslint-disable-line react-hooks/exhaustive-deps

  async function doExport(current: GridState) {
    setExporting(true);
    try {
      const { fileName, bytes } = await exportCsv(rel, current);
      notifications.show({ message: `Downloaded ${fileName} (${Math.max(1, Math.round(bytes / 1024))} KB)`, color: 'teal' });
    } catch (e) {
      notifications.show({ title: 'Export failed', message: e instanceof Error ? e.message : String(e), color: 'red' });
    } finally {
      setExporting(false);
    }
  }

  async function doDelete() {
    const keys = [...selected];
    setConfirmDelete(false);
    try {
      const n = await deleteRows(rel, keys);
      setSelected(new Set());
      notifications.show({ message: n === keys.length ? `Deleted ${n} ${n === 1 ? 'row' : 'rows'}` : `Deleted ${n} of ${keys.length} rows (the others were not visible to your role, or already gone)`, color: n === keys.length ? 'teal' : 'orange' });
    } catch (e) {
      notifications.show({ title: 'Delete failed', message: e instanceof Error ? e.message : String(e), color: 'red', autoClose: 10_000 });
    }
  }

  // ------------------------------------------------------------ render
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const firstVisible = Math.floor((virtualizer.scrollOffset ?? 0) / ROW_H);
  const lastVisible = Math.min(count, firstVisible + Math.floor(((scrollRef.current?.clientHeight ?? 600) - HEADER_H) / ROW_H));
  const sample = view.rows[0]?.row;

  return (
    <Stack gap={0} h="100%" style={{ minHeight: 0 }}>
      <GridToolbar
        rel={rel} columns={metaCols} search={search} onSearch={onSearch}
        filters={filters} join={join} onFilters={onFilters}
        filterColumn={filterColumn} onFilterColumnDone={onFilterColumnDone}
        selected={selected.size} canDelete={deletable} onDeleteSelected={onDeleteSelected}
        onExport={onExport} exporting={exporting} {...(sample ? { sample } : {})}
      />
      {live.error && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />} py={8} radius={0} data-testid="grid-error">
          <Text size="sm">{live.error.message}</Text>
          {live.error.hint && <Text size="xs" c="dimmed">{live.error.hint}</Text>}
        </Alert>
      )}
      <div ref={scrollRef} className="pg-grid" tabIndex={0} role="grid" aria-rowcount={total} aria-label={rel.name} onKeyDown={onKeyDown} onPaste={onPaste} data-testid="grid">
        <GridHeader
          schema={rel.schema} name={rel.name} columns={cols} sort={sort} width={width} onSort={onSort}
          showSelection={deletable} allSelected={allSelected} someSelected={selected.size > 0} onToggleAll={onToggleAll}
          {...(sample ? { sample } : {})}
        />
        <div className="pg-body" style={{ height: sv.bodyHeight, width }} data-first={first}>
          <div className="pg-rows" style={sv.shift ? { transform: `translateY(${sv.shift}px)` } : undefined}>
          {items.map((item) => {
            const r = view.at(item.index);
            const editingCol = editing !== null && r?.key === editing.key ? editing.col : -1;
            const editCol = editingCol >= 0 ? cols[editingCol] : undefined;
            const editInput = editCol?.inline ?? null;
            return (
              <GridRow
                key={r?.key ?? `i${item.index}`} index={item.index} top={sv.topOf(item.start)} width={width}
                rowKey={r?.key} row={r?.row} stale={r?.stale ?? false} ghost={r?.ghost ?? false}
                flashes={r ? live.cache.flashes.get(r.key) : undefined} cols={cols} now={now}
                selectable={deletable} selected={r ? selected.has(r.key) : false} active={active?.row === item.index} activeCol={active?.row === item.index ? active.col : -1}
                onToggle={toggleSelect} onActivate={activate} onOpen={openRow} onShowAll={showAllOf}
                onEdit={startEdit} editingCol={editInput ? editingCol : -1}
                editor={editCol && editInput && editing ? <InlineEditor key={`${editing.key}/${editingCol}`} rel={rel} column={editCol.column} input={editInput} row={editing.row}
                  {...(editing.typed !== undefined ? { typed: editing.typed } : {})}
                  onDone={(moved) => endEdit(editing.key, editingCol, moved)} /> : null}
              />
            );
          })}
          </div>
          {live.status === 'live' && total === 0 && (
            <div className="pg-empty" data-testid="grid-empty">{filters.length || search ? 'No rows match the filters.' : 'This table is empty.'}</div>
          )}
        </div>
      </div>
      <Group px="md" py={4} justify="space-between" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }} wrap="nowrap">
        <Text size="xs" c="dimmed" data-testid="grid-status">
          {live.status === 'error' ? 'Not live: the query failed' : live.status === 'loading' ? 'Loading…' : live.mode === 'polling' ? 'Refreshed every few seconds (change capture is unavailable for this relation)' : 'Live'}
          {total > 0 && ` · rows ${(firstVisible + 1).toLocaleString()}–${Math.max(firstVisible + 1, lastVisible).toLocaleString()}`}
          {selected.size > 0 && ` · ${selected.size} selected`}
        </Text>
        <Group gap={8} wrap="nowrap">
          <CountText total={live.cache.live ? total : null} exact={countMode === 'exact' || total < EXACT_BELOW} onExact={() => setCountMode('exact')} />
          <KeyboardHelp />
        </Group>
      </Group>
      <ConfirmDelete opened={confirmDelete} count={selected.size} relation={rel.name} onCancel={() => setConfirmDelete(false)} onConfirm={() => void doDelete()} />
      <ShowAllModal value={showAll} onClose={() => setShowAll(null)} />
    </Stack>
  );
}

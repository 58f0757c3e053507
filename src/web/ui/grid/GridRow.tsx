/** One virtual row: placeholder while its window loads, else its cells with change highlights. */
import { memo, type ReactNode } from 'react';
import { ActionIcon, Checkbox } from '@mantine/core';
import { IconArrowsMaximize } from '@tabler/icons-react';
import type { ColumnFormat } from '../../core/format.js';
import type { FkLabel } from '../../core/filters.js';
import type { MetaColumn } from '../../core/meta.js';
import type { Row } from '../../../protocol/live.js';
import { CellContent, isTruncated } from './GridCell.js';
import { CHECK_W, ROW_H } from './layout.js';

export interface RowColumn {
  name: string;
  column: MetaColumn;
  format: ColumnFormat | undefined;
  width: number;
  left?: number;
  right?: number;
  fk?: FkLabel;
  fkLinkable?: boolean;
  /** its cells can be edited in place (double-click, F2) */
  editable?: boolean;
}

/**
 * Props are primitives or objects whose identity changes only when this row's
 * content does (the row object, its flash map), so memo skips every row a
 * patch or a scroll step did not touch.
 */
export interface GridRowProps {
  index: number;
  top: number;
  width: number;
  /** undefined while the row's window loads */
  rowKey: string | undefined;
  row: Row | undefined;
  stale: boolean;
  ghost: boolean;
  /** field → highlight end time, for this row ('*': inserted) */
  flashes: ReadonlyMap<string, number> | undefined;
  cols: readonly RowColumn[];
  now: number;
  selectable: boolean;
  selected: boolean;
  active: boolean;
  activeCol: number;
  onToggle(key: string): void;
  onActivate(index: number, col: number): void;
  onOpen(index: number): void;
  onShowAll(column: string, value: unknown): void;
  /** start editing a cell in place */
  onEdit(index: number, col: number): void;
  /** the column being edited in this row (-1: none) and its editor */
  editingCol: number;
  editor: ReactNode;
}

function sticky(c: RowColumn): React.CSSProperties {
  if (c.left !== undefined) return { position: 'sticky', left: c.left, zIndex: 1, background: 'inherit' };
  if (c.right !== undefined) return { position: 'sticky', right: c.right, zIndex: 1, background: 'inherit' };
  return {};
}

export const GridRow = memo(function GridRow(p: GridRowProps) {
  const style: React.CSSProperties = { transform: `translateY(${p.top}px)`, width: p.width, height: ROW_H };
  const row = p.row;
  const key = p.rowKey;
  if (!row || key === undefined) {
    return (
      <div className="pg-row" style={style} role="row" aria-rowindex={p.index + 1} data-loading="true">
        {p.selectable && <div className="pg-cell pg-check" style={{ width: CHECK_W }} />}
        {p.cols.map((c) => (
          <div key={c.name} className="pg-cell" style={{ width: c.width }}><div className="pg-placeholder" /></div>
        ))}
      </div>
    );
  }
  const now = Date.now();
  const flashing = (field: string) => (p.flashes?.get(field) ?? 0) > now;
  return (
    <div
      className="pg-row" style={style} role="row" aria-rowindex={p.index + 1} aria-selected={p.selected}
      data-key={key} data-selected={p.selected} data-active={p.active} data-stale={p.stale} data-ghost={p.ghost} data-inserted={flashing('*')}
      data-editing={p.editingCol >= 0}
      onDoubleClick={() => p.onOpen(p.index)}
    >
      {p.selectable && (
        <div className="pg-cell pg-check" style={{ width: CHECK_W, position: 'sticky', left: 0, zIndex: 1, background: 'inherit' }}>
          <Checkbox size="xs" checked={p.selected} onChange={() => p.onToggle(key)} aria-label="Select row" disabled={p.ghost} />
        </div>
      )}
      {p.cols.map((c, i) => {
        const value = row[c.name];
        const flash = flashing(c.name);
        if (p.editingCol === i) {
          return (
            <div key={c.name} className="pg-cell" role="gridcell" style={{ width: c.width, ...sticky(c) }} data-column={c.name} data-editing="true">
              {p.editor}
            </div>
          );
        }
        const truncated = !c.fk && isTruncated(value, c.column, c.format, p.now);
        const editable = c.editable === true && !p.ghost;
        return (
          <div
            key={c.name} className="pg-cell" role="gridcell" style={{ width: c.width, ...sticky(c) }}
            data-column={c.name} data-flash={flash} data-focus={p.active && p.activeCol === i} data-editable={editable || undefined}
            data-align={c.column.category === 'N' && c.column.arrayDims === 0 && !c.fk ? 'right' : undefined}
            onClick={() => p.onActivate(p.index, i)}
            onDoubleClick={editable ? (e) => { e.stopPropagation(); p.onEdit(p.index, i); } : undefined}
          >
            <CellContent value={value} column={c.column} format={c.format} now={p.now}
              {...(c.fk ? { fk: { label: c.fk, embedded: row[c.fk.alias], linkable: c.fkLinkable ?? false } } : {})} />
            {truncated && (
              <ActionIcon className="pg-more" size="xs" variant="default" aria-label="Show all" onClick={(e) => { e.stopPropagation(); p.onShowAll(c.name, value); }}>
                <IconArrowsMaximize size={12} />
              </ActionIcon>
            )}
          </div>
        );
      })}
    </div>
  );
});

/** Header cells: click to sort (shift-click adds a key), drag the edge to resize, the column menu. */
import { memo } from 'react';
import { Checkbox, Tooltip } from '@mantine/core';
import { IconArrowDown, IconArrowUp } from '@tabler/icons-react';
import type { SortKey } from '../../core/grid-state.js';
import type { MetaColumn } from '../../core/meta.js';
import { ColumnMenu } from '../columns/index.js';
import { CHECK_W, HEADER_H } from './layout.js';

export interface HeaderColumn {
  name: string;
  label: string;
  column: MetaColumn;
  width: number;
  /** sticky offset when pinned */
  left?: number;
  right?: number;
  resizing: boolean;
  onResizeStart?: (e: React.MouseEvent | React.TouchEvent) => void;
}

export interface GridHeaderProps {
  schema: string;
  name: string;
  columns: readonly HeaderColumn[];
  sort: readonly SortKey[];
  onSort(column: string, multi: boolean): void;
  width: number;
  showSelection: boolean;
  allSelected: boolean;
  someSelected: boolean;
  onToggleAll(): void;
  sample?: Record<string, unknown>;
}

function typeHint(c: MetaColumn): string {
  return c.arrayDims > 0 ? `${c.baseTypeName}[]` : c.domain ? c.domain.split('.').pop()! : c.baseTypeName;
}

/** memoised: the grid re-renders on every scroll step, the header only when its columns or sort change */
export const GridHeader = memo(function GridHeader({ schema, name, columns, sort, onSort, width, showSelection, allSelected, someSelected, onToggleAll, sample }: GridHeaderProps) {
  return (
    <div className="pg-header" style={{ width, height: HEADER_H }} role="row">
      {showSelection && (
        <div className="pg-hcell pg-check" style={{ width: CHECK_W, position: 'sticky', left: 0, zIndex: 2 }} role="columnheader">
          <Checkbox size="xs" aria-label="Select loaded rows" checked={allSelected} indeterminate={someSelected && !allSelected} onChange={onToggleAll} />
        </div>
      )}
      {columns.map((c) => {
        const i = sort.findIndex((k) => k.column === c.name);
        const key = i >= 0 ? sort[i] : undefined;
        const sticky = c.left !== undefined ? { position: 'sticky' as const, left: c.left, zIndex: 2 } : c.right !== undefined ? { position: 'sticky' as const, right: c.right, zIndex: 2 } : {};
        return (
          <div key={c.name} className="pg-hcell" style={{ width: c.width, ...sticky }} role="columnheader"
            aria-sort={key ? (key.dir === 'asc' ? 'ascending' : 'descending') : 'none'} data-column={c.name}>
            <Tooltip label={c.column.comment ?? ''} disabled={!c.column.comment} openDelay={500} multiline maw={320} withinPortal>
              <div className="pg-hcell-sort" onClick={(e) => onSort(c.name, e.shiftKey)} title="Sort (shift-click: add to the sort)">
                <span className="pg-hcell-label">{c.label}</span>
                {key && (key.dir === 'asc' ? <IconArrowUp size={12} /> : <IconArrowDown size={12} />)}
                {key && sort.length > 1 && <span className="pg-sort-badge">{i + 1}</span>}
                {!key && <span className="pg-hcell-type">{typeHint(c.column)}</span>}
              </div>
            </Tooltip>
            <ColumnMenu schema={schema} name={name} column={c.column} {...(sample ? { sample: sample[c.name] } : {})} />
            {c.onResizeStart && (
              <div className="pg-resizer" data-resizing={c.resizing} onMouseDown={c.onResizeStart} onTouchStart={c.onResizeStart}
                onClick={(e) => e.stopPropagation()} role="separator" aria-label={`Resize ${c.label}`} />
            )}
          </div>
        );
      })}
    </div>
  );
});

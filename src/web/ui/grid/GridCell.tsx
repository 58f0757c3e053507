/**
 * One cell's content: a foreign key as the referenced row's label (a link to
 * it), otherwise the value through the column's format (Engineer B's
 * formatCell). Plain text stays a plain span: hundreds of cells scroll by.
 */
import { memo } from 'react';
import { Link } from 'react-router';
import { formatCell, type ColumnFormat } from '../../core/format.js';
import type { MetaColumn } from '../../core/meta.js';
import { FormattedValue } from '../columns/index.js';
import type { FkLabel } from '../../core/filters.js';
import { relationPath } from '../../core/meta.js';

export interface CellProps {
  value: unknown;
  column: MetaColumn;
  format: ColumnFormat | undefined;
  now: number;
  /** the embedded label of the referenced row, when the column is a foreign key */
  fk?: { label: FkLabel; embedded: unknown; linkable: boolean };
}

function fkText(embedded: unknown, label: FkLabel): string | null {
  if (embedded && typeof embedded === 'object' && !Array.isArray(embedded)) {
    const v = (embedded as Record<string, unknown>)[label.labelColumn];
    return v === null || v === undefined ? null : String(v);
  }
  return null;
}

export const CellContent = memo(function CellContent({ value, column, format, now, fk }: CellProps) {
  if (fk && value !== null && value !== undefined) {
    const text = fkText(fk.embedded, fk.label) ?? String(value);
    const content = (
      <>
        {text}
        <span className="pg-fk-id">{String(value)}</span>
      </>
    );
    if (!fk.linkable) return <span className="pg-text">{content}</span>;
    return (
      <Link
        className="pg-fk"
        to={`${relationPath(fk.label.refSchema, fk.label.refTable)}/${encodeURIComponent(String(value))}`}
        onClick={(e) => e.stopPropagation()}
        title={`${fk.label.refTable} ${String(value)}`}
      >
        {content}
      </Link>
    );
  }
  const view = formatCell(value, column, format, now);
  if (view.isNull && !view.tone) return <span className="pg-null">NULL</span>;
  if ((view.kind === undefined || view.kind === 'text') && !view.tone) {
    // the native title shows what the column width cuts off
    return <span className="pg-text" title={view.title ?? (view.text.length > 16 ? view.text : undefined)}>{view.text}</span>;
  }
  return <FormattedValue view={view} imageHeight={24} />;
});

/** true when the grid shows only part of the value (long text, big JSON) */
export function isTruncated(value: unknown, column: MetaColumn, format: ColumnFormat | undefined, now: number): boolean {
  if (value === null || value === undefined) return false;
  return formatCell(value, column, format, now).truncated === true;
}

/** the whole value for the "show all" dialog */
export function fullText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') return JSON.stringify(value, null, 2);
  return String(value);
}

/**
 * Which grid cells can be edited in place, and with what input: a readable
 * column the role may update (columnAccess), of a relation with a primary key
 * (the write names its row), whose value fits one line; a single-column
 * foreign key gets the record page's picker when its target is readable.
 * Arrays, JSON and binary values are edited on the record page, where they
 * have room.
 */
import { findRelation, type MetaColumn, type MetaRelation, type MetaSchema } from './meta.js';
import { columnAccess } from './record.js';
import { foreignKeyOf, scalarWidget, type WidgetKind } from './record-values.js';

export type InlineInput =
  | { kind: 'select'; options: readonly { value: string; label: string }[] }
  | { kind: 'fk'; target: MetaRelation; refColumn: string }
  | { kind: 'input'; type: 'text' | 'date' | 'time' | 'datetime-local'; inputMode?: 'numeric' | 'decimal' };

const ONE_LINE: ReadonlySet<WidgetKind> = new Set([
  'text', 'textarea', 'integer', 'numeric', 'float', 'boolean', 'date', 'time', 'timestamp', 'timestamptz', 'enum', 'uuid', 'interval',
]);

/** the input a cell of `column` is edited with in place, or null when it is not editable there */
export function inlineInput(rel: MetaRelation, column: MetaColumn, meta: MetaSchema | null): InlineInput | null {
  if (rel.primaryKey.length === 0 || column.arrayDims > 0 || column.isTsvector) return null;
  if (!columnAccess(rel, column).editable) return null;
  const fk = foreignKeyOf(rel, column.name);
  if (fk) {
    const target = findRelation(meta, fk.refSchema, fk.refTable);
    const refColumn = fk.refColumns[0]!;
    return target && target.privileges.select.includes(refColumn) ? { kind: 'fk', target, refColumn } : null;
  }
  const w = scalarWidget(column);
  if (!ONE_LINE.has(w)) return null;
  const empty = column.nullable ? [{ value: '', label: 'NULL' }] : [];
  switch (w) {
    case 'boolean':
      return { kind: 'select', options: [{ value: 'true', label: 'true' }, { value: 'false', label: 'false' }, ...empty] };
    case 'enum':
      return { kind: 'select', options: [...(column.enumLabels ?? []).map((l) => ({ value: l, label: l })), ...empty] };
    case 'integer':
      return { kind: 'input', type: 'text', inputMode: 'numeric' };
    case 'numeric':
    case 'float':
      return { kind: 'input', type: 'text', inputMode: 'decimal' };
    case 'date':
      return { kind: 'input', type: 'date' };
    case 'time':
      return { kind: 'input', type: 'time' };
    case 'timestamp':
    case 'timestamptz':
      return { kind: 'input', type: 'datetime-local' };
    default:
      return { kind: 'input', type: 'text' };
  }
}

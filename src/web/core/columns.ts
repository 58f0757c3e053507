/** What kind of value a column holds, as far as filtering, searching and alignment care. */
import type { MetaColumn } from './meta.js';

export type ColumnKind = 'text' | 'number' | 'date' | 'datetime' | 'time' | 'boolean' | 'enum' | 'array' | 'json' | 'uuid' | 'tsvector' | 'other';

export function columnKind(c: MetaColumn): ColumnKind {
  if (c.isTsvector) return 'tsvector';
  if (c.arrayDims > 0) return 'array';
  if (c.enumLabels && c.enumLabels.length > 0) return 'enum';
  const t = c.baseTypeName;
  if (t === 'json' || t === 'jsonb') return 'json';
  if (t === 'uuid') return 'uuid';
  if (t === 'date') return 'date';
  if (t === 'timestamp' || t === 'timestamptz') return 'datetime';
  if (t === 'time' || t === 'timetz') return 'time';
  switch (c.category) {
    case 'S':
      return 'text';
    case 'N':
      return 'number';
    case 'B':
      return 'boolean';
    case 'E':
      return 'enum';
    case 'D':
      return 'datetime';
    default:
      return 'other';
  }
}

/** numbers read best right-aligned */
export function isNumeric(c: MetaColumn): boolean {
  return columnKind(c) === 'number';
}

/** A plausible value of a column's type, for the format editor's preview when no real row is at hand. */
import type { MetaColumn } from '../../core/meta.js';

export function sampleValue(column: MetaColumn, now = Date.now()): unknown {
  const t = column.baseTypeName;
  const one = (): unknown => {
    if (column.enumLabels) return column.enumLabels[0] ?? 'value';
    if (t === 'bool') return true;
    if (['int2', 'int4', 'int8'].includes(t)) return 1536;
    if (column.category === 'N') return '-1234.5';
    if (t === 'date') return new Date(now).toISOString().slice(0, 10);
    if (t === 'timestamptz') return new Date(now - 3 * 60_000).toISOString();
    if (t === 'timestamp') return new Date(now - 3 * 60_000).toISOString().slice(0, 19);
    if (t === 'time' || t === 'timetz') return '09:30:00';
    if (t === 'json' || t === 'jsonb') return { channel: 'web', items: 3 };
    if (t === 'uuid') return '123e4567-e89b-12d3-a456-426614174000';
    return 'Sample text';
  };
  return column.arrayDims > 0 ? [one(), one()] : one();
}

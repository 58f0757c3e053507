/** Geometry of the grid: row and header heights, default widths, and scaling for huge tables. */
import { columnKind } from '../../core/columns.js';
import type { MetaColumn } from '../../core/meta.js';

export const ROW_H = 34;
export const HEADER_H = 36;
export const CHECK_W = 40;
/**
 * Browsers cap element heights (Chrome ~33.5M px, Firefox ~17.9M px). Past this
 * the body is drawn at this height and scroll offsets are scaled, so a
 * 10M-row table still scrolls from top to bottom.
 */
export const MAX_BODY_PX = 8_000_000;

/** wide enough for the header (label, sort arrow, menu button) and a typical value */
export function defaultWidth(c: MetaColumn, opts: { label?: string; fk?: boolean } = {}): number {
  const header = Math.min(320, Math.round((opts.label ?? c.name).length * 7.5) + 62);
  return Math.max(header, opts.fk ? 180 : valueWidth(c));
}

function valueWidth(c: MetaColumn): number {
  switch (columnKind(c)) {
    case 'number':
      return c.name === 'id' || c.name.endsWith('_id') ? 96 : 120;
    case 'boolean':
      return 90;
    case 'date':
    case 'time':
      return 120;
    case 'datetime':
      return 190;
    case 'enum':
      return 130;
    case 'uuid':
      return 290;
    case 'json':
      return 260;
    default:
      return c.maxLength !== null && c.maxLength <= 12 ? 110 : 180;
  }
}

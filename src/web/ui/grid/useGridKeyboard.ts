/** Keyboard navigation: arrows / Page / Home / End move the active cell, Enter opens the row (Shift+Enter: the whole cell value), F2 edits the cell in place (typing a character starts with it), Ctrl/Cmd+C copies its value, Space selects, Esc clears. */
import { useCallback, useState, type KeyboardEvent } from 'react';

export interface ActiveCell {
  row: number;
  col: number;
}

export interface GridKeyboardOptions {
  count: number;
  columns: number;
  pageRows: number;
  scrollTo(row: number): void;
  onOpen(row: number): void;
  /** edit the cell in place (when its column allows); `typed`: the character that started it */
  onEdit(row: number, col: number, typed?: string): void;
  /** copy the value of a cell */
  onCopy(row: number, col: number): void;
  /** show the whole value of a cell */
  onShowCell(row: number, col: number): void;
  onToggle(row: number): void;
  /** true when Esc was used up (e.g. cleared a selection) */
  onEscape(): boolean;
}

export function useGridKeyboard(o: GridKeyboardOptions) {
  const [active, setActive] = useState<ActiveCell | null>(null);

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      // typing in a cell's widget (a checkbox, a link) is not grid navigation
      if (e.target !== e.currentTarget && ['INPUT', 'SELECT', 'TEXTAREA'].includes((e.target as HTMLElement).tagName)) return;
      const cur = active ?? { row: 0, col: 0 };
      const clampRow = (r: number) => Math.max(0, Math.min(o.count - 1, r));
      const clampCol = (c: number) => Math.max(0, Math.min(o.columns - 1, c));
      let next: ActiveCell | null = null;
      switch (e.key) {
        case 'ArrowDown':
          next = active ? { ...cur, row: clampRow(cur.row + 1) } : cur;
          break;
        case 'ArrowUp':
          next = { ...cur, row: clampRow(cur.row - 1) };
          break;
        case 'ArrowRight':
          next = { ...cur, col: clampCol(cur.col + 1) };
          break;
        case 'ArrowLeft':
          next = { ...cur, col: clampCol(cur.col - 1) };
          break;
        case 'PageDown':
          next = { ...cur, row: clampRow(cur.row + o.pageRows) };
          break;
        case 'PageUp':
          next = { ...cur, row: clampRow(cur.row - o.pageRows) };
          break;
        case 'Home':
          next = e.ctrlKey || e.metaKey ? { ...cur, row: 0 } : { ...cur, col: 0 };
          break;
        case 'End':
          next = e.ctrlKey || e.metaKey ? { ...cur, row: clampRow(o.count - 1) } : { ...cur, col: clampCol(o.columns - 1) };
          break;
        case 'Enter':
          if (active && e.shiftKey) o.onShowCell(active.row, active.col);
          else if (active) o.onOpen(active.row);
          e.preventDefault();
          return;
        case 'F2':
          if (active) o.onEdit(active.row, active.col);
          e.preventDefault();
          return;
        case ' ':
          if (active) o.onToggle(active.row);
          e.preventDefault();
          return;
        case 'Escape':
          if (!o.onEscape()) setActive(null);
          e.preventDefault();
          return;
        default:
          // (text the user selected with the mouse is copied by the browser, as usual)
          if (active && (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'c' && !window.getSelection()?.toString()) {
            o.onCopy(active.row, active.col);
            e.preventDefault();
            return;
          }
          // a character typed on the active cell starts editing it with that character, as in a spreadsheet
          if (active && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
            o.onEdit(active.row, active.col, e.key);
            e.preventDefault();
          }
          return;
      }
      e.preventDefault();
      if (o.count === 0) return;
      setActive(next);
      o.scrollTo(next.row);
    },
    [active, o],
  );

  return { active, setActive, onKeyDown };
}

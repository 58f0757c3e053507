/**
 * A grid cell edited in place: Enter (or leaving the cell) saves, Escape
 * cancels. The value is checked before it is sent (fromDraft), and the write
 * is conflict-safe like the record page's: it lands only where the row still
 * holds the value the user started from. Nothing typed is lost: a refused
 * value stays in the cell with the reason until the user fixes or cancels it.
 * The grid needs nothing after a save: the change comes back as a live patch.
 */
import { useEffect, useRef, useState } from 'react';
import { notifications } from '@mantine/notifications';
import { ApiError } from '../../core/api.js';
import type { InlineInput } from '../../core/inline-edit.js';
import type { MetaColumn, MetaRelation } from '../../core/meta.js';
import { sameValue } from '../../core/record.js';
import { updateRow } from '../../core/record-api.js';
import { fromDraft, toDraft } from '../../core/record-values.js';
import { FkPicker } from '../fields/FkPicker.js';
import type { Row } from '../../../protocol/live.js';

export interface InlineEditorProps {
  rel: MetaRelation;
  column: MetaColumn;
  input: InlineInput;
  /** the row as the user saw it when editing started */
  row: Row;
  /** a character typed on the cell: the text starts as it (a list ignores it) */
  typed?: string;
  /** editing ended (saved, cancelled or nothing changed); `moved`: Enter / Tab was pressed */
  onDone(moved: 'down' | 'right' | null): void;
}

function draftText(row: Row, column: MetaColumn): string {
  const d = toDraft(row[column.name], column);
  return d === null ? '' : String(d);
}

export function InlineEditor({ rel, column, input, row, typed, onDone }: InlineEditorProps) {
  const [base] = useState(row);
  const replacing = typed !== undefined && input.kind === 'input' && input.type === 'text';
  const [text, setText] = useState(() => (replacing ? typed : draftText(row, column)));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const ref = useRef<HTMLInputElement & HTMLSelectElement>(null);
  const finished = useRef(false);
  const mounted = useRef(true);
  /** the text the database last refused: leaving the cell does not send it again */
  const refused = useRef<string | null>(null);

  useEffect(() => {
    ref.current?.focus();
    if (input.kind === 'input' && input.type === 'text' && !replacing) ref.current?.select();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the editor opens
  }, []);
  useEffect(() => () => void (mounted.current = false), []);

  async function save(moved: 'down' | 'right' | null, explicit: boolean, chosen?: string) {
    if (finished.current || saving) return;
    const value = chosen ?? text;
    if (!explicit && refused.current === value) return; // its reason is on screen; Enter tries again
    // a list's empty choice is NULL; a boolean's draft is a boolean
    const draft = input.kind !== 'input' && value === '' ? null : column.baseTypeName === 'bool' ? value === 'true' : value;
    const parsed = fromDraft(draft, column);
    if (!parsed.ok) {
      setError(`${column.name}: ${parsed.error}`);
      return;
    }
    if (sameValue(parsed.value, base[column.name])) {
      finished.current = true;
      onDone(moved);
      return;
    }
    setSaving(true);
    try {
      const key = Object.fromEntries(rel.primaryKey.map((k) => [k, base[k]]));
      const written = await updateRow(rel, key, { [column.name]: parsed.value }, base);
      finished.current = true;
      if (written === null) {
        notifications.show({
          color: 'yellow',
          title: 'Not saved: the row changed meanwhile',
          message: `Someone changed or removed this row after you started editing ${column.name}. The grid shows its current value.`,
        });
      }
      onDone(moved);
    } catch (e) {
      const err = e instanceof ApiError ? e : null;
      const reason = [err?.message ?? String(e), err?.details, err?.hint].filter(Boolean).join(' — ');
      if (!mounted.current) {
        // the user moved on to another cell meanwhile: say so rather than drop it
        notifications.show({ color: 'red', title: `${column.name} was not saved`, message: `${reason} (you typed “${value}”)` });
        return;
      }
      refused.current = value;
      setError(reason);
      setSaving(false);
    }
  }

  function cancel() {
    finished.current = true;
    onDone(null);
  }

  const common = {
    ref,
    className: 'pg-edit',
    'aria-label': `Edit ${column.name}`,
    'aria-invalid': error !== null,
    title: error ?? undefined,
    'aria-busy': saving,
    'data-testid': 'inline-editor',
    onKeyDown: (e: React.KeyboardEvent) => {
      e.stopPropagation(); // the grid's navigation keys belong to the editor now
      if (e.key === 'Escape') {
        e.preventDefault();
        cancel();
      } else if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        void save(e.key === 'Enter' ? 'down' : 'right', true);
      }
    },
    onBlur: () => void save(null, false),
    onClick: (e: React.MouseEvent) => e.stopPropagation(),
    onDoubleClick: (e: React.MouseEvent) => e.stopPropagation(),
  };
  if (input.kind === 'fk') {
    // choosing a row saves it; Escape, or leaving the picker without choosing, cancels
    return (
      <div
        className="pg-edit-fk" data-testid="inline-editor" aria-busy={saving}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Escape') cancel();
        }}
        onBlur={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null) && !saving && error === null) cancel();
        }}
        onClick={(e) => e.stopPropagation()}
        onDoubleClick={(e) => e.stopPropagation()}
      >
        <FkPicker compact target={input.target} refColumn={input.refColumn} value={text} label={column.name} clearable={column.nullable}
          {...(typed !== undefined ? { initialSearch: typed } : {})}
          onChange={(v) => {
            setText(v);
            setError(null);
            void save('down', true, v);
          }} />
        {error !== null && <div className="pg-edit-error" role="alert" data-testid="inline-error">{error}</div>}
      </div>
    );
  }
  return (
    <>
      {input.kind === 'select' ? (
        <select {...common} value={text} onChange={(e) => { if (!saving) { setText(e.currentTarget.value); setError(null); } }}>
          {input.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      ) : (
        <input {...common} type={input.type} inputMode={input.inputMode} step={input.type === 'datetime-local' || input.type === 'time' ? 1 : undefined}
          readOnly={saving} value={text} onChange={(e) => { setText(e.currentTarget.value); setError(null); }} />
      )}
      {error !== null && <div className="pg-edit-error" role="alert" data-testid="inline-error">{error}</div>}
    </>
  );
}

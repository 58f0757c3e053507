/**
 * The input of one column, chosen by its PostgreSQL type (core/record-values
 * widgetOf). Drafts are text for most widgets; validation messages come from
 * fromDraft before anything is sent, database errors from the caller.
 * Browsers' native date / time inputs stand in for a date picker package.
 */
import { JsonInput, Select, Switch, Textarea, TextInput } from '@mantine/core';
import type { MetaColumn, MetaRelation, MetaSchema } from '../../core/meta.js';
import { findRelation } from '../../core/meta.js';
import { foreignKeyOf, fromDraft, widgetOf, type Draft } from '../../core/record-values.js';
import { ArrayInput } from './ArrayInput.js';
import { FkPicker } from './FkPicker.js';

export interface FieldInputProps {
  rel: MetaRelation;
  meta: MetaSchema | null;
  column: MetaColumn;
  draft: Draft;
  onChange: (draft: Draft) => void;
  label: React.ReactNode;
  description?: React.ReactNode;
  /** an error from the database or the form */
  error?: string | null;
  required?: boolean;
  /** a computed default ("now()") shown as the placeholder of an empty field */
  placeholder?: string;
}

/** the browser's time zone, shown next to timestamptz inputs (their values are local wall-clock times) */
export const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function FieldInput({ rel, meta, column, draft, onChange, label, description, error, required, placeholder }: FieldInputProps) {
  const widget = widgetOf(rel, column);
  const text = typeof draft === 'string' ? draft : '';
  // a local validation message, shown once there is something to validate
  const parsed = fromDraft(draft, column);
  const local = !parsed.ok && !(parsed.error === 'required' && text === '') ? parsed.error : null;
  const shownError = error || local;
  const testId = `field-${column.name}`;
  const common = { label, description, error: shownError, required, placeholder, 'data-testid': testId };

  switch (widget) {
    case 'boolean':
      if (!column.nullable) {
        return <Switch label={label} description={description} error={shownError} checked={draft === true} onChange={(e) => onChange(e.currentTarget.checked)} data-testid={testId} mt="xs" />;
      }
      return (
        <Select {...common} data={[{ value: 'true', label: 'Yes' }, { value: 'false', label: 'No' }]} clearable placeholder="NULL"
          value={draft === null ? null : draft ? 'true' : 'false'} onChange={(v) => onChange(v === null ? null : v === 'true')} />
      );
    case 'enum':
      return <Select {...common} data={[...(column.enumLabels ?? [])]} clearable={column.nullable} value={text || null} onChange={(v) => onChange(v ?? '')} />;
    case 'json':
      return (
        <JsonInput {...common} value={text} onChange={onChange} autosize minRows={3} maxRows={14} formatOnBlur
          validationError="Invalid JSON" styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} />
      );
    case 'textarea':
      return <Textarea {...common} value={text} onChange={(e) => onChange(e.currentTarget.value)} autosize minRows={1} maxRows={8} />;
    case 'date':
      return <TextInput {...common} type="date" value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'time':
      return <TextInput {...common} type="time" step={1} value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'timestamp':
      return <TextInput {...common} type="datetime-local" step={1} value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'timestamptz':
      return (
        <TextInput {...common} type="datetime-local" step={1} value={text} onChange={(e) => onChange(e.currentTarget.value)}
          rightSection={<span style={{ fontSize: 11, color: 'var(--mantine-color-dimmed)', whiteSpace: 'nowrap' }}>{LOCAL_ZONE}</span>}
          rightSectionWidth={Math.min(160, 12 + LOCAL_ZONE.length * 7)} />
      );
    case 'integer':
    case 'numeric':
    case 'float':
      return <TextInput {...common} inputMode={widget === 'integer' ? 'numeric' : 'decimal'} value={text} onChange={(e) => onChange(e.currentTarget.value)}
        styles={{ input: { fontVariantNumeric: 'tabular-nums' } }} />;
    case 'uuid':
      return <TextInput {...common} value={text} onChange={(e) => onChange(e.currentTarget.value)} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} />;
    case 'interval':
      return <TextInput {...common} placeholder={placeholder ?? 'e.g. 2 days 03:00:00'} value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'array':
      return <ArrayInput label={label} description={description} error={shownError} value={Array.isArray(draft) ? draft : []} onChange={onChange} testId={testId} />;
    case 'fk': {
      const fk = foreignKeyOf(rel, column.name)!;
      const target = findRelation(meta, fk.refSchema, fk.refTable);
      // the referenced table is hidden from this role: a plain input
      if (!target) return <TextInput {...common} value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
      return (
        <FkPicker target={target} refColumn={fk.refColumns[0]!} value={text} onChange={onChange} label={label} description={description}
          error={shownError} required={required} clearable={column.nullable} testId={testId} />
      );
    }
    case 'bytea':
      return <TextInput {...common} readOnly value={text.length > 200 ? `${text.slice(0, 200)}…` : text} />;
    case 'text':
    default:
      return <TextInput {...common} value={text} maxLength={column.maxLength ?? undefined} onChange={(e) => onChange(e.currentTarget.value)} />;
  }
}

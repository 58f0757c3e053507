/** A column's formatter and its options, with a live preview of a sample value. */
import { Group, NumberInput, Paper, SegmentedControl, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { formatCell, formatKindsFor, type ColumnFormat, type FormatKind } from '../../core/format.js';
import type { MetaColumn } from '../../core/meta.js';
import { FormattedValue } from './FormattedValue.js';
import { COLOUR_CHOICES, RulesEditor } from './RulesEditor.js';
import { sampleValue } from './samples.js';
import { useMinuteClock } from './useMinuteClock.js';

const KIND_LABELS: Record<FormatKind, string> = {
  auto: 'Automatic (by type)', text: 'Text', number: 'Number', currency: 'Currency', percent: 'Percent', bytes: 'Bytes (KB, MB…)',
  date: 'Date', time: 'Time', datetime: 'Date and time', relative: 'Relative ("3 minutes ago")', boolean: 'Yes / No',
  enum: 'Coloured chips', link: 'Link', email: 'E-mail', image: 'Image thumbnail', json: 'JSON (collapsed)', fk: 'Foreign-key label',
};

/** drop options left over from another kind, so the stored format says only what applies */
function clean(f: ColumnFormat): ColumnFormat {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  return out as ColumnFormat;
}


export interface FormatEditorProps {
  column: MetaColumn;
  value: ColumnFormat | undefined;
  onChange: (format: ColumnFormat | undefined) => void;
  /** a real value to preview (e.g. from the first row), else a sample of the type */
  sample?: unknown;
}

export function FormatEditor({ column, value, onChange, sample }: FormatEditorProps) {
  const now = useMinuteClock();
  const f: ColumnFormat = value ?? { kind: 'auto' };
  const set = (patch: Partial<ColumnFormat>) => {
    const next = clean({ ...f, ...patch });
    onChange(next.kind === 'auto' && Object.keys(next).length === 1 ? undefined : next);
  };
  const setKind = (kind: FormatKind) => set({ kind, ...(kind === f.kind ? {} : { decimals: undefined, currency: undefined, colours: undefined, booleanStyle: undefined, percentOf: undefined }) });
  const preview = sample !== undefined && sample !== null ? sample : sampleValue(column, now);
  const numeric = f.kind === 'number' || f.kind === 'currency' || f.kind === 'percent' || f.kind === 'bytes';
  const decimals = (
    <NumberInput size="xs" w={110} label="Decimals" min={0} max={10} allowDecimal={false} placeholder="auto"
      value={f.decimals ?? ''} onChange={(v) => set({ decimals: typeof v === 'number' ? v : undefined })} />
  );

  return (
    <Stack gap="xs" data-testid="format-editor">
      <Select
        size="xs" label="Format" allowDeselect={false} data-testid="format-kind"
        data={formatKindsFor(column).map((k) => ({ value: k, label: KIND_LABELS[k] }))}
        value={f.kind} onChange={(k) => k && setKind(k as FormatKind)}
        comboboxProps={{ withinPortal: true }}
      />
      {numeric && (
        <Group gap="xs" align="end">
          {decimals}
          {f.kind === 'currency' && (
            <TextInput size="xs" w={90} label="Currency" placeholder="USD" maxLength={3} data-testid="format-currency"
              value={f.currency ?? ''} onChange={(e) => set({ currency: e.currentTarget.value.toUpperCase() || undefined })} />
          )}
          {(f.kind === 'number' || f.kind === 'currency') && (
            <Switch size="xs" label="Thousands separator" checked={f.thousands ?? f.kind === 'currency'} onChange={(e) => set({ thousands: e.currentTarget.checked })} mb={6} />
          )}
          {f.kind === 'percent' && (
            <SegmentedControl size="xs" data={[{ value: 'fraction', label: '0.25 → 25 %' }, { value: 'whole', label: '25 → 25 %' }]}
              value={f.percentOf ?? 'fraction'} onChange={(v) => set({ percentOf: v as 'fraction' | 'whole' })} />
          )}
        </Group>
      )}
      {f.kind === 'boolean' && (
        <Group gap="xs" align="end">
          <SegmentedControl size="xs" data={[{ value: 'badge', label: 'Badge' }, { value: 'checkbox', label: 'Checkbox' }]}
            value={f.booleanStyle ?? 'badge'} onChange={(v) => set({ booleanStyle: v as 'badge' | 'checkbox' })} />
          <TextInput size="xs" w={90} label="Yes label" placeholder="Yes" value={f.trueLabel ?? ''} onChange={(e) => set({ trueLabel: e.currentTarget.value || undefined })} />
          <TextInput size="xs" w={90} label="No label" placeholder="No" value={f.falseLabel ?? ''} onChange={(e) => set({ falseLabel: e.currentTarget.value || undefined })} />
        </Group>
      )}
      {f.kind === 'enum' && column.enumLabels && (
        <Group gap="xs">
          {column.enumLabels.map((label) => (
            <Select key={label} size="xs" w={120} label={label} placeholder="automatic" data={COLOUR_CHOICES} clearable
              value={f.colours?.[label] ?? null}
              onChange={(c) => {
                const colours = { ...f.colours };
                if (c) colours[label] = c;
                else delete colours[label];
                set({ colours: Object.keys(colours).length ? colours : undefined });
              }} />
          ))}
        </Group>
      )}
      {(f.kind === 'text' || f.kind === 'link' || f.kind === 'email' || f.kind === 'json' || f.kind === 'fk') && (
        <Group gap="xs">
          <NumberInput size="xs" w={140} label="Truncate after (chars)" min={1} allowDecimal={false} placeholder="200"
            value={f.truncate ?? ''} onChange={(v) => set({ truncate: typeof v === 'number' ? v : undefined })} />
          {f.kind === 'fk' && (
            <TextInput size="xs" w={140} label="Label field" placeholder="automatic" value={f.labelField ?? ''} onChange={(e) => set({ labelField: e.currentTarget.value || undefined })} />
          )}
        </Group>
      )}
      {f.kind === 'image' && (
        <NumberInput size="xs" w={140} label="Thumbnail height (px)" min={8} max={400} allowDecimal={false} placeholder="28"
          value={f.imageHeight ?? ''} onChange={(v) => set({ imageHeight: typeof v === 'number' ? v : undefined })} />
      )}
      <RulesEditor rules={f.rules ?? []} onChange={(rules) => set({ rules: rules.length ? rules : undefined })} />
      <Paper withBorder p="xs" radius="sm">
        <Group gap="xs" wrap="nowrap">
          <Text size="xs" c="dimmed">Preview</Text>
          <div data-testid="format-preview" style={{ minWidth: 0, overflow: 'hidden' }}>
            <FormattedValue view={formatCell(preview, column, value, now)} imageHeight={f.imageHeight ?? 28} />
          </div>
        </Group>
      </Paper>
    </Stack>
  );
}

/**
 * The filter editor: one row per filter (column, operator, value widgets by
 * column type), combined with AND or OR. Edits are a draft committed after a
 * short pause, so typing does not resubscribe on every key.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { ActionIcon, Button, Group, MultiSelect, NumberInput, SegmentedControl, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { FILTER_OPS, type Filter, type FilterOp, type Join } from '../../core/grid-state.js';
import { OPS_BY_KIND, opLabel } from '../../core/filters.js';
import { columnKind, type ColumnKind } from '../../core/columns.js';
import type { MetaColumn } from '../../core/meta.js';

export interface FilterBuilderProps {
  columns: readonly MetaColumn[];
  filters: readonly Filter[];
  join: Join;
  onChange(filters: readonly Filter[], join: Join): void;
  /** start with a new filter on this column */
  initialColumn?: string | null;
}

const COMMIT_MS = 450;

function defaultFilter(c: MetaColumn): Filter {
  const op = OPS_BY_KIND[columnKind(c)][0] ?? 'isNull';
  const n: number = FILTER_OPS[op];
  return { column: c.name, op, args: n > 0 ? Array<string>(n).fill('') : [] };
}

function withOp(f: Filter, op: FilterOp): Filter {
  const n: number = FILTER_OPS[op];
  const args = n < 0 ? (FILTER_OPS[f.op] < 0 ? f.args : []) : Array.from({ length: n }, (_, i) => f.args[i] ?? '');
  return { ...f, op, args };
}

function inputType(kind: ColumnKind): string {
  return kind === 'date' ? 'date' : kind === 'datetime' ? 'datetime-local' : kind === 'time' ? 'time' : 'text';
}

function ValueInputs({ f, c, onArgs }: { f: Filter; c: MetaColumn; onArgs(args: string[]): void }) {
  const kind = columnKind(c);
  const set = (i: number, v: string) => onArgs(f.args.map((a, j) => (j === i ? v : a)));
  const n: number = FILTER_OPS[f.op];
  if (n === 0) return null;
  if (f.op === 'in')
    return <MultiSelect size="xs" data={[...(c.enumLabels ?? [])]} value={[...f.args]} onChange={onArgs} placeholder="Pick values" searchable style={{ flex: 1 }} aria-label="Values" comboboxProps={{ withinPortal: false }} />;
  if (f.op === 'has')
    return <TagsInput size="xs" value={[...f.args]} onChange={onArgs} placeholder="Type a value, Enter" style={{ flex: 1 }} aria-label="Values" comboboxProps={{ withinPortal: false }} />;
  if (f.op === 'lastDays' || f.op === 'nextDays')
    return <NumberInput size="xs" min={0} value={f.args[0] === '' ? '' : Number(f.args[0])} onChange={(v) => set(0, String(v))} suffix=" days" w={110} aria-label="Days" />;
  if (f.op === 'jsonKey')
    return (
      <Group gap={4} style={{ flex: 1 }} wrap="nowrap">
        <TextInput size="xs" placeholder="key" value={f.args[0]} onChange={(e) => set(0, e.currentTarget.value)} style={{ flex: 1 }} aria-label="JSON key" />
        <TextInput size="xs" placeholder="value" value={f.args[1]} onChange={(e) => set(1, e.currentTarget.value)} style={{ flex: 1 }} aria-label="Value" />
      </Group>
    );
  const type = inputType(kind);
  return (
    <Group gap={4} style={{ flex: 1 }} wrap="nowrap">
      {f.args.map((a, i) => (
        <TextInput key={i} size="xs" type={type} inputMode={kind === 'number' ? 'decimal' : undefined} placeholder={n === 2 ? (i === 0 ? 'from' : 'to') : 'value'}
          value={a} onChange={(e) => set(i, e.currentTarget.value)} style={{ flex: 1 }} aria-label={n === 2 ? (i === 0 ? 'From' : 'To') : 'Value'} />
      ))}
    </Group>
  );
}

export function FilterBuilder({ columns, filters, join, onChange, initialColumn }: FilterBuilderProps) {
  const byName = useMemo(() => new Map(columns.map((c) => [c.name, c])), [columns]);
  const filterable = useMemo(() => columns.filter((c) => OPS_BY_KIND[columnKind(c)].length > 0), [columns]);
  const [draft, setDraft] = useState<{ filters: Filter[]; join: Join }>(() => {
    const start = [...filters];
    const c = initialColumn ? byName.get(initialColumn) : undefined;
    if (c) start.push(defaultFilter(c));
    else if (start.length === 0 && filterable[0]) start.push(defaultFilter(filterable[0]));
    return { filters: start, join };
  });
  const commit = useRef(onChange);
  commit.current = onChange;

  // commit the draft after a pause in typing
  useEffect(() => {
    const t = setTimeout(() => commit.current(draft.filters, draft.join), COMMIT_MS);
    return () => clearTimeout(t);
  }, [draft]);

  const update = (i: number, f: Filter) => setDraft((d) => ({ ...d, filters: d.filters.map((x, j) => (j === i ? f : x)) }));
  const remove = (i: number) => setDraft((d) => ({ ...d, filters: d.filters.filter((_, j) => j !== i) }));
  const add = () => filterable[0] && setDraft((d) => ({ ...d, filters: [...d.filters, defaultFilter(filterable[0]!)] }));
  const columnOptions = filterable.map((c) => ({ value: c.name, label: c.name }));

  return (
    <Stack gap="xs" w={620} maw="90vw" data-testid="filter-builder">
      <Group justify="space-between">
        <Text size="sm" fw={600}>Filters</Text>
        {draft.filters.length > 1 && (
          <SegmentedControl size="xs" value={draft.join} onChange={(v) => setDraft((d) => ({ ...d, join: v as Join }))}
            data={[{ value: 'and', label: 'Match all' }, { value: 'or', label: 'Match any' }]} />
        )}
      </Group>
      {draft.filters.length === 0 && <Text size="xs" c="dimmed">No filters: every row shows.</Text>}
      {draft.filters.map((f, i) => {
        const c = byName.get(f.column);
        if (!c) return null;
        const kind = columnKind(c);
        return (
          <Group key={i} gap={6} wrap="nowrap" align="flex-start" data-testid="filter-row">
            <Text size="xs" c="dimmed" w={34} pt={6} ta="right">{i === 0 ? 'where' : draft.join}</Text>
            <Select size="xs" w={160} data={columnOptions} value={f.column} searchable allowDeselect={false} aria-label="Column"
              comboboxProps={{ withinPortal: false }}
              onChange={(v) => { const nc = v ? byName.get(v) : undefined; if (nc) update(i, defaultFilter(nc)); }} />
            <Select size="xs" w={150} allowDeselect={false} aria-label="Operator" comboboxProps={{ withinPortal: false }}
              data={OPS_BY_KIND[kind].map((op) => ({ value: op, label: opLabel(op, kind) }))} value={f.op}
              onChange={(v) => v && update(i, withOp(f, v as FilterOp))} />
            <ValueInputs f={f} c={c} onArgs={(args) => update(i, { ...f, args })} />
            <ActionIcon variant="subtle" color="gray" onClick={() => remove(i)} aria-label="Remove filter" mt={2}>
              <IconTrash size={14} />
            </ActionIcon>
          </Group>
        );
      })}
      <Group justify="space-between">
        <Button size="xs" variant="subtle" leftSection={<IconPlus size={14} />} onClick={add} disabled={filterable.length === 0}>Add filter</Button>
        {draft.filters.length > 0 && (
          <Button size="xs" variant="subtle" color="gray" onClick={() => setDraft((d) => ({ ...d, filters: [] }))}>Clear all</Button>
        )}
      </Group>
    </Stack>
  );
}

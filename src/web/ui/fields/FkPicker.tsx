/**
 * Foreign-key picker: a searchable select over the referenced table, filtered
 * on the server (label ilike *q*, 20 at a time), showing labels, not bare ids.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { ActionIcon, Loader, Select, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconExternalLink } from '@tabler/icons-react';
import { Link } from 'react-router';
import { refOption, searchRefs, type RefOption } from '../../core/record-api.js';
import type { MetaRelation } from '../../core/meta.js';

export interface FkPickerProps {
  /** the referenced relation */
  target: MetaRelation;
  refColumn: string;
  value: string;
  onChange: (value: string) => void;
  label: React.ReactNode;
  description?: React.ReactNode;
  error?: React.ReactNode;
  required?: boolean;
  clearable?: boolean;
  testId?: string;
  /** in a grid cell: small, no label or link, focused with its list open */
  compact?: boolean;
  /** what to search for first (a character typed on the grid cell) */
  initialSearch?: string;
}

export function FkPicker({ target, refColumn, value, onChange, label, description, error, required, clearable, testId, compact, initialSearch }: FkPickerProps) {
  const [search, setSearch] = useState(initialSearch ?? '');
  // Select empties its search when it mounts without a value: keep the typed start over that once
  const keepInitial = useRef(initialSearch !== undefined && initialSearch !== '');
  const [debounced] = useDebouncedValue(search, 200);
  const [options, setOptions] = useState<RefOption[]>([]);
  const [current, setCurrent] = useState<RefOption | null>(null);
  const [loading, setLoading] = useState(false);

  // the label of the current value
  useEffect(() => {
    let live = true;
    if (!value) setCurrent(null);
    else if (current?.value !== value) void refOption(target, refColumn, value).then((o) => live && setCurrent(o));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- refetch only when the value changes
  }, [value, target, refColumn]);

  useEffect(() => {
    let live = true;
    // typing the current label is not a search
    const q = current && debounced === current.label ? '' : debounced;
    setLoading(true);
    searchRefs(target, refColumn, q)
      .then((o) => live && setOptions(o))
      .catch(() => live && setOptions([]))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [debounced, target, refColumn, current]);

  const data = useMemo(() => {
    const all = current && !options.some((o) => o.value === current.value) ? [current, ...options] : options;
    return all.map((o) => ({ value: o.value, label: o.label }));
  }, [options, current]);

  return (
    <Select
      data-testid={testId}
      // compact (a grid cell): a search box for the new target, the current one as its placeholder
      {...(compact ? { size: 'xs', autoFocus: true, defaultDropdownOpened: true, 'aria-label': `Edit ${String(label ?? target.name)}` } : { label })}
      description={description}
      error={error}
      required={required}
      searchable
      clearable={clearable}
      data={data}
      value={compact ? null : value || null}
      onChange={(v, option) => {
        onChange(v ?? '');
        setCurrent(option ? { value: option.value, label: option.label } : null);
      }}
      searchValue={search}
      onSearchChange={(s) => {
        if (keepInitial.current && s === '') return;
        keepInitial.current = false;
        setSearch(s);
      }}
      // filtering happens on the server
      filter={({ options: o }) => o}
      nothingFoundMessage={loading ? 'Searching…' : `No ${target.name} found`}
      placeholder={compact && current ? current.label : `Search ${target.name}…`}
      rightSection={loading ? <Loader size={14} /> : undefined}
      leftSection={
        value && !compact ? (
          <Tooltip label={`Open this ${target.name}`}>
            <ActionIcon component={Link} to={`/t/${encodeURIComponent(target.schema)}/${encodeURIComponent(target.name)}/${encodeURIComponent(value)}`}
              size="sm" variant="subtle" aria-label={`Open ${target.name} ${value}`}>
              <IconExternalLink size={14} />
            </ActionIcon>
          </Tooltip>
        ) : undefined
      }
      leftSectionPointerEvents="all"
      comboboxProps={{ withinPortal: true }}
    />
  );
}

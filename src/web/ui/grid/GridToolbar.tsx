/** Above the grid: what this is, search, filters, count, and the actions the role may take. */
import { memo, useEffect, useState } from 'react';
import { ActionIcon, Badge, Button, CloseButton, Group, Indicator, Popover, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconDownload, IconFilter, IconPlus, IconSearch, IconTrash } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { MetaColumn, MetaRelation } from '../../core/meta.js';
import type { Filter, Join } from '../../core/grid-state.js';
import { KindIcon } from '../shell/Sidebar.js';
import { FilterBuilder } from './FilterBuilder.js';
import { relationPath } from '../../core/meta.js';
import { canCreate } from '../../core/grid-actions.js';
import { ColumnSettingsPanel } from '../columns/index.js';
import { SavedViewsMenu } from './SavedViewsMenu.js';
import { RefreshButton } from './RefreshButton.js';

export interface GridToolbarProps {
  rel: MetaRelation;
  columns: readonly MetaColumn[];
  search: string;
  onSearch(text: string): void;
  filters: readonly Filter[];
  join: Join;
  onFilters(filters: readonly Filter[], join: Join): void;
  /** open the filter editor with a new filter on this column (from a column header) */
  filterColumn: string | null;
  onFilterColumnDone(): void;
  selected: number;
  canDelete: boolean;
  onDeleteSelected(): void;
  onExport(): void;
  exporting: boolean;
  sample?: Record<string, unknown>;
}

export const GridToolbar = memo(function GridToolbar(p: GridToolbarProps) {
  const [text, setText] = useState(p.search);
  const [filtersOpen, setFiltersOpen] = useState(false);
  useEffect(() => setText(p.search), [p.search]);
  // search as you type, after a pause
  useEffect(() => {
    if (text === p.search) return;
    const t = setTimeout(() => p.onSearch(text), 300);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);
  useEffect(() => {
    if (p.filterColumn) setFiltersOpen(true);
  }, [p.filterColumn]);

  const activeFilters = p.filters.length;
  return (
    <Group px="md" py={8} gap="sm" justify="space-between" wrap="nowrap" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
      <Group gap={8} wrap="nowrap" miw={0} style={{ flexShrink: 0 }}>
        <KindIcon kind={p.rel.kind} size={18} />
        <Tooltip label={p.rel.comment ?? ''} disabled={!p.rel.comment} multiline maw={360} openDelay={300}>
          <Title order={4} fw={600} style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', maxWidth: 320 }} data-testid="grid-title">{p.rel.name}</Title>
        </Tooltip>
        {/* the name (up to 320 px) and the kind stay readable: the search box gives way (grid.css) */}
        {p.rel.kind !== 'table' && <Badge variant="light" color="gray" size="sm" tt="none" style={{ flexShrink: 0 }}>{p.rel.kind.replace('_', ' ')}</Badge>}
      </Group>
      <Group gap={8} wrap="nowrap" className="pg-toolbar-actions">
        <TextInput
          size="xs"
          className="pg-toolbar-search"
          placeholder={p.columns.some((c) => c.isTsvector) ? 'Search (full text)' : 'Search'}
          aria-label="Search rows"
          leftSection={<IconSearch size={14} />}
          rightSection={text ? <CloseButton size="xs" aria-label="Clear search" onClick={() => { setText(''); p.onSearch(''); }} /> : null}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => { if (e.key === 'Enter') p.onSearch(text); }}
          data-testid="grid-search"
        />
        <Popover opened={filtersOpen} onChange={setFiltersOpen} position="bottom-end" shadow="md" trapFocus={false} closeOnEscape>
          <Popover.Target>
            <Indicator label={activeFilters} size={16} disabled={activeFilters === 0} offset={2}>
              <Button size="xs" variant={activeFilters ? 'light' : 'default'} leftSection={<IconFilter size={14} />} onClick={() => setFiltersOpen((o) => !o)} data-testid="filters-button">
                Filter
              </Button>
            </Indicator>
          </Popover.Target>
          <Popover.Dropdown>
            {filtersOpen && (
              <FilterBuilder
                key={p.filterColumn ?? ''}
                columns={p.columns}
                filters={p.filters}
                join={p.join}
                initialColumn={p.filterColumn}
                onChange={(f, j) => { p.onFilters(f, j); if (p.filterColumn) p.onFilterColumnDone(); }}
              />
            )}
          </Popover.Dropdown>
        </Popover>
        <RefreshButton rel={p.rel} />
        <SavedViewsMenu schema={p.rel.schema} name={p.rel.name} />
        <ColumnSettingsPanel schema={p.rel.schema} name={p.rel.name} columns={p.columns} {...(p.sample ? { sample: p.sample } : {})} />
        <Tooltip label="Download the filtered rows as CSV">
          <ActionIcon variant="default" size="md" onClick={p.onExport} loading={p.exporting} aria-label="Export CSV" data-testid="export-csv">
            <IconDownload size={16} />
          </ActionIcon>
        </Tooltip>
        {p.canDelete && p.selected > 0 && (
          <Button size="xs" color="red" variant="light" leftSection={<IconTrash size={14} />} onClick={p.onDeleteSelected} data-testid="delete-selected">
            Delete {p.selected}
          </Button>
        )}
        {canCreate(p.rel) && (
          <Button size="xs" component={Link} to={`${relationPath(p.rel.schema, p.rel.name)}/new`} leftSection={<IconPlus size={14} />}>
            New
          </Button>
        )}
      </Group>
    </Group>
  );
});

export function CountText({ total, exact, onExact }: { total: number | null; exact: boolean; onExact(): void }) {
  if (total === null) return <Text size="xs" c="dimmed">counting…</Text>;
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="xs" c="dimmed" data-testid="row-count">
        {exact ? '' : '≈ '}{total.toLocaleString()} {total === 1 ? 'row' : 'rows'}
      </Text>
      {!exact && (
        <Button size="compact-xs" variant="subtle" onClick={onExact} data-testid="exact-count">count exactly</Button>
      )}
    </Group>
  );
}

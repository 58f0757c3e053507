/**
 * Rows of other tables that point at this record (a customer's orders), each
 * list a live subscription filtered by the foreign key: new, changed and
 * removed rows show up without a reload.
 */
import { useEffect, useState } from 'react';
import { Anchor, Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Row } from '../../../protocol/live.js';
import { useLive } from '../../hooks/useLive.js';
import { useRelationPrefs } from '../../hooks/usePrefs.js';
import { findRelation, readableColumns, relationPath, type MetaRelation, type MetaSchema } from '../../core/meta.js';
import { formatCell } from '../../core/format.js';
import { fkLabels, selectParam } from '../../core/filters.js';
import { resolveColumns } from '../../core/prefs.js';
import { canInsert, keyQuery, recordKeyOf } from '../../core/record.js';
import { FormattedValue } from '../columns/FormattedValue.js';
import { useMinuteClock } from '../columns/useMinuteClock.js';
import { CellContent } from '../grid/GridCell.js';
import '../grid/grid.css';

const LIMIT = 20;

type Ref = MetaRelation['referencedBy'][number];

function ReferencingList({ from, via, row, meta }: { from: MetaRelation; via: Ref; row: Row; meta: MetaSchema | null }) {
  const { client } = useLive();
  const prefs = useRelationPrefs(from.schema, from.name);
  const now = useMinuteClock();
  const [rows, setRows] = useState<readonly Row[] | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const filter: Record<string, unknown> = Object.fromEntries(via.columns.map((c, i) => [c, row[via.refColumns[i]!]]));
  // the other foreign keys of these rows show their targets' labels, as in the grid
  const labels = meta ? fkLabels(from, meta) : [];
  const query = `select=${encodeURIComponent(selectParam(from, labels))}&${keyQuery(filter)}${from.primaryKey.length ? `&order=${from.primaryKey.map(encodeURIComponent).join(',')}` : ''}&limit=${LIMIT}`;
  const labelOf = new Map(labels.map((l) => [l.column, l]));
  const linkable = (refSchema: string, refTable: string) => (findRelation(meta, refSchema, refTable)?.primaryKey.length ?? 0) === 1;

  useEffect(() => {
    const q = client.subscribe(from.name, query, { schema: from.schema, count: 'exact' });
    const off = q.on('change', () => {
      setRows(q.rows);
      setTotal(q.total);
    });
    return () => {
      off();
      q.unsubscribe();
    };
  }, [client, from.schema, from.name, query]);

  // the referencing columns are this record: showing them again says nothing
  const cols = resolveColumns(readableColumns(from), prefs.prefs).filter((c) => c.visible && !via.columns.includes(c.name)).slice(0, 5);
  const newHref = `${relationPath(from.schema, from.name)}/new?${new URLSearchParams(Object.entries(filter).map(([k, v]) => [k, String(v)])).toString()}`;

  return (
    <Card withBorder padding="sm" radius="sm" data-testid={`related-${from.name}`}>
      <Group justify="space-between" mb={6}>
        <Group gap={6}>
          <Title order={6}>
            <Anchor component={Link} to={relationPath(from.schema, from.name)} inherit>{from.name}</Anchor>
          </Title>
          <Text size="xs" c="dimmed">by {via.columns.join(', ')}</Text>
          {total !== null && <Badge size="sm" variant="light" data-testid={`related-count-${from.name}`}>{total}</Badge>}
        </Group>
        {canInsert(from) && (
          <Button component={Link} to={newHref} size="compact-xs" variant="subtle" leftSection={<IconPlus size={12} />}>Add</Button>
        )}
      </Group>
      {rows === null ? (
        <Text size="sm" c="dimmed">Loading…</Text>
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed">None</Text>
      ) : (
        <Table highlightOnHover verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr>{cols.map((c) => <Table.Th key={c.name}>{c.label}</Table.Th>)}</Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => {
              const key = from.primaryKey.length ? recordKeyOf(from, r) : null;
              return (
                <Table.Tr key={key ?? i}>
                  {cols.map((c, j) => {
                    const fk = labelOf.get(c.name);
                    return (
                    <Table.Td key={c.name}>
                      {j === 0 && key !== null ? (
                        <Anchor component={Link} to={`${relationPath(from.schema, from.name)}/${key}`} size="sm">
                          <FormattedValue view={formatCell(r[c.name], c.column, c.format, now)} />
                        </Anchor>
                      ) : fk ? (
                        <CellContent value={r[c.name]} column={c.column} format={c.format} now={now}
                          fk={{ label: fk, embedded: r[fk.alias], linkable: linkable(fk.refSchema, fk.refTable) }} />
                      ) : (
                        <FormattedValue view={formatCell(r[c.name], c.column, c.format, now)} />
                      )}
                    </Table.Td>
                    );
                  })}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {total !== null && total > LIMIT && <Text size="xs" c="dimmed" mt={4}>Showing {LIMIT} of {total}</Text>}
    </Card>
  );
}

export function ReverseRelations({ rel, meta, row }: { rel: MetaRelation; meta: MetaSchema | null; row: Row }) {
  const lists = rel.referencedBy
    .map((via) => ({ via, from: findRelation(meta, via.schema, via.table) }))
    .filter((x): x is { via: Ref; from: MetaRelation } => x.from !== null && x.via.refColumns.every((c) => row[c] !== undefined));
  if (lists.length === 0) return null;
  return (
    <Stack gap="sm">
      <Title order={5}>Related</Title>
      {lists.map(({ via, from }) => <ReferencingList key={`${via.schema}.${via.table}.${via.name}`} from={from} via={via} row={row} meta={meta} />)}
    </Stack>
  );
}

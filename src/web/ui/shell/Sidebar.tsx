/** Every relation the role can read, grouped by schema, searchable, with kind icons and row estimates. */
import { useMemo, useState } from 'react';
import { Box, CloseButton, Loader, NavLink, ScrollArea, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconEye, IconSearch, IconStack2, IconTable, IconWorld } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { useMeta } from '../../hooks/useMeta.js';
import { compactCount, groupRelations, relationPath, type RelationKind } from '../../core/meta.js';

export function KindIcon({ kind, size = 16 }: { kind: RelationKind; size?: number }) {
  const Icon = kind === 'view' ? IconEye : kind === 'materialized_view' ? IconStack2 : kind === 'foreign_table' ? IconWorld : IconTable;
  return <Icon size={size} stroke={1.6} aria-label={kind.replace('_', ' ')} />;
}

export function Sidebar({ onNavigate }: { onNavigate?: () => void }) {
  const { meta, error } = useMeta();
  const [search, setSearch] = useState('');
  const params = useParams();
  const groups = useMemo(() => (meta ? groupRelations(meta, search) : []), [meta, search]);

  return (
    <Stack gap={0} h="100%">
      <Box p="sm" pb={6}>
        <TextInput
          size="xs"
          placeholder="Find a table"
          aria-label="Find a table"
          leftSection={<IconSearch size={14} />}
          rightSection={search ? <CloseButton size="xs" onClick={() => setSearch('')} aria-label="Clear" /> : null}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
        />
      </Box>
      <ScrollArea style={{ flex: 1 }} type="hover" scrollbarSize={6}>
        <Box px={6} pb="md" component="nav" aria-label="Tables and views">
          {!meta && !error && <Loader size="xs" m="md" />}
          {error && <Text size="xs" c="red" p="sm">Cannot load the schema: {error.message}</Text>}
          {meta && groups.length === 0 && (
            <Text size="xs" c="dimmed" p="sm">{search ? 'Nothing matches.' : 'Your role cannot read any table.'}</Text>
          )}
          {groups.map((g) => (
            <Box key={g.schema} mb={6}>
              <Text size="xs" fw={600} c="dimmed" tt="uppercase" px={10} pt={8} pb={4}>{g.schema}</Text>
              {g.relations.map((r) => {
                const active = params.schema === r.schema && params.name === r.name;
                const link = (
                  <NavLink
                    key={r.name}
                    component={Link}
                    to={relationPath(r.schema, r.name)}
                    onClick={onNavigate}
                    active={active}
                    label={r.name}
                    leftSection={<KindIcon kind={r.kind} />}
                    rightSection={r.estimatedRows >= 0 ? <Text size="xs" c="dimmed">{compactCount(r.estimatedRows)}</Text> : null}
                    styles={{ root: { borderRadius: 4, paddingBlock: 5 }, label: { fontSize: 13 } }}
                    data-testid={`nav-${r.schema}.${r.name}`}
                  />
                );
                return r.comment ? (
                  <Tooltip key={r.name} label={r.comment} position="right" openDelay={600} multiline maw={300}>
                    <div>{link}</div>
                  </Tooltip>
                ) : link;
              })}
            </Box>
          ))}
        </Box>
      </ScrollArea>
    </Stack>
  );
}

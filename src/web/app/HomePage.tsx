import { Card, SimpleGrid, Stack, Text, Title, Group } from '@mantine/core';
import { Link } from 'react-router';
import { useMeta } from '../hooks/useMeta.js';
import { useMe } from '../hooks/useSession.js';
import { compactCount, relationPath } from '../core/meta.js';
import { displayNameOf } from '../core/session.js';
import { KindIcon } from '../ui/shell/Sidebar.js';

export function HomePage() {
  const { meta } = useMeta();
  const me = useMe();
  const relations = meta?.relations ?? [];
  return (
    <Stack p="xl" gap="lg" style={{ overflow: 'auto' }}>
      <div>
        <Title order={3}>Hello, {displayNameOf(me)}</Title>
        <Text c="dimmed" size="sm">
          You work as database role <b>{me.role}</b>. Pick a table: everything you see updates live as others work.
        </Text>
      </div>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
        {relations.map((r) => (
          <Card key={`${r.schema}.${r.name}`} withBorder padding="sm" component={Link} to={relationPath(r.schema, r.name)}>
            <Group gap={8} wrap="nowrap">
              <KindIcon kind={r.kind} />
              <Text fw={500} size="sm" truncate>{meta && meta.schemas.length > 1 ? `${r.schema}.` : ''}{r.name}</Text>
              {r.estimatedRows >= 0 && <Text size="xs" c="dimmed" ml="auto">{compactCount(r.estimatedRows)} rows</Text>}
            </Group>
            {r.comment && <Text size="xs" c="dimmed" mt={4} lineClamp={2}>{r.comment}</Text>}
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

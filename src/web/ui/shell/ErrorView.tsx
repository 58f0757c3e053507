/** An error said plainly: what failed, the server's message and hint, and what to do. */
import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { ApiError } from '../../core/api.js';

export function ErrorView({ title, error, onRetry }: { title: string; error: unknown; onRetry?: () => void }) {
  const e = error instanceof Error ? error : new Error(String(error));
  const api = e instanceof ApiError ? e : null;
  return (
    <Stack p="lg" maw={720} role="alert">
      <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={title}>
        <Stack gap={6}>
          <Text size="sm">{e.message}</Text>
          {api?.details && <Text size="sm" c="dimmed">{api.details}</Text>}
          {api?.hint && <Text size="sm">Hint: {api.hint}</Text>}
          {api && api.code !== String(api.status) && (
            <Text size="xs" c="dimmed">
              Error <Code>{api.code}</Code>{api.status ? ` (HTTP ${api.status})` : ''}
            </Text>
          )}
          <Group gap="xs" mt={4}>
            {onRetry && <Button size="xs" variant="light" color="red" onClick={onRetry}>Try again</Button>}
            <Button size="xs" variant="subtle" color="gray" component="a" href="/">Home</Button>
          </Group>
        </Stack>
      </Alert>
    </Stack>
  );
}

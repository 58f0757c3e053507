import { Button, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

export function NotFoundPage({ what = 'This page does not exist.' }: { what?: string }) {
  return (
    <Stack p="xl" gap="sm" align="flex-start">
      <Title order={3}>Not found</Title>
      <Text c="dimmed">{what}</Text>
      <Button component={Link} to="/" variant="light" size="xs">Back to the start</Button>
    </Stack>
  );
}

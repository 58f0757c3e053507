/** Honest: green only while the live socket is authenticated; otherwise says what is happening. */
import { Group, Text, Tooltip } from '@mantine/core';
import { useLive, type Connection } from '../../hooks/useLive.js';

const LOOK: Record<Connection, { color: string; label: string }> = {
  live: { color: 'teal', label: 'Live' },
  connecting: { color: 'yellow', label: 'Connecting' },
  reconnecting: { color: 'orange', label: 'Reconnecting' },
  offline: { color: 'red', label: 'Offline' },
};

export function ConnectionIndicator() {
  const { connection, state } = useLive();
  const look = LOOK[connection];
  const detail =
    state.status === 'reconnecting' ? `Lost the connection (${state.lastClose.reason || `code ${state.lastClose.code ?? '—'}`}); retrying in ${Math.round(state.delayMs / 100) / 10} s`
    : state.status === 'closed' ? `Disconnected: ${state.reason || `code ${state.code ?? '—'}`}`
    : state.status === 'open' ? `Changes appear as they happen (role ${state.role})`
    : 'Opening the live connection';
  return (
    <Tooltip label={detail} multiline maw={300}>
      <Group gap={6} wrap="nowrap" data-testid="connection" data-state={connection} aria-live="polite">
        <span style={{ width: 8, height: 8, borderRadius: 4, background: `var(--mantine-color-${look.color}-6)`, display: 'inline-block' }} />
        <Text size="xs" c="dimmed" visibleFrom="xs">{look.label}</Text>
      </Group>
    </Tooltip>
  );
}

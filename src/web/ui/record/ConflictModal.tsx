/**
 * Someone else saved the same fields while you edited: for each one, keep
 * yours or take theirs. Nothing is written until the user decides.
 */
import { useEffect, useState } from 'react';
import { Button, Group, Modal, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import type { MetaColumn } from '../../core/meta.js';
import { formatCell } from '../../core/format.js';
import { FormattedValue } from '../columns/FormattedValue.js';

export type Choice = 'mine' | 'theirs';

export interface ConflictModalProps {
  /** column → [mine, theirs] (values as the database would hold them) */
  conflicts: { column: MetaColumn; label: string; mine: unknown; theirs: unknown }[];
  onResolve: (choices: Record<string, Choice>) => void;
  onCancel: () => void;
}

export function ConflictModal({ conflicts, onResolve, onCancel }: ConflictModalProps) {
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  useEffect(() => setChoices(Object.fromEntries(conflicts.map((c) => [c.column.name, 'mine' as Choice]))), [conflicts]);
  const now = Date.now();
  const all = (choice: Choice) => onResolve(Object.fromEntries(conflicts.map((c) => [c.column.name, choice])));

  return (
    <Modal opened={conflicts.length > 0} onClose={onCancel} title="Someone else changed this record" size="lg" data-testid="conflict-modal">
      <Stack gap="sm">
        <Text size="sm">
          While you were editing, these fields were saved by someone else. Choose what to keep — nothing has been
          overwritten yet.
        </Text>
        <Table withTableBorder verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr><Table.Th>Field</Table.Th><Table.Th>Yours</Table.Th><Table.Th>Theirs (saved)</Table.Th><Table.Th>Keep</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {conflicts.map((c) => (
              <Table.Tr key={c.column.name} data-testid={`conflict-${c.column.name}`}>
                <Table.Td fw={600}>{c.label}</Table.Td>
                <Table.Td><FormattedValue view={formatCell(c.mine, c.column, undefined, now)} /></Table.Td>
                <Table.Td><FormattedValue view={formatCell(c.theirs, c.column, undefined, now)} /></Table.Td>
                <Table.Td>
                  <SegmentedControl size="xs" data={[{ value: 'mine', label: 'Mine' }, { value: 'theirs', label: 'Theirs' }]}
                    value={choices[c.column.name] ?? 'mine'} onChange={(v) => setChoices((s) => ({ ...s, [c.column.name]: v as Choice }))} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group justify="space-between">
          <Button variant="subtle" color="gray" onClick={onCancel}>Back to editing</Button>
          <Group gap="xs">
            <Button variant="default" onClick={() => all('theirs')} data-testid="conflict-take-theirs">Take theirs</Button>
            <Button variant="default" onClick={() => all('mine')} data-testid="conflict-keep-mine">Keep mine</Button>
            <Button onClick={() => onResolve(choices)} data-testid="conflict-apply">Save my choices</Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}

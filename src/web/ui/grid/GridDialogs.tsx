import { Button, Code, CopyButton, Group, Modal, ScrollArea, Text } from '@mantine/core';
import { fullText } from './GridCell.js';

export function ConfirmDelete({ opened, count, relation, onCancel, onConfirm }: { opened: boolean; count: number; relation: string; onCancel(): void; onConfirm(): void }) {
  return (
    <Modal opened={opened} onClose={onCancel} title={`Delete ${count} ${count === 1 ? 'row' : 'rows'}?`} centered size="sm">
      <Text size="sm">The selected {count === 1 ? 'row' : 'rows'} of <b>{relation}</b> will be deleted from the database. This cannot be undone here.</Text>
      <Group justify="flex-end" mt="md">
        <Button variant="default" size="xs" onClick={onCancel}>Cancel</Button>
        <Button color="red" size="xs" onClick={onConfirm} data-testid="confirm-delete">Delete</Button>
      </Group>
    </Modal>
  );
}

export function ShowAllModal({ value, onClose }: { value: { column: string; value: unknown } | null; onClose(): void }) {
  const text = value ? fullText(value.value) : '';
  return (
    <Modal opened={value !== null} onClose={onClose} title={value?.column} size="xl" centered>
      <ScrollArea.Autosize mah="65vh">
        <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{text}</Code>
      </ScrollArea.Autosize>
      <Group justify="space-between" mt="sm">
        <Text size="xs" c="dimmed">{text.length.toLocaleString()} characters</Text>
        <CopyButton value={text}>
          {({ copied, copy }) => <Button size="xs" variant="light" onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}
        </CopyButton>
      </Group>
    </Modal>
  );
}

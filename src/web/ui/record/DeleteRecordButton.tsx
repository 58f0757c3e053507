/**
 * Delete with confirmation, then an undo that re-inserts the row's insertable
 * values (identity and generated columns are the database's to set; an undo
 * keeps the key only when the role may insert it).
 */
import { useState } from 'react';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTrash } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import type { Row } from '../../../protocol/live.js';
import { relationPath, type MetaRelation } from '../../core/meta.js';
import { canDelete, canInsert, columnAccess } from '../../core/record.js';
import { deleteRow, insertRow, rowLabel } from '../../core/record-api.js';

export function DeleteRecordButton({ rel, keyValues, row }: { rel: MetaRelation; keyValues: Record<string, string>; row: Row }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const navigate = useNavigate();
  if (!canDelete(rel)) return null;

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await deleteRow(rel, keyValues);
      setOpen(false);
      navigate(relationPath(rel.schema, rel.name));
      const values = Object.fromEntries(rel.columns.filter((c) => columnAccess(rel, c).insertable && row[c.name] !== undefined).map((c) => [c.name, row[c.name]]));
      const id = notifications.show({
        color: 'gray',
        autoClose: 8000,
        message: (
          <Group gap="xs" justify="space-between">
            <Text size="sm">Deleted {rowLabel(rel, row)}</Text>
            {canInsert(rel) && (
              <Button size="compact-xs" variant="light" onClick={() => {
                notifications.hide(id);
                insertRow(rel, values)
                  .then(() => notifications.show({ message: 'Restored', color: 'teal' }))
                  .catch((e: unknown) => notifications.show({ title: 'Cannot undo', message: e instanceof Error ? e.message : String(e), color: 'red' }));
              }}>Undo</Button>
            )}
          </Group>
        ),
      });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button size="xs" variant="light" color="red" leftSection={<IconTrash size={14} />} onClick={() => setOpen(true)} data-testid="record-delete">Delete</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Delete this record?" size="sm">
        <Stack gap="sm">
          <Text size="sm">{rowLabel(rel, row)} will be deleted from {rel.schema}.{rel.name}. Rows that reference it may be deleted or block the delete, as the database decides.</Text>
          {error && <Text size="sm" c="red" data-testid="delete-error">{error}</Text>}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" size="xs" onClick={() => setOpen(false)}>Cancel</Button>
            <Button color="red" size="xs" loading={busy} onClick={() => void confirm()} data-testid="record-delete-confirm">Delete</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

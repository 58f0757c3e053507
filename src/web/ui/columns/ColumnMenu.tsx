/**
 * The menu of one column header: hide, pin, rename, format, reset width.
 * Quick changes go to the user's own layer; in the rename / format dialogs an
 * admin can also save for everyone.
 */
import { useState, type ReactNode } from 'react';
import { ActionIcon, Button, Group, Menu, Modal, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconArrowsHorizontal, IconDots, IconEyeOff, IconForms, IconPalette, IconPin, IconPinnedOff,
} from '@tabler/icons-react';
import type { ColumnFormat } from '../../core/format.js';
import type { MetaColumn } from '../../core/meta.js';
import type { ColumnPatch, PrefLayer } from '../../core/prefs.js';
import { useRelationPrefs } from '../../hooks/usePrefs.js';
import { FormatEditor } from './FormatEditor.js';

export interface ColumnMenuProps {
  schema: string;
  name: string;
  column: MetaColumn;
  /** a value of this column to preview formats with */
  sample?: unknown;
  /** the menu button; default a small "…" icon */
  target?: ReactNode;
}

export function ColumnMenu({ schema, name, column, sample, target }: ColumnMenuProps) {
  const p = useRelationPrefs(schema, name);
  const current = p.prefs.columns[column.name] ?? {};
  const [dialog, setDialog] = useState<'label' | 'format' | null>(null);
  const [label, setLabel] = useState('');
  const [format, setFormat] = useState<ColumnFormat | undefined>(undefined);

  async function save(patch: ColumnPatch, layer: PrefLayer = 'user') {
    try {
      await p.save(layer, { columns: { [column.name]: patch } });
      setDialog(null);
    } catch (e) {
      notifications.show({ title: 'Not saved', message: e instanceof Error ? e.message : String(e), color: 'red' });
    }
  }

  const personal = p.canPersonal;
  const saveButtons = (patch: () => ColumnPatch) => (
    <Group justify="flex-end" gap="xs">
      <Button variant="default" size="xs" onClick={() => setDialog(null)}>Cancel</Button>
      {p.canAdmin && <Button variant="light" color="orange" size="xs" onClick={() => void save(patch(), 'global')} data-testid="menu-save-global">Save as default</Button>}
      <Button size="xs" disabled={!personal} onClick={() => void save(patch())} data-testid="menu-save-user">Save for me</Button>
    </Group>
  );

  return (
    <>
      <Menu position="bottom-end" withinPortal shadow="md">
        <Menu.Target>
          {target ?? (
            <ActionIcon size="xs" variant="subtle" color="gray" aria-label={`Column menu of ${column.name}`} onClick={(e) => e.stopPropagation()}>
              <IconDots size={12} />
            </ActionIcon>
          )}
        </Menu.Target>
        <Menu.Dropdown onClick={(e) => e.stopPropagation()}>
          <Menu.Label>{column.name}</Menu.Label>
          <Menu.Item leftSection={<IconEyeOff size={14} />} disabled={!personal} onClick={() => void save({ visible: false })}>Hide</Menu.Item>
          {current.pinned ? (
            <Menu.Item leftSection={<IconPinnedOff size={14} />} disabled={!personal} onClick={() => void save({ pinned: null })}>Unpin</Menu.Item>
          ) : (
            <>
              <Menu.Item leftSection={<IconPin size={14} />} disabled={!personal} onClick={() => void save({ pinned: 'left' })}>Pin left</Menu.Item>
              <Menu.Item leftSection={<IconPin size={14} />} disabled={!personal} onClick={() => void save({ pinned: 'right' })}>Pin right</Menu.Item>
            </>
          )}
          <Menu.Item leftSection={<IconForms size={14} />} onClick={() => { setLabel(current.label ?? ''); setDialog('label'); }}>Rename…</Menu.Item>
          <Menu.Item leftSection={<IconPalette size={14} />} onClick={() => { setFormat(current.format); setDialog('format'); }}>Format…</Menu.Item>
          <Menu.Item leftSection={<IconArrowsHorizontal size={14} />} disabled={!personal || p.layers.user?.columns[column.name]?.width === undefined}
            onClick={() => void save({ width: null })}>Reset width</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal opened={dialog === 'label'} onClose={() => setDialog(null)} title={`Label of ${column.name}`} size="sm">
        <Stack gap="sm">
          <TextInput data-autofocus label="Label" placeholder={column.name} value={label} onChange={(e) => setLabel(e.currentTarget.value)} />
          {saveButtons(() => ({ label: label.trim() ? label.trim() : null }))}
        </Stack>
      </Modal>
      <Modal opened={dialog === 'format'} onClose={() => setDialog(null)} title={`Format of ${column.name}`} size="md">
        <Stack gap="sm">
          <FormatEditor column={column} value={format} onChange={setFormat} sample={sample} />
          {saveButtons(() => ({ format: format ?? null }))}
        </Stack>
      </Modal>
    </>
  );
}

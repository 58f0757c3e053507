/**
 * Saved views of one relation: the user's own and the ones shared with them.
 * Applying a view navigates to its URL state, so Back returns to the previous
 * view and the link stays shareable like any other grid state. Saving also
 * keeps a snapshot of the column settings shown at the time (a record for now:
 * applying never rewrites the user's column preferences behind their back).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ActionIcon, Badge, Button, Checkbox, Group, Menu, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBookmarks, IconCheck, IconDeviceFloppy, IconPencil } from '@tabler/icons-react';
import { useLocation, useNavigate } from 'react-router';
import { createView, deleteView, fetchViews, updateView, type SavedView } from '../../core/prefs-api.js';
import { isCurrentView, searchForView, viewOwnerNote, viewQueryOf } from '../../core/saved-views.js';
import { useRelationPrefs } from '../../hooks/usePrefs.js';
import { useMe } from '../../hooks/useSession.js';

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
const fail = (title: string) => (e: unknown) => void notifications.show({ title, message: messageOf(e), color: 'red' });

type Dialog = { mode: 'create' } | { mode: 'edit'; view: SavedView } | null;

export function SavedViewsMenu({ schema, name: relation }: { schema: string; name: string }) {
  const me = useMe();
  const { prefs } = useRelationPrefs(schema, relation);
  const location = useLocation();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [views, setViews] = useState<SavedView[] | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);

  useEffect(() => setViews(null), [schema, relation]);
  // read on every opening: colleagues share and rename views meanwhile
  const load = () => fetchViews(schema, relation).then(setViews, fail('Cannot load saved views'));

  const apply = (v: SavedView) =>
    navigate({ pathname: location.pathname, search: searchForView(location.search, v.query), hash: location.hash }, { preventScrollReset: true });

  async function save(values: { name: string; shared: boolean }): Promise<boolean> {
    try {
      if (dialog?.mode === 'edit') {
        await updateView(dialog.view.id, values);
      } else {
        const columns = Object.keys(prefs.columns).length > 0 ? prefs : null;
        await createView({ ...values, schema, relation, query: viewQueryOf(location.search), columns });
        notifications.show({ message: `Saved view “${values.name}”`, color: 'teal' });
      }
      void load();
      return true;
    } catch (e) {
      fail('Cannot save the view')(e);
      return false;
    }
  }

  async function remove(v: SavedView): Promise<boolean> {
    try {
      await deleteView(v.id);
      notifications.show({ message: `Deleted view “${v.name}”`, color: 'teal' });
      void load();
      return true;
    } catch (e) {
      fail('Cannot delete the view')(e);
      return false;
    }
  }

  // a session without a pglive account (a token) has no saved views
  if (me.id === null) return null;
  return (
    <>
      <Menu opened={open} onChange={(o) => { setOpen(o); if (o) void load(); }} position="bottom-end" shadow="md" width={280}>
        <Menu.Target>
          <Button size="xs" variant="default" leftSection={<IconBookmarks size={14} />} data-testid="views-button">Views</Button>
        </Menu.Target>
        <Menu.Dropdown data-testid="views-menu">
          <Menu.Label>Saved views</Menu.Label>
          {views === null && <Menu.Item disabled>Loading…</Menu.Item>}
          {views?.length === 0 && <Menu.Item disabled>No saved views yet</Menu.Item>}
          {views?.map((v) => {
            const owner = viewOwnerNote(v, me.id);
            return (
              <Menu.Item
                key={v.id}
                onClick={() => apply(v)}
                leftSection={<IconCheck size={14} style={{ visibility: isCurrentView(v, location.search) ? 'visible' : 'hidden' }} />}
                rightSection={v.mine && (
                  // a span, not a button: buttons cannot nest inside the menu item's button
                  <ActionIcon component="span" role="button" variant="subtle" size="sm" aria-label={`Edit view ${v.name}`}
                    onClick={(e) => { e.stopPropagation(); setOpen(false); setDialog({ mode: 'edit', view: v }); }}>
                    <IconPencil size={14} />
                  </ActionIcon>
                )}
                data-testid="saved-view"
              >
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" truncate>{v.name}</Text>
                  {v.shared && <Badge size="xs" variant="light" tt="none">shared</Badge>}
                </Group>
                {owner && <Text size="xs" c="dimmed" truncate>by {owner}</Text>}
              </Menu.Item>
            );
          })}
          <Menu.Divider />
          <Menu.Item leftSection={<IconDeviceFloppy size={14} />} onClick={() => setDialog({ mode: 'create' })} data-testid="save-view">
            Save current view…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {dialog && (
        <ViewDialog
          key={dialog.mode === 'edit' ? dialog.view.id : 'new'}
          view={dialog.mode === 'edit' ? dialog.view : null}
          onSave={save}
          onDelete={remove}
          onClose={() => setDialog(null)}
        />
      )}
    </>
  );
}

interface ViewDialogProps {
  /** null: save the current grid state as a new view */
  view: SavedView | null;
  onSave(values: { name: string; shared: boolean }): Promise<boolean>;
  onDelete(view: SavedView): Promise<boolean>;
  onClose(): void;
}

function ViewDialog({ view, onSave, onDelete, onClose }: ViewDialogProps) {
  const [name, setName] = useState(view?.name ?? '');
  const [shared, setShared] = useState(view?.shared ?? false);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<boolean>) => {
    setBusy(true);
    const ok = await action();
    setBusy(false);
    if (ok) onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) void run(() => onSave({ name: name.trim(), shared }));
  };
  return (
    <Modal opened onClose={onClose} title={view ? 'Edit saved view' : 'Save current view'} size="sm">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={200} required data-autofocus data-testid="view-name" />
          <Checkbox label="Share with everyone who can read this table" checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} />
          <Group justify="space-between">
            {view ? <Button color="red" variant="subtle" onClick={() => void run(() => onDelete(view))} disabled={busy}>Delete</Button> : <span />}
            <Group gap="xs">
              <Button variant="default" onClick={onClose}>Cancel</Button>
              <Button type="submit" loading={busy} disabled={!name.trim()} data-testid="view-save-submit">Save</Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * The column settings panel: visibility, order (drag, or up / down), width,
 * pin, label, formatter with a live preview and colour rules — saved for me,
 * for my role or as everyone's default (admins), each layer resettable.
 * Other people's changes arrive live; they replace the panel's draft only
 * while the user has not started editing.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  ActionIcon, Badge, Button, Checkbox, Collapse, Divider, Drawer, Group, Menu, NumberInput, Paper, ScrollArea,
  SegmentedControl, Stack, Text, TextInput, Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAdjustmentsHorizontal, IconArrowDown, IconArrowUp, IconChevronDown, IconGripVertical, IconRestore } from '@tabler/icons-react';
import type { MetaColumn } from '../../core/meta.js';
import { prefsDiff, resolveColumns, type ColumnPrefs, type PrefLayer } from '../../core/prefs.js';
import { useRelationPrefs } from '../../hooks/usePrefs.js';
import { FormatEditor } from './FormatEditor.js';

export interface ColumnSettingsPanelProps {
  schema: string;
  name: string;
  columns: readonly MetaColumn[];
  /** controlled: the panel is a drawer shown while `opened`; uncontrolled (omitted): a toolbar button opens it */
  opened?: boolean;
  onClose?: () => void;
  /** a row to preview formats with */
  sample?: Record<string, unknown>;
}

const LAYER_NAMES: Record<PrefLayer, string> = { user: 'my settings', role: 'the role’s settings', global: 'the defaults' };

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function ColumnSettingsPanel(props: ColumnSettingsPanelProps) {
  const [own, setOwn] = useState(false);
  if (props.opened === undefined) {
    return (
      <>
        <Button size="xs" variant="default" leftSection={<IconAdjustmentsHorizontal size={14} />} onClick={() => setOwn(true)} data-testid="column-settings-button">
          Columns
        </Button>
        {own && <SettingsDrawer {...props} onClose={() => setOwn(false)} />}
      </>
    );
  }
  return props.opened ? <SettingsDrawer {...props} /> : null;
}

function SettingsDrawer({ schema, name, columns, onClose, sample }: ColumnSettingsPanelProps) {
  const p = useRelationPrefs(schema, name);
  const shown = useMemo(() => resolveColumns(columns, p.prefs), [columns, p.prefs]);
  const shownOrder = useMemo(() => shown.map((c) => c.name), [shown]);
  const [order, setOrder] = useState<string[]>(shownOrder);
  const [draft, setDraft] = useState<Record<string, ColumnPrefs>>(p.prefs.columns);
  const [touched, setTouched] = useState(false);
  const [openFormat, setOpenFormat] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState<string | null>(null);

  // live: follow the server until the user starts editing
  useEffect(() => {
    if (touched) return;
    setOrder(shownOrder);
    setDraft(p.prefs.columns);
  }, [p.prefs, shownOrder, touched]);

  const byName = useMemo(() => new Map(columns.map((c) => [c.name, c])), [columns]);
  const edit = (col: string, patch: Partial<ColumnPrefs>) => {
    setTouched(true);
    setDraft((d) => {
      const next = { ...d[col], ...patch };
      for (const k of Object.keys(next) as (keyof ColumnPrefs)[]) if (next[k] === undefined) delete next[k];
      return { ...d, [col]: next };
    });
  };
  const move = (col: string, to: number) => {
    setTouched(true);
    setOrder((o) => {
      const next = o.filter((c) => c !== col);
      next.splice(Math.max(0, Math.min(next.length, to)), 0, col);
      return next;
    });
  };

  const patch = prefsDiff(p.prefs, draft, order, shownOrder);
  const dirty = Object.keys(patch.columns).length > 0;

  async function run(what: string, action: () => Promise<void>) {
    setBusy(true);
    try {
      await action();
      setTouched(false);
      notifications.show({ message: what, color: 'teal' });
    } catch (e) {
      notifications.show({ title: 'Not saved', message: errorText(e), color: 'red' });
    } finally {
      setBusy(false);
    }
  }
  const save = (layer: PrefLayer) => run(`Saved ${LAYER_NAMES[layer]}`, () => p.save(layer, patch, columns.map((c) => c.name)));
  const reset = (layer: PrefLayer) => run(`Reset ${LAYER_NAMES[layer]}`, () => p.reset(layer));

  return (
    <Drawer opened onClose={() => onClose?.()} position="right" size={520} title={<Text fw={600}>Columns of {name}</Text>}
      scrollAreaComponent={ScrollArea.Autosize} data-testid="column-settings">
      <Stack gap="xs">
        <Text size="xs" c="dimmed">
          Drag rows or use the arrows to reorder. Changes show here first; save them for yourself
          {p.canAdmin ? ', for everyone with your role, or as everyone’s default' : ''}.
        </Text>
        {order.map((colName, index) => {
          const column = byName.get(colName);
          if (!column) return null;
          const c = draft[colName] ?? {};
          return (
            <Paper key={colName} withBorder radius="sm" p={6} data-testid={`column-row-${colName}`}
              draggable onDragStart={() => setDragging(colName)} onDragEnd={() => setDragging(null)}
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => {
                e.preventDefault();
                if (dragging && dragging !== colName) move(dragging, index);
              }}
              style={{ opacity: dragging === colName ? 0.5 : 1 }}>
              <Group gap={6} wrap="nowrap">
                <IconGripVertical size={14} style={{ cursor: 'grab', flex: 'none', color: 'var(--mantine-color-dimmed)' }} />
                <Checkbox size="xs" aria-label={`Show ${colName}`} checked={c.visible ?? !column.isTsvector} onChange={(e) => edit(colName, { visible: e.currentTarget.checked })} />
                <TextInput size="xs" flex={1} aria-label={`Label of ${colName}`} placeholder={colName} value={c.label ?? ''}
                  onChange={(e) => edit(colName, { label: e.currentTarget.value || undefined })} />
                <NumberInput size="xs" w={72} aria-label={`Width of ${colName}`} placeholder="auto" min={30} max={2000} allowDecimal={false} hideControls
                  value={c.width ?? ''} onChange={(v) => edit(colName, { width: typeof v === 'number' ? v : undefined })} />
                <SegmentedControl size="xs" aria-label={`Pin ${colName}`}
                  data={[{ value: 'none', label: '–' }, { value: 'left', label: 'L' }, { value: 'right', label: 'R' }]}
                  value={c.pinned ?? 'none'} onChange={(v) => edit(colName, { pinned: v === 'none' ? undefined : (v as 'left' | 'right') })} />
                <ActionIcon size="sm" variant="subtle" color="gray" aria-label={`Move ${colName} up`} disabled={index === 0} onClick={() => move(colName, index - 1)}>
                  <IconArrowUp size={14} />
                </ActionIcon>
                <ActionIcon size="sm" variant="subtle" color="gray" aria-label={`Move ${colName} down`} disabled={index === order.length - 1} onClick={() => move(colName, index + 1)}>
                  <IconArrowDown size={14} />
                </ActionIcon>
                <Tooltip label="Format">
                  <ActionIcon size="sm" variant={openFormat === colName ? 'light' : 'subtle'} aria-label={`Format ${colName}`}
                    onClick={() => setOpenFormat((o) => (o === colName ? null : colName))}>
                    <IconChevronDown size={14} />
                  </ActionIcon>
                </Tooltip>
              </Group>
              <Group gap={4} ml={26} mt={2}>
                <Text size="xs" c="dimmed">{colName} · {column.type}</Text>
                {c.format && c.format.kind !== 'auto' && <Badge size="xs" variant="light">{c.format.kind}</Badge>}
              </Group>
              <Collapse expanded={openFormat === colName}>
                {openFormat === colName && (
                  <Paper p="xs" mt={6} bg="var(--mantine-color-default-hover)">
                    <FormatEditor column={column} value={c.format} sample={sample?.[colName]} onChange={(format) => edit(colName, { format })} />
                  </Paper>
                )}
              </Collapse>
            </Paper>
          );
        })}
        <Divider my="xs" />
        <Group gap="xs">
          <Button size="xs" disabled={!dirty || busy || !p.canPersonal} onClick={() => void save('user')} data-testid="save-user">Save for me</Button>
          {p.canAdmin && (
            <>
              <Button size="xs" variant="light" disabled={!dirty || busy} onClick={() => void save('role')} data-testid="save-role">
                Save for role {p.role}
              </Button>
              <Button size="xs" variant="light" color="orange" disabled={!dirty || busy} onClick={() => void save('global')} data-testid="save-global">
                Save as default
              </Button>
            </>
          )}
          <Button size="xs" variant="subtle" color="gray" disabled={!touched || busy} onClick={() => setTouched(false)}>Discard</Button>
          <Menu position="top-end" withinPortal>
            <Menu.Target>
              <Button size="xs" variant="subtle" color="gray" leftSection={<IconRestore size={14} />} ml="auto" data-testid="reset-menu">Reset…</Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item disabled={!p.layers.user} onClick={() => void reset('user')}>Reset my settings</Menu.Item>
              {p.canAdmin && <Menu.Item disabled={!p.layers.role} onClick={() => void reset('role')}>Reset settings of role {p.role}</Menu.Item>}
              {p.canAdmin && <Menu.Item color="red" disabled={!p.layers.global} onClick={() => void reset('global')}>Reset the defaults</Menu.Item>}
            </Menu.Dropdown>
          </Menu>
        </Group>
        <Group gap={6}>
          {(['global', 'role', 'user'] as const).map((l) => (
            <Badge key={l} size="xs" variant={p.layers[l] ? 'light' : 'outline'} color={p.layers[l] ? 'teal' : 'gray'}>
              {l === 'global' ? 'default' : l === 'role' ? `role ${p.role ?? ''}` : 'mine'}: {p.layers[l] ? 'set' : 'none'}
            </Badge>
          ))}
        </Group>
      </Stack>
    </Drawer>
  );
}

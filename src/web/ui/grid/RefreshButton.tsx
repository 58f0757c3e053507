/**
 * "Refresh" on a materialized view the role may refresh (privileges.refresh):
 * POST /meta/refresh/…, concurrently when asked. The grid needs nothing more:
 * the refresh reaches it live, as any other change does.
 */
import { useState } from 'react';
import { Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconRefresh } from '@tabler/icons-react';
import { ApiError, sendJson } from '../../core/api.js';
import type { MetaRelation } from '../../core/meta.js';

interface RefreshResult {
  ms: number;
}

export function RefreshButton({ rel }: { rel: MetaRelation }) {
  const [busy, setBusy] = useState(false);
  if (rel.kind !== 'materialized_view' || !rel.privileges.refresh) return null;

  async function refresh(concurrently: boolean) {
    setBusy(true);
    try {
      const path = `/meta/refresh/${encodeURIComponent(rel.schema)}/${encodeURIComponent(rel.name)}`;
      const r = await sendJson<RefreshResult>('POST', path, concurrently ? { concurrently } : undefined);
      notifications.show({ message: `Refreshed ${rel.name}${r ? ` in ${Math.round(r.ms)} ms` : ''}`, color: 'teal' });
    } catch (e) {
      const err = e instanceof ApiError ? e : null;
      notifications.show({
        title: `${rel.name} was not refreshed`,
        message: [err?.message ?? String(e), err?.hint].filter(Boolean).join(' — '),
        color: 'red',
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Button.Group>
      <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} loading={busy} onClick={() => void refresh(false)} data-testid="refresh-view">
        Refresh
      </Button>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button size="xs" variant="default" px={6} disabled={busy} aria-label="More refresh options">
            <IconChevronDown size={14} />
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => void refresh(true)} data-testid="refresh-concurrently">
            Refresh concurrently (stays readable; needs a unique index)
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </Button.Group>
  );
}

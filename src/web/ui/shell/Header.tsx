import { ActionIcon, Badge, Burger, Group, Menu, Text, Tooltip, UnstyledButton, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { IconBolt, IconChevronDown, IconDeviceDesktop, IconLogout, IconMoon, IconSun } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useSession, useMe } from '../../hooks/useSession.js';
import { displayNameOf } from '../../core/session.js';
import { ConnectionIndicator } from './ConnectionIndicator.js';

export function Header({ navOpened, onToggleNav }: { navOpened: boolean; onToggleNav: () => void }) {
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="xs" wrap="nowrap">
        <Burger opened={navOpened} onClick={onToggleNav} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
        <UnstyledButton component={Link} to="/" aria-label="pglive home">
          <Group gap={6} wrap="nowrap">
            <IconBolt size={20} color="var(--mantine-color-teal-6)" />
            <Text fw={600}>pglive</Text>
          </Group>
        </UnstyledButton>
      </Group>
      <Group gap="sm" wrap="nowrap">
        <ConnectionIndicator />
        <ColorSchemeToggle />
        <UserMenu />
      </Group>
    </Group>
  );
}

/** light → dark → follow the OS; the icon shows what is in effect */
export function ColorSchemeToggle() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light');
  const next = colorScheme === 'light' ? 'dark' : colorScheme === 'dark' ? 'auto' : 'light';
  const label = colorScheme === 'auto' ? `Colour scheme: system (${computed})` : `Colour scheme: ${colorScheme}`;
  const Icon = colorScheme === 'auto' ? IconDeviceDesktop : computed === 'dark' ? IconMoon : IconSun;
  return (
    <Tooltip label={`${label}: click for ${next === 'auto' ? 'system' : next}`}>
      <ActionIcon variant="subtle" color="gray" onClick={() => setColorScheme(next)} aria-label="Toggle colour scheme" data-testid="color-scheme">
        <Icon size={18} />
      </ActionIcon>
    </Tooltip>
  );
}

function UserMenu() {
  const me = useMe();
  const { logout } = useSession();
  return (
    <Menu position="bottom-end" width={240} shadow="md">
      <Menu.Target>
        <UnstyledButton aria-label="Account" data-testid="user-menu">
          <Group gap={6} wrap="nowrap">
            <Text size="sm" fw={500} truncate maw={180}>{displayNameOf(me)}</Text>
            <Badge variant="light" color="gray" size="sm" radius="sm" tt="none" title="Database role" data-testid="db-role">
              {me.role}
            </Badge>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Signed in as</Menu.Label>
        <Menu.Item disabled>
          <Text size="sm">{me.email ?? displayNameOf(me)}</Text>
          <Text size="xs" c="dimmed">role {me.role}{me.isAdmin ? ' · pglive admin' : ''}</Text>
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => void logout()}>Log out</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

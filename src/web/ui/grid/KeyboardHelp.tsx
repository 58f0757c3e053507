/** The grid's keys, one click away in its footer: what a spreadsheet user would try, and what pglive adds. */
import { ActionIcon, Kbd, Popover, Table, Text } from '@mantine/core';
import { IconKeyboard } from '@tabler/icons-react';

const KEYS: readonly [keys: readonly string[], what: string][] = [
  [['↑', '↓', '←', '→'], 'move between cells (Page Up / Down, Home / End, Ctrl+Home / End)'],
  [['Enter'], 'open the row'],
  [['Shift', 'Enter'], 'show the whole value of the cell'],
  [['F2'], 'edit the cell in place (or double-click it, or start typing)'],
  [['Enter'], 'while editing: save and go down (Tab: save and go right)'],
  [['Esc'], 'while editing: cancel; otherwise clear the selection'],
  [['Ctrl', 'C'], 'copy the cell’s value'],
  [['Ctrl', 'V'], 'paste into the cell’s editor (Enter saves)'],
  [['Space'], 'select the row'],
  [['Shift', 'click'], 'on a column header: sort by one more column'],
];

export function KeyboardHelp() {
  return (
    <Popover position="top-end" shadow="md" withArrow>
      <Popover.Target>
        <ActionIcon variant="subtle" color="gray" size="sm" aria-label="Keyboard shortcuts" data-testid="keyboard-help">
          <IconKeyboard size={14} />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown>
        <Text size="sm" fw={600} mb={4}>Keys in the grid</Text>
        <Table fz="xs" verticalSpacing={2} withRowBorders={false}>
          <Table.Tbody>
            {KEYS.map(([keys, what]) => (
              <Table.Tr key={`${keys.join('+')} ${what}`}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{keys.map((k, i) => <span key={k}>{i > 0 && (keys.length === 4 ? ' ' : ' + ')}<Kbd size="xs">{k}</Kbd></span>)}</Table.Td>
                <Table.Td>{what}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Popover.Dropdown>
    </Popover>
  );
}

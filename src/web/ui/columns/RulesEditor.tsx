/** Conditional colours: "when the value is < 0, show it red". The first matching rule wins. */
import { ActionIcon, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { CHIP_PALETTE, RULE_OPS, type ColourRule } from '../../core/format.js';

const OP_LABELS: Record<ColourRule['op'], string> = {
  lt: '<', lte: '≤', gt: '>', gte: '≥', eq: '=', neq: '≠', contains: 'contains', empty: 'is empty', notEmpty: 'is not empty',
};

export const COLOUR_CHOICES = ['red', 'green', 'orange', 'gray', ...CHIP_PALETTE.filter((c) => !['red', 'green', 'orange', 'gray'].includes(c))];

export function RulesEditor({ rules, onChange }: { rules: readonly ColourRule[]; onChange: (rules: ColourRule[]) => void }) {
  const set = (i: number, patch: Partial<ColourRule>) => onChange(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Stack gap={6}>
      <Text size="xs" fw={600} c="dimmed">Conditional colour (first match wins)</Text>
      {rules.map((r, i) => (
        <Group key={i} gap={6} wrap="nowrap" data-testid="colour-rule">
          <Select
            size="xs" w={120} aria-label="Condition" allowDeselect={false}
            data={RULE_OPS.map((op) => ({ value: op, label: OP_LABELS[op] }))}
            value={r.op} onChange={(op) => op && set(i, { op: op as ColourRule['op'] })}
          />
          {r.op !== 'empty' && r.op !== 'notEmpty' && (
            <TextInput size="xs" w={110} aria-label="Value" placeholder="value" value={r.value ?? ''} onChange={(e) => set(i, { value: e.currentTarget.value })} />
          )}
          <Select size="xs" w={110} aria-label="Colour" allowDeselect={false} data={COLOUR_CHOICES} value={r.colour} onChange={(c) => c && set(i, { colour: c })} />
          <ActionIcon variant="subtle" color="gray" aria-label="Remove rule" onClick={() => onChange(rules.filter((_, j) => j !== i))}>
            <IconTrash size={14} />
          </ActionIcon>
        </Group>
      ))}
      <Button size="compact-xs" variant="subtle" leftSection={<IconPlus size={12} />} w="fit-content"
        onClick={() => onChange([...rules, { op: 'lt', value: '0', colour: 'red' }])}>
        Add a colour rule
      </Button>
    </Stack>
  );
}

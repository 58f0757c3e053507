/** An array column: one input per element, add and remove. */
import { ActionIcon, Button, Group, Input, Stack, TextInput } from '@mantine/core';
import { IconPlus, IconX } from '@tabler/icons-react';
import type { Draft } from '../../core/record-values.js';

export interface ArrayInputProps {
  value: Draft[];
  onChange: (value: Draft[]) => void;
  label: React.ReactNode;
  description?: React.ReactNode;
  error?: React.ReactNode;
  placeholder?: string;
  testId?: string;
}

export function ArrayInput({ value, onChange, label, description, error, placeholder, testId }: ArrayInputProps) {
  const set = (i: number, v: string) => onChange(value.map((x, j) => (j === i ? v : x)));
  return (
    <Input.Wrapper label={label} description={description} error={error} data-testid={testId}>
      <Stack gap={4} mt={4}>
        {value.map((item, i) => (
          <Group key={i} gap={4} wrap="nowrap">
            <TextInput size="sm" flex={1} aria-label={`Item ${i + 1}`} placeholder={placeholder}
              value={typeof item === 'string' ? item : item === null ? '' : String(item)} onChange={(e) => set(i, e.currentTarget.value)} />
            <ActionIcon variant="subtle" color="gray" aria-label={`Remove item ${i + 1}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
              <IconX size={14} />
            </ActionIcon>
          </Group>
        ))}
        <Button size="compact-xs" variant="subtle" w="fit-content" leftSection={<IconPlus size={12} />} onClick={() => onChange([...value, ''])}>
          Add item
        </Button>
      </Stack>
    </Input.Wrapper>
  );
}

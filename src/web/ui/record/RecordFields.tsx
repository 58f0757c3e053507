/**
 * The fields of a record: formatted values (view), or an input per editable
 * column (edit) with read-only columns shown formatted and locked. Fields
 * someone else just changed are highlighted; a field both of you changed
 * offers "take theirs / keep mine" right where it is.
 */
import { Alert, Box, Button, Group, Paper, SimpleGrid, Text, Tooltip } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { Row } from '../../../protocol/live.js';
import { formatCell } from '../../core/format.js';
import type { MetaRelation, MetaSchema } from '../../core/meta.js';
import type { ResolvedColumn } from '../../core/prefs.js';
import { columnAccess } from '../../core/record.js';
import { describeColumn, foreignKeyOf, type Draft } from '../../core/record-values.js';
import { findRelation } from '../../core/meta.js';
import { FormattedValue } from '../columns/FormattedValue.js';
import { FieldInput } from '../fields/FieldInput.js';
import { FkValue } from './FkValue.js';

export interface FieldState {
  drafts: Record<string, Draft>;
  /** database or validation errors by column */
  errors: Record<string, string>;
  /** changed by someone else while editing (taken in) */
  theirs: ReadonlySet<string>;
  /** changed by someone else AND by me: their saved value, awaiting a decision */
  clashes: Readonly<Record<string, unknown>>;
}

export interface RecordFieldsProps {
  rel: MetaRelation;
  meta: MetaSchema | null;
  columns: readonly ResolvedColumn[];
  row: Row;
  now: number;
  /** null: view mode */
  edit: FieldState | null;
  /** fields to flash in view mode (just changed by someone) */
  flash?: ReadonlySet<string>;
  onDraft?: (column: string, draft: Draft) => void;
  onClash?: (column: string, choice: 'mine' | 'theirs') => void;
  /** new rows: every insertable column is editable */
  mode?: 'update' | 'insert';
  placeholders?: Readonly<Record<string, string>>;
}

export function RecordFields({ rel, meta, columns, row, now, edit, flash, onDraft, onClash, mode = 'update', placeholders = {} }: RecordFieldsProps) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" verticalSpacing="sm">
      {columns.map((c) => {
        const access = columnAccess(rel, c.column);
        const editable = edit !== null && (mode === 'insert' ? access.insertable : access.editable);
        const highlighted = flash?.has(c.name) || edit?.theirs.has(c.name);
        const clash = edit && c.name in edit.clashes ? edit.clashes[c.name] : undefined;
        const label = c.label === c.name ? c.name : `${c.label}`;
        const hint = describeColumn(c.column) + (c.column.comment ? ` — ${c.column.comment}` : '');
        const wide = c.column.baseTypeName === 'json' || c.column.baseTypeName === 'jsonb' || (c.column.baseTypeName === 'text' && c.column.maxLength === null && c.column.arrayDims === 0);
        return (
          <Box key={c.name} style={wide && editable ? { gridColumn: '1 / -1' } : undefined} data-testid={`record-field-${c.name}`}
            data-changed={highlighted ? 'true' : undefined}>
            <Paper p={6} radius="sm" style={{
              transition: 'background-color 600ms ease',
              backgroundColor: highlighted ? 'var(--mantine-color-yellow-light)' : 'transparent',
            }}>
              {editable ? (
                <FieldInput rel={rel} meta={meta} column={c.column} draft={edit.drafts[c.name] ?? ''}
                  onChange={(d) => onDraft?.(c.name, d)} label={label} description={hint}
                  error={edit.errors[c.name] ?? null} placeholder={placeholders[c.name]}
                  required={!c.column.nullable && c.column.default === null && c.column.identity === null} />
              ) : (
                <Box>
                  <Group gap={4} mb={2}>
                    <Text size="sm" fw={500}>{label}</Text>
                    {edit !== null && (
                      <Tooltip label={`Read-only: ${access.reason ?? 'not editable'}`}>
                        <IconLock size={12} style={{ color: 'var(--mantine-color-dimmed)' }} aria-label="read-only" />
                      </Tooltip>
                    )}
                  </Group>
                  <Box data-testid={`value-${c.name}`} style={{ minHeight: 22, overflowWrap: 'anywhere' }}>
                    {mode === 'insert' && row[c.name] === undefined
                      ? <Text size="sm" c="dimmed" fs="italic">{placeholders[c.name] ?? 'set by the database'}</Text>
                      : <ValueOf rel={rel} meta={meta} column={c} value={row[c.name]} now={now} />}
                  </Box>
                  {edit !== null && edit.errors[c.name] && <Text size="xs" c="red">{edit.errors[c.name]}</Text>}
                </Box>
              )}
              {highlighted && edit && <Text size="xs" c="orange" mt={2}>Changed by someone else just now</Text>}
              {clash !== undefined && (
                <Alert color="orange" variant="light" p="xs" mt={4} data-testid={`clash-${c.name}`}>
                  <Text size="xs">
                    Someone else saved <b><FormattedValue view={formatCell(clash, c.column, c.format, now)} /></b> here while you were editing.
                  </Text>
                  <Group gap={6} mt={4}>
                    <Button size="compact-xs" variant="default" onClick={() => onClash?.(c.name, 'theirs')}>Take theirs</Button>
                    <Button size="compact-xs" variant="default" onClick={() => onClash?.(c.name, 'mine')}>Keep mine</Button>
                  </Group>
                </Alert>
              )}
            </Paper>
          </Box>
        );
      })}
    </SimpleGrid>
  );
}

/** a value as formatted, or for a foreign key without a configured format, the referenced row's label */
function ValueOf({ rel, meta, column: c, value, now }: { rel: MetaRelation; meta: MetaSchema | null; column: ResolvedColumn; value: unknown; now: number }) {
  const fk = foreignKeyOf(rel, c.name);
  const target = fk && (!c.format || c.format.kind === 'auto' || c.format.kind === 'fk') && value !== null && value !== undefined ? findRelation(meta, fk.refSchema, fk.refTable) : null;
  if (fk && target) return <FkValue target={target} refColumn={fk.refColumns[0]!} value={value} />;
  return <FormattedValue view={formatCell(value, c.column, c.format, now)} imageHeight={c.format?.imageHeight ?? 64} />;
}

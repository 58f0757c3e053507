/**
 * The record page: one row, live. View mode shows formatted values (and
 * flashes fields others change); edit mode gives each editable column its
 * widget. Saving never silently overwrites someone else's change: the row is
 * re-read and compared with the version editing started from (three-way), a
 * clash is put to the user, and the PATCH is guarded by the values it was
 * decided on, so a write that slips in between is caught too.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Anchor, Breadcrumbs, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconDeviceFloppy, IconPencil } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Row } from '../../../protocol/live.js';
import { ApiError } from '../../core/api.js';
import { findRelation, readableColumns, relationPath, type MetaRelation, type MetaSchema } from '../../core/meta.js';
import { resolveColumns } from '../../core/prefs.js';
import { changedColumns, columnAccess, parseRecordKey, reconcile, sameValue } from '../../core/record.js';
import { fetchChecks, fetchRow, rowLabel, updateRow } from '../../core/record-api.js';
import { fieldErrors } from '../../core/record-errors.js';
import { fromDraft, toDraft, type Draft } from '../../core/record-values.js';
import { useMeta } from '../../hooks/useMeta.js';
import { useRelationPrefs } from '../../hooks/usePrefs.js';
import { ColumnSettingsPanel } from '../columns/ColumnSettingsPanel.js';
import { useMinuteClock } from '../columns/useMinuteClock.js';
import { ConflictModal, type Choice } from './ConflictModal.js';
import { DeleteRecordButton } from './DeleteRecordButton.js';
import { RecordFields, type FieldState } from './RecordFields.js';
import { ReverseRelations } from './ReverseRelations.js';
import { useLiveRow } from './useLiveRow.js';

export interface RecordPageProps {
  schema: string;
  name: string;
  /** the URL segment (core/record.ts recordKeyOf) */
  recordKey: string;
}

export function RecordPage({ schema, name, recordKey }: RecordPageProps) {
  const { meta } = useMeta();
  const rel = findRelation(meta, schema, name);
  const key = useMemo(() => {
    try {
      return rel ? parseRecordKey(rel, recordKey) : null;
    } catch {
      return null;
    }
  }, [rel, recordKey]);
  if (!meta) return <Loader m="xl" size="sm" />;
  if (!rel) return <Alert m="lg" color="red" title="Not found">No table or view {schema}.{name} that your role can read.</Alert>;
  if (!key) {
    return <Alert m="lg" color="red" title="Cannot open this row">{rel.primaryKey.length ? `“${recordKey}” is not a key of ${name}.` : `${name} has no primary key, so its rows cannot be opened one by one.`}</Alert>;
  }
  return <LiveRecord rel={rel} meta={meta} keyValues={key} />;
}

interface Editing extends FieldState {
  /** the row as it was when editing started, advanced field by field as the user takes in others' changes */
  base: Row;
  touched: Set<string>;
  general: string | null;
  saving: boolean;
}

interface PendingConflict {
  edits: Row;
  fresh: Row;
  columns: string[];
}

function LiveRecord({ rel, meta, keyValues }: { rel: MetaRelation; meta: MetaSchema; keyValues: Record<string, string> }) {
  const { row, error } = useLiveRow(rel, keyValues);
  const prefs = useRelationPrefs(rel.schema, rel.name);
  const now = useMinuteClock();
  const columns = useMemo(() => resolveColumns(readableColumns(rel).filter((c) => !c.isTsvector), prefs.prefs), [rel, prefs.prefs]);
  const names = useMemo(() => columns.map((c) => c.name), [columns]);
  const [edit, setEdit] = useState<Editing | null>(null);
  const [flash, setFlash] = useState<Set<string>>(new Set());
  const [conflict, setConflict] = useState<PendingConflict | null>(null);
  const previous = useRef<Row | null>(null);
  const anyEditable = columns.some((c) => columnAccess(rel, c.column).editable);

  // someone else changed the row: flash it (view) or take it into the form (edit)
  useEffect(() => {
    if (!row) return;
    const before = previous.current;
    previous.current = row;
    if (!before) return;
    const changed = changedColumns(before, row, names);
    if (changed.length === 0) return;
    setFlash(new Set(changed));
    const t = setTimeout(() => setFlash(new Set()), 2500);
    setEdit((e) => {
      if (!e) return e;
      const drafts = { ...e.drafts };
      const base = { ...e.base };
      const theirs = new Set(e.theirs);
      const clashes = { ...e.clashes };
      for (const c of changedColumns(e.base, row, names)) {
        const column = columns.find((x) => x.name === c)!.column;
        if (e.touched.has(c)) {
          clashes[c] = row[c];
        } else {
          drafts[c] = toDraft(row[c], column);
          base[c] = row[c];
          theirs.add(c);
        }
      }
      return { ...e, drafts, base, theirs, clashes };
    });
    return () => clearTimeout(t);
  }, [row, names, columns]);

  function startEditing(from: Row) {
    const drafts: Record<string, Draft> = {};
    for (const c of columns) drafts[c.name] = toDraft(from[c.name], c.column);
    setEdit({ base: { ...from }, drafts, touched: new Set(), errors: {}, theirs: new Set(), clashes: {}, general: null, saving: false });
  }

  function onDraft(column: string, draft: Draft) {
    setEdit((e) => (e ? { ...e, drafts: { ...e.drafts, [column]: draft }, touched: new Set(e.touched).add(column), errors: { ...e.errors, [column]: '' } } : e));
  }

  function onClash(column: string, choice: Choice) {
    setEdit((e) => {
      if (!e || !(column in e.clashes)) return e;
      const theirs = e.clashes[column];
      const clashes = { ...e.clashes };
      delete clashes[column];
      const base = { ...e.base, [column]: theirs };
      if (choice === 'mine') return { ...e, base, clashes };
      const touched = new Set(e.touched);
      touched.delete(column);
      const col = columns.find((x) => x.name === column)!.column;
      return { ...e, base, clashes, touched, drafts: { ...e.drafts, [column]: toDraft(theirs, col) } };
    });
  }

  async function write(edits: Row, guardBase: Row, attempt: number) {
    if (Object.keys(edits).length === 0) {
      setEdit(null);
      return;
    }
    try {
      const updated = await updateRow(rel, keyValues, edits, guardBase);
      if (updated === null) {
        // the guard failed: the row changed (or vanished) after we compared — compare again
        if (attempt < 2) await save(attempt + 1);
        else setEdit((s) => (s ? { ...s, saving: false, general: 'Not saved: the record keeps changing, or your role may not see it after this change.' } : s));
        return;
      }
      setEdit(null);
      notifications.show({ message: 'Saved', color: 'teal' });
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'error', String(err));
      const placed = fieldErrors(e, rel, e.code === '23514' ? await fetchChecks(rel) : []);
      setEdit((s) => (s ? { ...s, saving: false, errors: { ...s.errors, ...placed.fields }, general: placed.general } : s));
    }
  }

  async function save(attempt = 0) {
    if (!edit) return;
    const edits: Row = {};
    const errors: Record<string, string> = {};
    for (const c of edit.touched) {
      const col = columns.find((x) => x.name === c);
      if (!col || !columnAccess(rel, col.column).editable) continue;
      const p = fromDraft(edit.drafts[c] ?? '', col.column);
      if (!p.ok) errors[c] = p.error;
      else if (!sameValue(p.value, edit.base[c])) edits[c] = p.value;
    }
    if (Object.keys(errors).length > 0) {
      setEdit({ ...edit, errors, general: 'Some fields need fixing' });
      return;
    }
    setEdit({ ...edit, saving: true, errors: {}, general: null });
    let fresh: Row | null;
    try {
      fresh = await fetchRow(rel, keyValues);
    } catch (err) {
      setEdit((s) => (s ? { ...s, saving: false, general: err instanceof Error ? err.message : String(err) } : s));
      return;
    }
    if (!fresh) {
      setEdit((s) => (s ? { ...s, saving: false, general: 'This record was deleted (or is now hidden from your role) while you were editing.' } : s));
      return;
    }
    const r = reconcile(edit.base, edits, fresh, Object.keys(edits));
    if (r.conflicts.length > 0) {
      setConflict({ edits, fresh, columns: r.conflicts });
      return;
    }
    await write(edits, fresh, attempt);
  }

  async function resolve(choices: Record<string, Choice>) {
    if (!conflict || !edit) return;
    const edits = { ...conflict.edits };
    const drafts = { ...edit.drafts };
    const touched = new Set(edit.touched);
    for (const c of conflict.columns) {
      if (choices[c] !== 'theirs') continue;
      delete edits[c];
      touched.delete(c);
      drafts[c] = toDraft(conflict.fresh[c], columns.find((x) => x.name === c)!.column);
    }
    setConflict(null);
    setEdit({ ...edit, drafts, touched, base: { ...edit.base, ...conflict.fresh }, clashes: {} });
    await write(edits, conflict.fresh, 0);
  }

  if (error) return <Alert m="lg" color="red" title="Cannot show this record">{error}</Alert>;
  if (row === undefined) return <Loader m="xl" size="sm" />;
  const gridPath = relationPath(rel.schema, rel.name);
  if (row === null) {
    return (
      <Stack p="lg">
        <Alert color="gray" title="No such record" data-testid="record-missing">
          It was deleted, or your role cannot see it. <Anchor component={Link} to={gridPath}>Back to {rel.name}</Anchor>
        </Alert>
      </Stack>
    );
  }

  const dirty = edit !== null && edit.touched.size > 0;
  return (
    <Stack p="lg" gap="md" style={{ overflow: 'auto' }} data-testid="record-page">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Breadcrumbs>
            <Anchor component={Link} to={gridPath} size="sm">{rel.schema}.{rel.name}</Anchor>
            <Text size="sm" c="dimmed">{rel.primaryKey.map((c) => row[c]).join(', ')}</Text>
          </Breadcrumbs>
          <Title order={3} data-testid="record-title">{rel.labelColumn && row[rel.labelColumn] ? rowLabel(rel, row) : `${rel.name} ${rowLabel(rel, row)}`}</Title>
        </Stack>
        <Group gap="xs">
          <ColumnSettingsPanel schema={rel.schema} name={rel.name} columns={readableColumns(rel)} sample={row} />
          {edit === null ? (
            <>
              {anyEditable && <Button size="xs" leftSection={<IconPencil size={14} />} onClick={() => startEditing(row)} data-testid="record-edit">Edit</Button>}
              <DeleteRecordButton rel={rel} keyValues={keyValues} row={row} />
            </>
          ) : (
            <>
              <Button size="xs" variant="default" onClick={() => setEdit(null)} disabled={edit.saving}>Cancel</Button>
              <Button size="xs" leftSection={<IconDeviceFloppy size={14} />} onClick={() => void save()} loading={edit.saving} disabled={!dirty} data-testid="record-save">
                Save
              </Button>
            </>
          )}
        </Group>
      </Group>
      {edit?.general && <Alert color="red" icon={<IconAlertTriangle size={16} />} data-testid="record-error">{edit.general}</Alert>}
      <RecordFields rel={rel} meta={meta} columns={columns} row={row} now={now} edit={edit} flash={edit ? undefined : flash}
        onDraft={onDraft} onClash={onClash} />
      <ReverseRelations rel={rel} meta={meta} row={row} />
      {conflict && edit && (
        <ConflictModal
          conflicts={conflict.columns.map((c) => {
            const col = columns.find((x) => x.name === c)!;
            return { column: col.column, label: col.label, mine: conflict.edits[c], theirs: conflict.fresh[c] };
          })}
          onResolve={(choices) => void resolve(choices)}
          onCancel={() => {
            setConflict(null);
            setEdit((s) => (s ? { ...s, saving: false } : s));
          }}
        />
      )}
    </Stack>
  );
}

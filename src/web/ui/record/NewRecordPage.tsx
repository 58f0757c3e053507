/**
 * A new row: a widget per insertable column, literal defaults pre-filled,
 * computed defaults (now(), identities) left to the database and shown as
 * placeholders. Query parameters pre-fill fields (?customer_id=7 from a
 * customer's "Add order"). Database errors land on their fields.
 */
import { useMemo, useState } from 'react';
import { Alert, Anchor, Breadcrumbs, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconDeviceFloppy } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../core/api.js';
import { findRelation, readableColumns, relationPath, type MetaRelation, type MetaSchema } from '../../core/meta.js';
import { resolveColumns } from '../../core/prefs.js';
import { canInsert, columnAccess, recordKeyOf } from '../../core/record.js';
import { fetchChecks, insertRow } from '../../core/record-api.js';
import { fieldErrors } from '../../core/record-errors.js';
import { defaultDraft, fromDraft, type Draft } from '../../core/record-values.js';
import { useMeta } from '../../hooks/useMeta.js';
import { useRelationPrefs } from '../../hooks/usePrefs.js';
import { useMinuteClock } from '../columns/useMinuteClock.js';
import { RecordFields } from './RecordFields.js';

export function NewRecordPage({ schema, name }: { schema: string; name: string }) {
  const { meta } = useMeta();
  const rel = findRelation(meta, schema, name);
  if (!meta) return <Loader m="xl" size="sm" />;
  if (!rel) return <Alert m="lg" color="red" title="Not found">No table or view {schema}.{name} that your role can read.</Alert>;
  if (!canInsert(rel)) return <Alert m="lg" color="gray" title="Read-only">Your role cannot add rows to {schema}.{name}.</Alert>;
  return <NewRecordForm rel={rel} meta={meta} />;
}

function NewRecordForm({ rel, meta }: { rel: MetaRelation; meta: MetaSchema }) {
  const prefs = useRelationPrefs(rel.schema, rel.name);
  const now = useMinuteClock();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // insertable columns, plus readable computed ones (shown as "set by the database")
  const columns = useMemo(
    () => resolveColumns(rel.columns.filter((c) => !c.isTsvector && (columnAccess(rel, c).insertable || readableColumns(rel).includes(c))), prefs.prefs),
    [rel, prefs.prefs],
  );
  const initial = useMemo(() => {
    const drafts: Record<string, Draft> = {};
    const placeholders: Record<string, string> = {};
    const given = new Set<string>();
    for (const c of rel.columns) {
      const d = defaultDraft(c);
      drafts[c.name] = d.draft;
      if (d.computed) placeholders[c.name] = `default: ${d.computed}`;
      else if (c.identity) placeholders[c.name] = 'set by the database';
      const p = params.get(c.name);
      if (p !== null && columnAccess(rel, c).insertable) {
        drafts[c.name] = p;
        given.add(c.name);
      }
    }
    return { drafts, placeholders, given };
  }, [rel, params]);
  const [drafts, setDrafts] = useState(initial.drafts);
  const [touched, setTouched] = useState<Set<string>>(initial.given);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function create() {
    const values: Record<string, unknown> = {};
    const errs: Record<string, string> = {};
    for (const c of rel.columns) {
      if (!columnAccess(rel, c).insertable) continue;
      const p = fromDraft(drafts[c.name] ?? '', c);
      if (!p.ok) errs[c.name] = p.error;
      // untouched fields are left to the column default (the pre-filled literal is that default)
      else if (touched.has(c.name) && !(p.value === null && c.default !== null)) values[c.name] = p.value;
    }
    setErrors(errs);
    if (Object.keys(errs).length > 0) {
      setGeneral('Some fields need fixing');
      return;
    }
    setGeneral(null);
    setSaving(true);
    try {
      const row = await insertRow(rel, values);
      notifications.show({ message: `Added to ${rel.name}`, color: 'teal' });
      navigate(row && rel.primaryKey.length ? `${relationPath(rel.schema, rel.name)}/${recordKeyOf(rel, row)}` : relationPath(rel.schema, rel.name));
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'error', String(err));
      const placed = fieldErrors(e, rel, e.code === '23514' ? await fetchChecks(rel) : []);
      setErrors(placed.fields);
      setGeneral(placed.general ?? (Object.keys(placed.fields).length ? 'The database refused some values' : null));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Stack p="lg" gap="md" style={{ overflow: 'auto' }} data-testid="new-record-page">
      <Group justify="space-between">
        <Stack gap={2}>
          <Breadcrumbs>
            <Anchor component={Link} to={relationPath(rel.schema, rel.name)} size="sm">{rel.schema}.{rel.name}</Anchor>
            <Text size="sm" c="dimmed">new</Text>
          </Breadcrumbs>
          <Title order={3}>New {rel.name} row</Title>
        </Stack>
        <Group gap="xs">
          <Button size="xs" variant="default" component={Link} to={relationPath(rel.schema, rel.name)}>Cancel</Button>
          <Button size="xs" leftSection={<IconDeviceFloppy size={14} />} loading={saving} onClick={() => void create()} data-testid="record-create">Create</Button>
        </Group>
      </Group>
      {general && <Alert color="red" icon={<IconAlertTriangle size={16} />} data-testid="record-error">{general}</Alert>}
      <RecordFields
        rel={rel} meta={meta} columns={columns} row={{}} now={now} mode="insert" placeholders={initial.placeholders}
        edit={{ drafts, errors, theirs: new Set(), clashes: {} }}
        onDraft={(c, d) => {
          setDrafts((s) => ({ ...s, [c]: d }));
          setTouched((s) => new Set(s).add(c));
          setErrors((s) => ({ ...s, [c]: '' }));
        }}
      />
    </Stack>
  );
}

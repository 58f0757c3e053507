/** Record routes: the relation must exist for the role; the record pages themselves are src/web/ui/record. */
import { useParams } from 'react-router';
import { useMeta } from '../hooks/useMeta.js';
import { findRelation } from '../core/meta.js';
import { NotFoundPage } from './NotFoundPage.js';
import { ErrorView } from '../ui/shell/ErrorView.js';
import { NewRecordPage, RecordPage } from '../ui/record/index.js';
import { Center, Loader } from '@mantine/core';

function useRelationParams() {
  const { schema = '', name = '', key = '' } = useParams();
  const { meta, error, reload } = useMeta();
  return { schema, name, key, meta, error, reload, rel: findRelation(meta, schema, name) };
}

export function RecordRoute() {
  const { schema, name, key, meta, error, reload, rel } = useRelationParams();
  if (!meta && error) return <ErrorView title="Cannot load the schema" error={error} onRetry={() => void reload()} />;
  if (!meta) return <Center p="xl"><Loader size="sm" /></Center>;
  if (!rel) return <NotFoundPage what={`No table or view ${schema}.${name} that your role can read.`} />;
  return <RecordPage key={`${schema}.${name}/${key}`} schema={schema} name={name} recordKey={key} />;
}

export function NewRecordRoute() {
  const { schema, name, meta, error, reload, rel } = useRelationParams();
  if (!meta && error) return <ErrorView title="Cannot load the schema" error={error} onRetry={() => void reload()} />;
  if (!meta) return <Center p="xl"><Loader size="sm" /></Center>;
  if (!rel) return <NotFoundPage what={`No table or view ${schema}.${name} that your role can read.`} />;
  return <NewRecordPage key={`${schema}.${name}`} schema={schema} name={name} />;
}

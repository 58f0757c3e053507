import { Center, Loader } from '@mantine/core';
import { useParams } from 'react-router';
import { useMeta } from '../hooks/useMeta.js';
import { findRelation } from '../core/meta.js';
import { DataGrid } from '../ui/grid/DataGrid.js';
import { NotFoundPage } from './NotFoundPage.js';
import { ErrorView } from '../ui/shell/ErrorView.js';

export function GridRoute() {
  const { schema = '', name = '' } = useParams();
  const { meta, error, reload } = useMeta();
  const rel = findRelation(meta, schema, name);
  if (!meta && error) return <ErrorView title="Cannot load the schema" error={error} onRetry={() => void reload()} />;
  if (!meta) return <Center p="xl"><Loader size="sm" /></Center>;
  if (!rel) return <NotFoundPage what={`No table or view ${schema}.${name} that your role can read.`} />;
  // a new relation is a new grid: state (window, selection, sizes) starts fresh
  return <DataGrid key={`${schema}.${name}`} rel={rel} />;
}

/**
 * loadSchemaCache: the system catalogs → one deep-frozen SchemaCache value.
 *
 * Two round trips in one REPEATABLE READ, READ ONLY transaction (so every
 * query sees the same catalog snapshot): first the session (current role,
 * roles, server version), then nine set-based queries pipelined together.
 * Query count does not grow with the number of tables or roles.
 */
import type { Sql } from '../db/pool.js';
import { buildFunction, buildRelation, TypeTable } from './build.js';
import { deepFreeze } from './freeze.js';
import { ViewLineage } from './lineage.js';
import { foreignKeysQuery, viewReadsQuery } from './queries/dependencies.js';
import { functionsQuery } from './queries/functions.js';
import { privilegesQuery, sessionQuery } from './queries/privileges.js';
import { checksQuery, columnsQuery, keysQuery, relationsQuery } from './queries/relations.js';
import { typesQuery } from './queries/types.js';
import { deriveRelationships, type ViewColumnSource } from './relationships.js';
import type { ForeignKey, SchemaCache } from './types.js';

export interface LoadOptions {
  /** exposed schemas, in configured order (the first is the default) */
  readonly schemas: readonly string[];
  /**
   * Roles to compute privileges for. Names that do not exist are dropped
   * (so their lookups find no privileges). Default: current_user plus every
   * role it is a member of, pg_* excluded.
   */
  readonly roles?: readonly string[];
}

export async function loadSchemaCache(sql: Sql, opts: LoadOptions): Promise<SchemaCache> {
  const schemas = [...opts.schemas];
  const rows = await sql.begin('isolation level repeatable read read only', async (tx) => {
    // catalog row estimates are poor (recursive CTEs, set-returning functions):
    // planners cost these queries high enough to trigger JIT, which alone
    // takes longer than running them
    const [, [session]] = await Promise.all([tx`set local jit = off`, sessionQuery(tx, opts.roles ?? [])]);
    if (!session) throw new Error('schema cache: session query returned no row');
    const roles = opts.roles ? session.requested : [session.me, ...session.member_of];
    const [relations, columns, keys, checks, types, viewNodes, foreignKeys, functions, privileges] = await Promise.all([
      relationsQuery(tx, schemas),
      columnsQuery(tx, schemas),
      keysQuery(tx, schemas),
      checksQuery(tx, schemas),
      typesQuery(tx, schemas),
      viewReadsQuery(tx, schemas),
      foreignKeysQuery(tx, schemas),
      functionsQuery(tx, schemas, roles),
      privilegesQuery(tx, schemas, roles, session.server_version),
    ]);
    return { session, roles, relations, columns, keys, checks, types, viewNodes, foreignKeys, functions, privileges };
  });

  const types = new TypeTable(rows.types);
  const lineage = new ViewLineage(rows.viewNodes);
  const columnsByRel = groupBy(rows.columns, (c) => c.rel);
  const keysByRel = groupBy(rows.keys, (k) => k.rel);
  const checksByRel = groupBy(rows.checks, (c) => c.rel);
  const privilegesByRel = groupBy(rows.privileges, (p) => p.rel);

  const relations = rows.relations.map((r) => {
    const isView = r.relkind === 'v' || r.relkind === 'm';
    return buildRelation(
      r,
      {
        columns: columnsByRel.get(r.oid) ?? [],
        keys: keysByRel.get(r.oid) ?? [],
        checks: checksByRel.get(r.oid) ?? [],
        privileges: privilegesByRel.get(r.oid) ?? [],
        dependsOn: isView ? lineage.dependsOn(r.oid) : [],
        policyReads: lineage.storedOids(r.policy_reads.map(Number)),
      },
      types,
      rows.roles,
    );
  });

  const viewSources = new Map<number, readonly ViewColumnSource[]>();
  for (const rel of relations) {
    if (rel.kind !== 'view' && rel.kind !== 'materialized_view') continue;
    const names = new Map(rel.columns.map((c) => [c.position, c.name]));
    viewSources.set(rel.oid, lineage.columnSources(rel.oid, (attnum) => names.get(attnum)));
  }
  const relationships = deriveRelationships(
    relations,
    rows.foreignKeys.map((fk) => ({
      name: fk.name,
      rel: fk.rel,
      refRel: fk.ref_rel,
      attnums: fk.attnums,
      refAttnums: fk.ref_attnums,
      columns: fk.columns,
      refColumns: fk.ref_columns,
      sourceUnique: fk.source_unique,
    })),
    viewSources,
  );

  const foreignKeys: ForeignKey[] = rows.foreignKeys
    .filter((fk) => fk.exposed)
    .map((fk) => ({
      name: fk.name,
      schema: fk.schema,
      table: fk.table,
      columns: fk.columns,
      refSchema: fk.ref_schema,
      refTable: fk.ref_table,
      refColumns: fk.ref_columns,
    }));

  const usedTypes = new Set<number>();
  for (const c of rows.columns) for (const t of types.resolve(c.type_oid).chain) usedTypes.add(t.oid);
  const { enums, domains } = types.enumsAndDomains(usedTypes);

  return deepFreeze<SchemaCache>({
    schemas,
    relations,
    foreignKeys,
    relationships,
    functions: rows.functions.map(buildFunction),
    enums,
    domains,
    roles: rows.roles,
    serverVersion: rows.session.server_version,
    loadedAt: Date.now(),
  });
}

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(item);
  }
  return out;
}

/**
 * Pure assembly of catalog rows into SchemaCache pieces: type resolution
 * (domains → base, arrays → element), columns, relations, functions.
 */
import type { CheckRow, ColumnRow, KeyRow, RelationRow } from './queries/relations.js';
import type { FunctionRow } from './queries/functions.js';
import type { PrivilegeRow } from './queries/privileges.js';
import type { TypeRow } from './queries/types.js';
import type {
  CheckConstraint,
  Column,
  DbFunction,
  DomainType,
  EnumType,
  FunctionArg,
  QualifiedName,
  RelKind,
  Relation,
  RolePrivileges,
} from './types.js';

const KINDS: Record<string, RelKind> = {
  r: 'table',
  v: 'view',
  m: 'materialized_view',
  f: 'foreign_table',
  p: 'partitioned_table',
};

export interface ResolvedType {
  /** the element type after unwrapping domains and arrays */
  readonly base: TypeRow;
  /** domains met before any array, outermost first (their NOT NULL / CHECKs bind the column) */
  readonly domains: readonly TypeRow[];
  readonly arrayDepth: number;
  /** every type met on the way, the column's own type first */
  readonly chain: readonly TypeRow[];
}

export class TypeTable {
  private readonly byOid: Map<number, TypeRow>;

  constructor(rows: readonly TypeRow[]) {
    this.byOid = new Map(rows.map((t) => [t.oid, t]));
  }

  resolve(oid: number): ResolvedType {
    let cur = this.must(oid);
    const domains: TypeRow[] = [];
    const chain: TypeRow[] = [cur];
    let arrayDepth = 0;
    // bounded: a type chain longer than this would be a catalog inconsistency
    for (let guard = 0; guard < 64; guard++) {
      if (cur.typtype === 'd') {
        if (arrayDepth === 0) domains.push(cur);
        cur = this.must(cur.basetype);
        chain.push(cur);
      } else if (cur.typtype === 'b' && cur.elem !== 0 && cur.len === -1) {
        arrayDepth++;
        cur = this.must(cur.elem);
        chain.push(cur);
      } else {
        break;
      }
    }
    return { base: cur, domains, arrayDepth, chain };
  }

  /** enums and domains of the exposed schemas, plus those exposed columns use */
  enumsAndDomains(usedOids: ReadonlySet<number>): { enums: EnumType[]; domains: DomainType[] } {
    const enums: EnumType[] = [];
    const domains: DomainType[] = [];
    for (const t of this.byOid.values()) {
      if (!t.exposed && !usedOids.has(t.oid)) continue;
      if (t.typtype === 'e') enums.push({ schema: t.schema, name: t.name, labels: t.labels ?? [] });
      if (t.typtype === 'd') {
        domains.push({
          schema: t.schema,
          name: t.name,
          baseType: t.domain_base ?? '',
          nullable: !t.not_null,
          checks: t.checks ?? [],
        });
      }
    }
    return { enums, domains };
  }

  private must(oid: number): TypeRow {
    const t = this.byOid.get(oid);
    if (!t) throw new Error(`schema cache: type ${oid} missing from the type closure`);
    return t;
  }
}

export function buildColumn(row: ColumnRow, types: TypeTable, tableChecks: readonly string[]): Column {
  const { base, domains, arrayDepth } = types.resolve(row.type_oid);
  const outer = domains[0];
  return {
    name: row.name,
    position: row.attnum,
    type: row.type,
    typeOid: row.type_oid,
    baseTypeName: base.name,
    baseTypeSchema: base.schema,
    category: base.category,
    arrayDims: row.ndims > 0 ? row.ndims : arrayDepth > 0 ? 1 : 0,
    domain: outer ? { schema: outer.schema, name: outer.name } : null,
    enumLabels: base.typtype === 'e' ? (base.labels ?? []) : null,
    nullable: !row.not_null && !domains.some((d) => d.not_null),
    default: row.default,
    identity: row.identity === 'a' ? 'always' : row.identity === 'd' ? 'by default' : null,
    generated: row.generated === 's',
    maxLength: row.max_length,
    precision: row.precision,
    scale: row.scale,
    comment: row.comment,
    checks: [...tableChecks, ...domains.flatMap((d) => d.checks ?? [])],
    isTsvector: arrayDepth === 0 && base.schema === 'pg_catalog' && base.name === 'tsvector',
    ...(row.nondeterministic ? { nondeterministic: true } : {}),
  };
}

export interface RelationParts {
  readonly columns: readonly ColumnRow[];
  readonly keys: readonly KeyRow[];
  readonly checks: readonly CheckRow[];
  readonly privileges: readonly PrivilegeRow[];
  readonly dependsOn: readonly QualifiedName[];
  readonly policyReads: readonly number[];
}

const NO_PRIVILEGES: RolePrivileges = { select: [], insert: [], update: [], delete: false, refresh: false };

export function buildRelation(row: RelationRow, parts: RelationParts, types: TypeTable, roles: readonly string[]): Relation {
  const kind = KINDS[row.relkind];
  if (!kind) throw new Error(`schema cache: unexpected relkind ${row.relkind}`);

  const checks: CheckConstraint[] = parts.checks.map((c) => ({ name: c.name, definition: c.definition, columns: c.columns }));
  const columnChecks = new Map<string, string[]>();
  for (const c of checks) {
    const only = c.columns.length === 1 ? c.columns[0] : undefined;
    if (only !== undefined) columnChecks.set(only, [...(columnChecks.get(only) ?? []), c.definition]);
  }

  const primaryKey = parts.keys.find((k) => k.primary)?.columns ?? [];
  const uniques: string[][] = [];
  const seen = new Set<string>();
  for (const k of parts.keys) {
    const id = JSON.stringify(k.columns);
    if (k.primary || seen.has(id)) continue;
    seen.add(id);
    uniques.push(k.columns);
  }

  const privileges: Record<string, RolePrivileges> = {};
  for (const role of roles) privileges[role] = NO_PRIVILEGES;
  for (const p of parts.privileges) {
    privileges[p.role] = { select: p.select, insert: p.insert, update: p.update, delete: p.delete, refresh: p.refresh };
  }

  const { insertable, updatable, deletable } = writability(kind, row);
  return {
    schema: row.schema,
    name: row.name,
    kind,
    oid: row.oid,
    comment: row.comment,
    columns: parts.columns.map((c) => buildColumn(c, types, columnChecks.get(c.name) ?? [])),
    primaryKey,
    uniques,
    checks,
    insertable,
    updatable,
    deletable,
    rlsEnabled: row.rls_enabled,
    rlsForced: row.rls_forced,
    policyColumns: row.policy_columns,
    estimatedRows: row.estimated_rows,
    dependsOn: parts.dependsOn,
    policyReads: parts.policyReads,
    privileges,
  };
}

function writability(kind: RelKind, row: RelationRow): { insertable: boolean; updatable: boolean; deletable: boolean } {
  switch (kind) {
    case 'table':
    case 'partitioned_table':
      return { insertable: true, updatable: true, deletable: true };
    case 'materialized_view':
      return { insertable: false, updatable: false, deletable: false };
    case 'view':
    case 'foreign_table': {
      const m = row.updatable_mask;
      const t = row.instead_mask;
      return {
        insertable: (m & 8) !== 0 || (t & 4) !== 0,
        updatable: (m & 4) !== 0 || (t & 16) !== 0,
        deletable: (m & 16) !== 0 || (t & 8) !== 0,
      };
    }
  }
}

const VOLATILITY = { i: 'immutable', s: 'stable', v: 'volatile' } as const;
const ARG_MODES = { i: 'in', b: 'inout', v: 'variadic' } as const;

export function buildFunction(row: FunctionRow): DbFunction {
  const inputs: Omit<FunctionArg, 'hasDefault'>[] = [];
  let outArgs = 0;
  row.arg_types.forEach((typeOid, i) => {
    const m = row.arg_modes[i] ?? 'i';
    if (m === 'o' || m === 't') {
      outArgs++;
      return;
    }
    const mode = ARG_MODES[m as keyof typeof ARG_MODES];
    if (!mode) throw new Error(`schema cache: unexpected argument mode ${m} in ${row.schema}.${row.name}`);
    inputs.push({ name: row.arg_names[i] ?? '', type: row.arg_type_names[i] ?? '', typeOid, mode });
  });
  // the defaults belong to the last pronargdefaults input arguments
  const firstDefault = inputs.length - row.n_defaults;
  const args: FunctionArg[] = inputs.map((a, i) => ({ ...a, hasDefault: i >= firstDefault }));

  const returnsComposite = row.return_is_composite || (row.return_is_record && outArgs + countInout(args) > 0);
  const volatility = VOLATILITY[row.volatility as keyof typeof VOLATILITY];
  if (!volatility) throw new Error(`schema cache: unexpected volatility ${row.volatility}`);
  return {
    schema: row.schema,
    name: row.name,
    oid: row.oid,
    args,
    returnType: row.return_type,
    returnsSet: row.returns_set,
    returnsRelation:
      row.return_rel_schema !== null && row.return_rel_name !== null
        ? { schema: row.return_rel_schema, name: row.return_rel_name }
        : null,
    returnsComposite,
    returnsScalar: !returnsComposite,
    volatility,
    comment: row.comment,
    executableBy: row.executable_by,
  };
}

function countInout(args: readonly FunctionArg[]): number {
  return args.filter((a) => a.mode === 'inout').length;
}

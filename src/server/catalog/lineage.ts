/**
 * View lineage from the dependency closure rows (queries/dependencies.ts):
 * which base relations a view reads (dependsOn), and which table column each
 * view column shows unchanged (for carrying foreign keys over to views).
 */
import type { ViewNodeRow } from './queries/dependencies.js';
import type { QualifiedName } from './types.js';
import { viewColumnOrigins, type ColumnOrigin } from './nodetree.js';
import type { ViewColumnSource } from './relationships.js';

/** relkinds that hold (or stand for) rows of their own: the leaves of dependsOn */
const STORED = new Set(['r', 'p', 'f', 'm']);

export class ViewLineage {
  private readonly nodes: Map<number, ViewNodeRow>;
  private readonly origins = new Map<number, Map<number, ColumnOrigin>>();

  constructor(rows: readonly ViewNodeRow[]) {
    this.nodes = new Map(rows.map((r) => [r.oid, r]));
  }

  /**
   * The stored relations `viewOid` reads, recursively through plain views,
   * sorted by schema then name. A materialized view is a leaf when read by
   * another view, but its own rule is followed when it is the one asked about.
   */
  dependsOn(viewOid: number): QualifiedName[] {
    const seen = new Set<number>([viewOid]);
    const leaves = new Map<number, QualifiedName>();
    const queue = [...(this.nodes.get(viewOid)?.reads ?? [])];
    while (queue.length > 0) {
      const oid = queue.pop()!;
      if (seen.has(oid)) continue;
      seen.add(oid);
      const node = this.nodes.get(oid);
      if (!node) continue;
      if (node.relkind === 'v') queue.push(...node.reads);
      else if (STORED.has(node.relkind)) leaves.set(oid, { schema: node.schema, name: node.name });
    }
    return [...leaves.values()].sort((a, b) =>
      a.schema === b.schema ? cmp(a.name, b.name) : cmp(a.schema, b.schema),
    );
  }

  /**
   * The given relations with each plain view replaced by the stored relations
   * it reads (recursively), as sorted oids; relations the lineage does not
   * know (outside the exposed schemas) stay as they are.
   */
  storedOids(oids: readonly number[]): number[] {
    const out = new Set<number>();
    const seen = new Set<number>();
    const queue = [...oids];
    while (queue.length > 0) {
      const oid = queue.pop()!;
      if (seen.has(oid)) continue;
      seen.add(oid);
      const node = this.nodes.get(oid);
      if (node?.relkind === 'v') queue.push(...node.reads);
      else out.add(oid);
    }
    return [...out].sort((a, b) => a - b);
  }

  /**
   * For each column of the view that is a plain reference to a stored
   * relation's column (through any number of views), where it comes from.
   * `columnName(attnum)` names the view's columns.
   */
  columnSources(viewOid: number, columnName: (attnum: number) => string | undefined): ViewColumnSource[] {
    const out: ViewColumnSource[] = [];
    for (const origin of this.originsOf(viewOid).values()) {
      const base = this.resolve(origin.relOid, origin.attnum, new Set([viewOid]));
      const column = columnName(origin.resno);
      if (base && column !== undefined) out.push({ column, tableOid: base.relOid, attnum: base.attnum });
    }
    return out;
  }

  private resolve(relOid: number, attnum: number, visiting: Set<number>): ColumnOrigin | null {
    const node = this.nodes.get(relOid);
    if (!node || node.relkind !== 'v') return { resno: attnum, relOid, attnum };
    if (visiting.has(relOid)) return null;
    visiting.add(relOid);
    const next = this.originsOf(relOid).get(attnum);
    return next ? this.resolve(next.relOid, next.attnum, visiting) : null;
  }

  private originsOf(viewOid: number): Map<number, ColumnOrigin> {
    let map = this.origins.get(viewOid);
    if (!map) {
      const action = this.nodes.get(viewOid)?.action;
      map = new Map((action ? safeOrigins(action) : []).map((o) => [o.resno, o]));
      this.origins.set(viewOid, map);
    }
    return map;
  }
}

/** An unparseable rule (a future node format) only costs the view its relationships. */
function safeOrigins(action: string): ColumnOrigin[] {
  try {
    return viewColumnOrigins(action);
  } catch {
    return [];
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

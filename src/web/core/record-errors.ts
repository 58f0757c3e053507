/**
 * Database errors → the form field they are about. PostgreSQL names the
 * column in NOT NULL violations and in unique / foreign key details, and the
 * constraint in CHECK violations (mapped to its columns by /meta/constraints,
 * or to the columns of the domain it belongs to).
 */
import type { MetaRelation } from './meta.js';

export interface CheckInfo {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface DbError {
  readonly code: string;
  readonly message: string;
  readonly details?: string | null;
  readonly hint?: string | null;
}

export interface FieldErrors {
  /** column → message */
  readonly fields: Record<string, string>;
  /** what could not be placed on a field */
  readonly general: string | null;
}

function keyColumns(details: string | null | undefined): string[] {
  // 'Key (customer_id)=(99) is not present…', 'Key (name, "Order")=(…) already exists.'
  const m = /Key \(([^)]*)\)=/.exec(details ?? '');
  return m ? m[1]!.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1').replaceAll('""', '"')) : [];
}

export function fieldErrors(err: DbError, rel: MetaRelation, checks: readonly CheckInfo[] = []): FieldErrors {
  const known = new Set(rel.columns.map((c) => c.name));
  const on = (columns: readonly string[], message: string): FieldErrors => {
    const placed = columns.filter((c) => known.has(c));
    return placed.length > 0 ? { fields: Object.fromEntries(placed.map((c) => [c, message])), general: null } : { fields: {}, general: message };
  };
  switch (err.code) {
    case '23502': {
      const col = /column "((?:[^"]|"")+)"/.exec(err.message)?.[1];
      return on(col ? [col] : [], 'required: this field cannot be empty');
    }
    case '23514': {
      const constraint = /constraint "((?:[^"]|"")+)"/.exec(err.message)?.[1] ?? '';
      const domain = /value for domain ([\w."]+) violates/.exec(err.message)?.[1]?.replaceAll('"', '');
      const message = `violates the check ${constraint}`;
      if (domain) {
        const short = domain.split('.').pop()!;
        return on(rel.columns.filter((c) => c.domain === domain || c.domain?.endsWith(`.${short}`)).map((c) => c.name), message);
      }
      const check = checks.find((c) => c.name === constraint);
      if (check) return on(check.columns, message);
      // PostgreSQL's default name for a column check: <table>_<column>_check
      const guess = rel.columns.find((c) => constraint === `${rel.name}_${c.name}_check`);
      return on(guess ? [guess.name] : [], `${message}${err.details ? ` (${err.details})` : ''}`);
    }
    case '23505':
      return on(keyColumns(err.details), 'already used by another row');
    case '23503':
      // deleting a row others still point at is about the row, not a field
      if (/still referenced/.test(err.details ?? '')) return { fields: {}, general: `${err.message} — ${err.details}` };
      return on(keyColumns(err.details), 'no such referenced row');
    default:
      return { fields: {}, general: err.details ? `${err.message} — ${err.details}` : err.message };
  }
}

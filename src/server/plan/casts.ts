/**
 * col::type casts in `select`. Type names cannot be bind parameters, so a cast
 * is only accepted when it maps to a known built-in type name; the canonical
 * pg_type name is then quoted with quoteIdent by sql/.
 */
import { PgliveError } from '../errors.js';

const ALIASES: Readonly<Record<string, string>> = {
  text: 'text', varchar: 'varchar', 'character varying': 'varchar', char: 'bpchar', character: 'bpchar', bpchar: 'bpchar',
  name: 'name', citext: 'citext',
  int: 'int4', integer: 'int4', int4: 'int4', smallint: 'int2', int2: 'int2', bigint: 'int8', int8: 'int8',
  numeric: 'numeric', decimal: 'numeric', real: 'float4', float4: 'float4', 'double precision': 'float8', float8: 'float8', float: 'float8',
  money: 'money',
  bool: 'bool', boolean: 'bool',
  date: 'date', time: 'time', timetz: 'timetz', timestamp: 'timestamp', timestamptz: 'timestamptz', interval: 'interval',
  json: 'json', jsonb: 'jsonb', uuid: 'uuid', bytea: 'bytea', inet: 'inet', cidr: 'cidr', macaddr: 'macaddr',
  tsvector: 'tsvector', tsquery: 'tsquery', xml: 'xml', oid: 'oid',
};

/** Returns the canonical type name (possibly with a trailing [] for arrays) or throws PGLIVE106. */
export function canonicalCast(raw: string): string {
  const t = raw.trim().toLowerCase();
  const isArray = t.endsWith('[]');
  const base = isArray ? t.slice(0, -2).trim() : t;
  const canon = ALIASES[base];
  if (!canon) {
    throw new PgliveError('PGLIVE106', `Cannot cast to "${raw}": unknown or unsupported type`, {
      hint: `Supported casts: ${Object.keys(ALIASES).join(', ')} (and arrays of them, e.g. text[])`,
    });
  }
  return isArray ? canon + '[]' : canon;
}

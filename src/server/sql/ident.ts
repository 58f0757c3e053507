/**
 * The one identifier-quoting function. Every identifier pglive puts into SQL
 * text goes through quoteIdent (after being checked against the SchemaCache
 * by plan/); every value is a bind parameter. Grep for `quoteIdent(` to audit.
 */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error('quoteIdent: empty identifier');
  if (name.includes('\0')) throw new Error('quoteIdent: NUL in identifier');
  return '"' + name.replaceAll('"', '""') + '"';
}

/** "schema"."name" */
export function quoteQualified(schema: string, name: string): string {
  return quoteIdent(schema) + '.' + quoteIdent(name);
}

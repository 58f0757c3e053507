/**
 * Server → client messages that go to many subscribers, serialised by hand
 * around parts serialised once: a view's patch ops (JSON text, shared by
 * every subscriber that held the previous version) and its rows (the JSON
 * text PostgreSQL rendered, never parsed to be sent). Each function writes
 * exactly what JSON.stringify writes for the same message object, field
 * order included (wire.test.ts checks both against the protocol schema).
 */

/** a `patch` message; `opsJson` is the ops array as JSON text */
export function patchText(id: string, fromVersion: number, toVersion: number, opsJson: string, total: number | null): string {
  return `{"type":"patch","id":${JSON.stringify(id)},"fromVersion":${fromVersion},"toVersion":${toVersion},"ops":${opsJson},"total":${total === null ? 'null' : String(total)}}`;
}

/** a `snapshot` message; `rowTexts` are the rows as JSON text, in `keys` order */
export function snapshotText(
  id: string,
  version: number,
  keys: readonly string[],
  rowTexts: readonly string[],
  total: number | null,
  mode: 'live' | 'polling',
): string {
  return (
    `{"type":"snapshot","id":${JSON.stringify(id)},"version":${version},"keys":${JSON.stringify(keys)},` +
    `"rows":[${rowTexts.join(',')}],"total":${total === null ? 'null' : String(total)},"mode":"${mode}"}`
  );
}

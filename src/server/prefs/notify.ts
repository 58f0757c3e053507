/**
 * The control-channel notice that tells every pglive process (and through the
 * live engine every open socket) that a relation's column preferences changed.
 * Sent with pg_notify in the writing transaction, so it is delivered on commit
 * and to every process sharing the database.
 *
 * Payload: `prefs {"schema":"public","relation":"orders"}` — JSON, because
 * identifiers may contain dots and spaces.
 */
import type { TxSql } from '../db/pool.js';
import { CONTROL_CHANNEL } from '../live/listener.js';

const PREFIX = 'prefs ';

export interface PrefsNotice {
  readonly schema: string;
  readonly relation: string;
}

export function prefsNoticePayload(n: PrefsNotice): string {
  return PREFIX + JSON.stringify({ schema: n.schema, relation: n.relation });
}

/** the notice in a control payload, or null when the payload is something else */
export function parsePrefsNotice(payload: string): PrefsNotice | null {
  if (!payload.startsWith(PREFIX)) return null;
  try {
    const v = JSON.parse(payload.slice(PREFIX.length)) as unknown;
    if (typeof v !== 'object' || v === null) return null;
    const { schema, relation } = v as Record<string, unknown>;
    return typeof schema === 'string' && typeof relation === 'string' ? { schema, relation } : null;
  } catch {
    return null;
  }
}

export async function notifyPrefsChanged(tx: TxSql, n: PrefsNotice): Promise<void> {
  await tx`select pg_notify(${CONTROL_CHANNEL}, ${prefsNoticePayload(n)})`;
}

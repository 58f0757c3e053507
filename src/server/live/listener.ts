/**
 * The one LISTEN connection of a pglive process (postgres.js keeps all
 * listened channels on one dedicated connection and reconnects with backoff).
 * After any reconnect, notifications may have been lost: the caller resyncs
 * (reload the schema, re-evaluate every live view).
 */
import type { Sql } from '../db/pool.js';

export const CHANGES_CHANNEL = 'pglive_changes';
export const CONTROL_CHANNEL = 'pglive';

export interface ListenerHandlers {
  change(payload: string): void;
  control(payload: string): void;
  /** the LISTEN connection came back after a loss */
  reconnected(): void;
}

export interface Listener {
  /** how many times the connection was (re)established */
  readonly connects: () => number;
  close(): Promise<void>;
}

export async function startListener(sql: Sql, h: ListenerHandlers): Promise<Listener> {
  let connects = 0;
  const onListen = () => {
    connects++;
    if (connects > 1) h.reconnected();
  };
  const a = await sql.listen(CHANGES_CHANNEL, (p) => h.change(p), onListen);
  // the control channel shares the connection; its onlisten would double-count
  const b = await sql.listen(CONTROL_CHANNEL, (p) => h.control(p));
  return {
    connects: () => connects,
    async close() {
      await a.unlisten().catch(() => {});
      await b.unlisten().catch(() => {});
    },
  };
}

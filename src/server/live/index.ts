/**
 * Wires the live engine into an app: change capture installation, the LISTEN
 * connection, schema reload handling, the /live websocket, polling fallbacks.
 */
import type { FastifyInstance } from 'fastify';
import type { AuthService } from '../auth/plugin.js';
import type { SchemaStore } from '../catalog/store.js';
import type { Config } from '../config/types.js';
import type { Sql } from '../db/pool.js';
import { CLOSE } from '../../protocol/live.js';
import { decodeChange } from './capture/decode.js';
import { parsePrefsNotice } from '../prefs/notify.js';
import { installCapture, readCaptureSecret, type CaptureReport, type CaptureSecret } from './capture/install.js';
import { catalogFingerprint, membershipFingerprints } from './capture/fingerprint.js';
import { LiveEngine } from './engine.js';
import { startListener, type Listener } from './listener.js';
import { registerLiveSocket, type LiveLimits, type LiveSockets } from './socket.js';

/** how soon the role memberships of a new view's role are read (see roleCheckMs) */
const BASELINE_MS = 100;

export interface LiveOptions {
  /** install / sync the capture triggers at start and after schema changes (default true) */
  readonly installTriggers?: boolean;
  readonly coalesceMs?: number;
  /** evaluation round trips at once (default and maximum: the pool size - 2, at most 8) */
  readonly concurrency?: number;
  /**
   * views evaluated per round trip, pipelined on one connection (default 1:
   * on the 2-core bench machine, batches saved pglive CPU but cost latency,
   * since one connection runs its batch serially; see BENCHMARKS.md)
   */
  readonly batchMax?: number;
  readonly limits?: Partial<LiveLimits>;
  /** polling period when triggers are unavailable (ms) */
  readonly pollMs?: number;
  /** catalog check period when event triggers are unavailable (ms) */
  readonly catalogCheckMs?: number;
  /** role membership check period (ms; GRANT of a role fires no event trigger) */
  readonly roleCheckMs?: number;
}

export interface LiveHandle {
  readonly engine: LiveEngine;
  readonly sockets: LiveSockets;
  capture(): CaptureReport | null;
  listener(): Listener | null;
  close(): Promise<void>;
}

export interface LiveDeps {
  readonly app: FastifyInstance;
  readonly sql: Sql;
  readonly schema: SchemaStore;
  readonly auth: AuthService;
  readonly config: Config;
  readonly options: LiveOptions;
  readonly log: (msg: string) => void;
}

export async function startLive(deps: LiveDeps): Promise<LiveHandle> {
  const { sql, schema, options, log } = deps;
  let secret: CaptureSecret | null = null;
  const engine = new LiveEngine({
    secret: () => secret,
    sql,
    cache: () => schema.current,
    statementTimeoutMs: deps.config.statementTimeoutMs,
    coalesceMs: options.coalesceMs ?? 2,
    concurrency: Math.max(1, Math.min(options.concurrency ?? 8, 8, deps.config.poolSize - 2)),
    ...(options.batchMax ? { batchMax: options.batchMax } : {}),
    log,
  });
  const sockets = registerLiveSocket(deps.app, { engine, auth: deps.auth, ...(options.limits ? { limits: options.limits } : {}) });

  let report: CaptureReport | null = null;
  const install = async (): Promise<void> => {
    if (options.installTriggers === false) return;
    try {
      report = await installCapture(sql, schema.current, { log });
      engine.mode = report.mode;
      secret = report.mode === 'live' ? await readCaptureSecret(sql) : null;
    } catch (e) {
      engine.mode = 'polling';
      log(`pglive: change capture could not be installed (${e instanceof Error ? e.message : String(e)}); live views poll`);
    }
  };
  await install();

  const unsubscribeReload = schema.onReload(() => {
    void install().then(() => {
      engine.schemaReloaded();
      sockets.broadcast({ type: 'schema-changed', at: Date.now() });
    });
  });
  // a successful reload re-plans and re-evaluates every view (schemaReloaded, above); false: it failed
  const reload = (): Promise<boolean> =>
    schema.reload().then(
      () => true,
      (e: unknown) => {
        log(`pglive: schema reload failed: ${e instanceof Error ? e.message : String(e)}`);
        return false;
      },
    );
  // everything may have changed: reload the schema, or at least evaluate every view again
  const resync = () => void reload().then((ok) => ok || engine.markAll());

  const listener = await startListener(sql, {
    change(payload) {
      const ev = decodeChange(payload);
      if (ev) engine.relationChanged(ev.relOid, ev.keys, ev.images, ev.changed);
    },
    control(payload) {
      if (payload === 'reload schema') void reload();
      const prefs = parsePrefsNotice(payload);
      if (prefs) sockets.broadcast({ type: 'prefs-changed', ...prefs });
    },
    reconnected() {
      log('pglive: LISTEN connection re-established; resyncing schema and live views');
      resync();
    },
  });

  const timers: NodeJS.Timeout[] = [];
  if (engine.mode === 'polling') {
    log(`pglive: live views poll every ${options.pollMs ?? 2000} ms (no change capture)`);
    timers.push(setInterval(() => engine.markAll(), options.pollMs ?? 2000));
  }
  if (report && !(report as CaptureReport).eventTriggers) {
    let last = await catalogFingerprint(sql, schema.current.schemas).catch(() => '');
    timers.push(
      setInterval(() => {
        void catalogFingerprint(sql, schema.current.schemas)
          .then((fp) => {
            if (fp !== last) {
              last = fp;
              void reload();
            }
          })
          .catch(() => {});
      }, options.catalogCheckMs ?? 5000),
    );
  }
  // A role granted to or revoked from a role that views run as: privileges are computed again and
  // every view is evaluated again (policies may test membership). A role's memberships are first
  // read within BASELINE_MS of its first view (a grant in between goes unseen until the next
  // change), then compared every roleCheckMs.
  const memberships = new Map<string, string>();
  const reading = new Set<string>();
  /** reads the memberships of `roles`; true when one read before has changed */
  const readMemberships = async (roles: string[]): Promise<boolean> => {
    for (const r of roles) reading.add(r);
    try {
      const now = await membershipFingerprints(sql, roles);
      let changed = false;
      for (const r of roles) {
        const fp = now.get(r) ?? '-'; // a superuser, or a role dropped since
        const was = memberships.get(r);
        if (was !== undefined && was !== fp) changed = true;
        memberships.set(r, fp);
      }
      return changed;
    } finally {
      for (const r of roles) reading.delete(r);
    }
  };
  const viewRoles = () => [...new Set([...engine.views.values()].map((v) => v.principal.role))].filter((r) => !reading.has(r));
  timers.push(
    setInterval(() => {
      const unseen = viewRoles().filter((r) => !memberships.has(r));
      if (unseen.length > 0) readMemberships(unseen).catch(() => {});
    }, BASELINE_MS),
    setInterval(() => {
      const known = viewRoles().filter((r) => memberships.has(r));
      if (known.length === 0) return;
      readMemberships(known)
        .then((changed) => {
          if (!changed) return;
          log('pglive: role memberships changed; reloading the schema and re-evaluating live views');
          resync();
        })
        .catch(() => {});
    }, options.roleCheckMs ?? 5000),
  );
  for (const t of timers) t.unref();

  return {
    engine,
    sockets,
    capture: () => report,
    listener: () => listener,
    async close() {
      for (const t of timers) clearInterval(t);
      unsubscribeReload();
      sockets.closeAll(CLOSE.SHUTTING_DOWN, 'server shutting down');
      engine.close();
      await listener.close();
    },
  };
}

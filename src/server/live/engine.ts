/**
 * The live engine: shared live views, matched to changes by lookup, evaluated
 * once per wake-up under their role, diffed against what each subscriber holds.
 *
 * - A SharedView is one (role, claims, table, query, count): identical
 *   subscriptions share one evaluation (multiplexing).
 * - byRel indexes views by the oid of every relation they read: a change finds
 *   its views in O(affected).
 * - Changes only mark views dirty; a flush a few ms later evaluates each dirty
 *   view once (coalescing). Nothing changes → no query.
 * - Every subscriber keeps the RowState (keys + row values) it was last sent;
 *   a backpressured subscriber is skipped and later gets ONE patch from what it
 *   holds to the current state (bounded, coalescing outbox).
 * - Views are registered in byRel BEFORE their first evaluation, so a commit
 *   that lands during the snapshot marks the view dirty: no gap after subscribe.
 */
import type { SchemaCache } from '../catalog/types.js';
import type { Sql } from '../db/pool.js';
import { PgliveError, isPgliveError } from '../errors.js';
import { toPgliveError as toKnownError } from '../http/errors.js';
import { isDriverPgError } from '../db/pool.js';
import type { CallerPrincipal } from '../http/rest.js';
import type { PatchOp, ServerMessage } from '../../protocol/live.js';
import { diffStates } from '../../protocol/diff.js';
import { rowAt, rowStateFromTexts, sameFields, type RowState } from '../../protocol/rowstate.js';
import { performance } from 'node:perf_hooks';
import { compileView, evaluateViews, planView, type CompiledView, type Evaluation, type PlannedView, type ViewSpec } from './evaluate.js';
import { compileMatcher, type ViewMatcher } from './match.js';
import { patchText, snapshotText } from './wire.js';
import type { CaptureSecret } from './capture/install.js';
import type { ChangeEvent } from './capture/decode.js';

/** A wire error re-thrown to the socket layer (which sends code/message/details/hint as they are). */
export class PgliveErrorFromWire extends Error {
  constructor(readonly body: { code: string; message: string; details: string | null; hint: string | null }) {
    super(body.message);
  }
}

export interface Subscriber {
  readonly id: string;
  readonly principal: CallerPrincipal;
  send(msg: ServerMessage): void;
  /** sends a message already serialised (patches and snapshots are built once per view, see wire.ts) */
  sendText(text: string): void;
  backpressured(): boolean;
  /** what this subscriber was last sent; null before its snapshot */
  held: RowState | null;
  heldVersion: number;
  view: SharedView | null;
}

export interface LogEntry {
  readonly from: number;
  readonly to: number;
  /** the ops as JSON text (kept as text: parsed objects cost several times more memory) */
  readonly ops: string;
  readonly total: number | null;
}

export class SharedView {
  planned: CompiledView;
  /** decides from row images whether a change can touch this view; null: every change can */
  matcher: ViewMatcher | null = null;
  /** the current result: keys, and rows as value arrays (see protocol/rowstate.ts) */
  state: RowState | null = null;
  /** the rows of the current state as JSON object texts, while snapshots of it are being sent */
  private snapshotRows: { readonly state: RowState; readonly texts: readonly string[] } | null = null;

  /** the current rows as JSON object texts, built once for the snapshots sent in one tick */
  rowTexts(): readonly string[] {
    const state = this.state!;
    if (this.snapshotRows?.state !== state) {
      this.snapshotRows = { state, texts: state.keys.map((_, i) => JSON.stringify(rowAt(state, i))) };
      setImmediate(() => {
        this.snapshotRows = null;
      }).unref();
    }
    return this.snapshotRows.texts;
  }
  total: number | null = null;
  version = 0;
  readonly subs = new Set<Subscriber>();
  readonly log: LogEntry[] = [];
  logBytes = 0;
  dirty = false;
  running: Promise<void> | null = null;
  idleSince: number | null = null;
  /** when a subscriber last left (ms): the patch log is kept in full for a while after (resumes) */
  leftAt = 0;
  error: { code: string; message: string; details: string | null; hint: string | null } | null = null;
  /** current retry delay after a failed evaluation (0 = none) */
  retryMs = 0;
  /** holds a row the pending change touched: evaluate before the others */
  urgent = false;
  /** a pending change may have changed the total (else the next evaluation keeps it and skips the count) */
  needsCount = true;
  /** evaluations run (for tests and benchmarks) */
  evaluations = 0;

  /** views with the same context (role, claims, user) can be evaluated in one transaction */
  readonly contextKey: string;

  constructor(
    readonly key: string,
    readonly spec: ViewSpec,
    readonly principal: CallerPrincipal,
    planned: CompiledView,
  ) {
    this.planned = planned;
    this.contextKey = JSON.stringify([principal.role, principal.claims, principal.userId]);
    this.countKey = countKeyOf(this.contextKey, spec);
  }

  /** views with the same count key have the same total: they differ only in their window or order */
  readonly countKey: string;
}

/** the view's query without what does not change its total (the window and the order) */
function countKeyOf(contextKey: string, spec: ViewSpec): string {
  const params = new URLSearchParams(spec.query);
  for (const name of ['limit', 'offset', 'order']) params.delete(name);
  return JSON.stringify([contextKey, spec.schema, spec.table, spec.count, params.toString()]);
}

export interface EngineDeps {
  readonly sql: Sql;
  readonly cache: () => SchemaCache;
  readonly statementTimeoutMs: number;
  /** how long a burst of changes is gathered before evaluating (ms) */
  readonly coalesceMs?: number;
  /** evaluation round trips (batches) running at once */
  readonly concurrency?: number;
  /** views evaluated in one round trip, at most (default 1) */
  readonly batchMax?: number;
  /** how long an unsubscribed view is kept for resumes (ms) */
  readonly retainMs?: number;
  readonly log?: (msg: string) => void;
  /** the secret behind row images (capture/install.ts); without it every change wakes every view of its table */
  readonly secret?: () => CaptureSecret | null;
}

/** views of one context evaluated in one round trip and transaction, at most */
const DEFAULT_BATCH_MAX = 16;

/**
 * Patches kept per view for resumes: enough for a short disconnect, small in
 * memory. A client resumes from the last version it received; what it missed
 * is mostly what was patched after its socket closed. So the full log is kept
 * only while a subscriber of the view left within the retention window; the
 * rest of the time, a short tail covers patches still in flight when a socket
 * drops. A resume the log cannot serve gets a snapshot.
 */
const LOG_MAX = 16;
/** …and at most this many bytes of patches (JSON) per view, while a subscriber left recently */
const LOG_MAX_BYTES = 4096;
/** …and otherwise */
const LOG_TAIL_BYTES = 768;

/**
 * Versions grow with time and are unique in the process; their residue mod
 * 1024 is this process's random salt, so two processes almost never issue the
 * same version (a resume carrying another process's version gets a snapshot).
 */
const SALT_SPACE = 1024;
const SALT = Math.floor(Math.random() * SALT_SPACE);
let lastVersion = 0;
function nextVersion(): number {
  const base = Math.max(lastVersion + 1, Date.now() * SALT_SPACE);
  lastVersion = base + ((SALT - (base % SALT_SPACE) + SALT_SPACE) % SALT_SPACE);
  return lastVersion;
}

/** The wire error for a failed evaluation: SQLSTATE kept, timeouts and lost connections named. */
function toPgliveError(e: unknown): { code: string; message: string; details: string | null; hint: string | null } {
  if (isPgliveError(e)) return e.toBody();
  const known = toKnownError(e);
  if (known) return known.toBody();
  if (isDriverPgError(e)) {
    if (e.code === '57014') return new PgliveError('PGLIVE502', 'The live view took longer than the statement timeout').toBody();
    // admin shutdown, crash, "starting up", lost connection: the database is unavailable for now
    if (e.code.startsWith('08') || e.code === '57P01' || e.code === '57P02' || e.code === '57P03') {
      return new PgliveError('PGLIVE501', 'The database is unavailable; retry shortly', { details: `${e.code}: ${e.message}` }).toBody();
    }
    return { code: e.code, message: e.message, details: e.detail ?? null, hint: e.hint ?? null };
  }
  return new PgliveError('PGLIVE500', 'Live view evaluation failed').toBody();
}

/**
 * An evaluation that has not settled this long after its statement timeout is
 * given up (and retried): the driver can leave queries on a connection it
 * dropped unanswered forever, and a view must never stay stuck behind one.
 */
const EVALUATION_GRACE_MS = 5000;

function withDeadline<T>(work: Promise<T>, ms: number, fallback: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback()), ms);
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5000;

export class LiveEngine {
  readonly views = new Map<string, SharedView>();
  private readonly byRel = new Map<number, Set<SharedView>>();
  private readonly pending = new Set<Subscriber>();
  /** the pending flush: at once (setImmediate) when the engine was idle, after coalesceMs when busy */
  private flushTimer: { readonly cancel: () => void } | null = null;
  private drainTimer: NodeJS.Timeout | null = null;
  private gcTimer: NodeJS.Timeout;
  /** evaluation batches running */
  running = 0;
  /** wake-ups: flushes of the views marked dirty (at most one per coalesceMs) */
  flushes = 0;
  private lastFlushAt = -Infinity;
  private queue: SharedView[] = [];
  /** views marked dirty since the last flush: a flush touches only these */
  private readonly dirtyViews = new Set<SharedView>();
  private closed = false;
  mode: 'live' | 'polling' = 'live';
  /** statements issued for evaluations (for benchmarks) */
  evaluations = 0;
  /** view wake-ups avoided because no row image could match the view (for benchmarks) */
  skippedByImage = 0;
  /** evaluation round trips (one per batch of views) */
  batches = 0;
  /** evaluations that kept the view's total instead of counting again */
  countsKept = 0;
  /** evaluations whose result differed from the view's state (they produced a patch) */
  changedEvaluations = 0;
  /** evaluation wall time summed over views, and the longest batch (ms) */
  evalMsTotal = 0;
  evalMsMax = 0;

  constructor(private readonly deps: EngineDeps) {
    this.gcTimer = setInterval(() => this.gc(), Math.max(1000, (deps.retainMs ?? 30_000) / 2));
    this.gcTimer.unref();
  }

  // ------------------------------------------------------------ subscriptions

  viewKey(spec: ViewSpec, p: CallerPrincipal): string {
    return JSON.stringify([p.role, p.claims, spec.schema, spec.table, spec.query, spec.count]);
  }

  /** Subscribe; sends a snapshot (or, for a resume within the log, the missed patches). Throws PgliveError for a bad query. */
  async subscribe(sub: Subscriber, spec: ViewSpec, resumeFrom: number | null): Promise<void> {
    const key = this.viewKey(spec, sub.principal);
    let view = this.views.get(key);
    if (!view) {
      const planned = planView(this.deps.cache(), spec, sub.principal.role);
      view = new SharedView(key, spec, sub.principal, compileView(planned, spec, sub.principal.role));
      view.matcher = this.matcherFor(planned);
      this.views.set(key, view);
      this.index(view);
    }
    view.idleSince = null;
    sub.view = view;
    view.subs.add(sub);
    if (view.state === null || view.dirty) {
      // first subscriber, or an idle view that missed changes: evaluate now (a
      // refresh of an existing state logs a patch, so resumes still replay)
      await this.evaluateNow(view);
      if (view.error && view.state === null) {
        const err = view.error;
        this.detach(sub);
        throw new PgliveErrorFromWire(err);
      }
    } else if (view.running) {
      await view.running;
    }
    if (sub.view !== view) return; // unsubscribed meanwhile
    if (resumeFrom !== null && this.sendSince(sub, view, resumeFrom)) return;
    this.sendSnapshot(sub, view);
  }

  unsubscribe(sub: Subscriber): void {
    this.detach(sub);
  }

  /** Send a fresh snapshot of the current state (client asked for a resync). */
  resync(sub: Subscriber): void {
    const view = sub.view;
    if (view?.state) this.sendSnapshot(sub, view);
  }

  private detach(sub: Subscriber): void {
    const view = sub.view;
    sub.view = null;
    this.pending.delete(sub);
    if (!view) return;
    view.subs.delete(sub);
    view.leftAt = Date.now();
    if (view.subs.size === 0) view.idleSince = view.leftAt;
  }

  private sendSnapshot(sub: Subscriber, view: SharedView): void {
    const state = view.state!;
    // the rows go out as PostgreSQL rendered them: nothing is parsed to send a snapshot
    sub.sendText(snapshotText(sub.id, view.version, state.keys, view.rowTexts(), view.total, this.mode));
    sub.held = state;
    sub.heldVersion = view.version;
  }

  /** Replays the patches since `version` when the log still has them. */
  private sendSince(sub: Subscriber, view: SharedView, version: number): boolean {
    if (version === view.version) {
      sub.send({ type: 'patch', id: sub.id, fromVersion: version, toVersion: version, ops: [], total: view.total });
    } else {
      const start = view.log.findIndex((e) => e.from === version);
      if (start < 0) return false;
      for (const e of view.log.slice(start)) {
        sub.send({ type: 'patch', id: sub.id, fromVersion: e.from, toVersion: e.to, ops: JSON.parse(e.ops) as PatchOp[], total: e.total });
      }
    }
    sub.held = view.state;
    sub.heldVersion = view.version;
    return true;
  }

  // ------------------------------------------------------------ changes

  private index(view: SharedView): void {
    for (const oid of view.planned.dependsOn) {
      let set = this.byRel.get(oid);
      if (!set) this.byRel.set(oid, (set = new Set()));
      set.add(view);
    }
  }

  private unindex(view: SharedView): void {
    for (const oid of view.planned.dependsOn) {
      const set = this.byRel.get(oid);
      set?.delete(view);
      if (set?.size === 0) this.byRel.delete(oid);
    }
  }

  private matcherFor(planned: PlannedView): ViewMatcher | null {
    const secret = this.deps.secret?.() ?? null;
    return secret === null ? null : compileMatcher(planned.plan, secret);
  }

  /**
   * A relation changed (by oid): mark the views it can change. With row images
   * (made with the secret this engine holds), a view of that table is skipped
   * when no image can match its filters and it holds none of the keys.
   */
  relationChanged(
    relOid: number,
    keys: readonly unknown[][] | null = null,
    images: ChangeEvent['images'] = null,
    columns: ChangeEvent['changed'] = null,
  ): void {
    const set = this.byRel.get(relOid);
    if (!set) return;
    const changed = keys === null ? null : keys.map((k) => JSON.stringify(k));
    const secret = images === null ? null : (this.deps.secret?.() ?? null);
    const rows = secret !== null && images !== null && images.keyId === secret.keyId ? images.rows : null;
    for (const v of set) {
      const own = v.planned.keyColumns.length > 0 && v.planned.rootOid === relOid;
      // views showing a changed row are evaluated first (their patch is what users wait for)
      const holds = changed !== null && v.state !== null && own && changed.some((k) => v.state!.index.has(k));
      if (holds) v.urgent = true;
      else if (rows !== null && v.matcher !== null && v.matcher.relOid === relOid && !v.matcher.mayMatch(rows)) {
        this.skippedByImage++;
        continue;
      }
      // an update of columns no condition or policy reads moves no row in or out: the total stands
      const keepsTotal = columns !== null && v.matcher !== null && v.matcher.relOid === relOid && v.matcher.keepsMembership(columns);
      this.markDirty(v, keepsTotal);
    }
  }

  /** After a lost listener connection or in polling mode: everything may have changed. */
  markAll(): void {
    for (const v of this.views.values()) this.markDirty(v);
  }

  /** The schema cache was reloaded: re-plan every view (its table may be gone), then re-evaluate. */
  schemaReloaded(): void {
    const cache = this.deps.cache();
    for (const view of [...this.views.values()]) {
      this.unindex(view);
      try {
        const planned = planView(cache, view.spec, view.principal.role);
        view.planned = compileView(planned, view.spec, view.principal.role);
        view.matcher = this.matcherFor(planned);
        view.error = null;
        this.index(view);
        this.markDirty(view);
      } catch (e) {
        const err = toPgliveError(e);
        for (const sub of view.subs) {
          sub.send({ type: 'error', id: sub.id, ...err });
          sub.view = null;
        }
        this.views.delete(view.key);
      }
    }
  }

  private markDirty(view: SharedView, keepsTotal = false): void {
    view.dirty = true;
    if (!keepsTotal) view.needsCount = true;
    this.dirtyViews.add(view);
    if (view.subs.size === 0 && view.idleSince !== null) return; // idle: re-evaluated when someone resumes
    if (!this.flushTimer && !this.closed) {
      // At most one flush per coalesceMs, so a burst folds into few evaluations; but the first
      // change after a quiet spell is evaluated at once (setImmediate: the notifications that came
      // in the same read off the listener's socket are marked by then), since waiting would only
      // add latency. A busy engine waits the whole window; views that change while they are
      // evaluated are evaluated again when they finish.
      const windowMs = this.deps.coalesceMs ?? 5;
      const wait = windowMs - (performance.now() - this.lastFlushAt);
      if (this.running === 0 && this.queue.length === 0 && wait <= 0) {
        const t = setImmediate(() => this.flush());
        this.flushTimer = { cancel: () => clearImmediate(t) };
      } else {
        const t = setTimeout(() => this.flush(), this.running === 0 && this.queue.length === 0 ? wait : windowMs);
        this.flushTimer = { cancel: () => clearTimeout(t) };
      }
    }
  }

  private flush(): void {
    this.flushTimer = null;
    this.flushes++;
    this.lastFlushAt = performance.now();
    const ready = [...this.dirtyViews].filter((v) => v.dirty && !v.running && v.subs.size > 0 && !this.queue.includes(v));
    this.dirtyViews.clear();
    ready.sort((a, b) => Number(b.urgent) - Number(a.urgent));
    for (const v of ready) v.urgent = false;
    this.queue.push(...ready);
    this.pump();
  }

  private pump(): void {
    const limit = this.deps.concurrency ?? 4;
    while (this.running < limit && this.queue.length > 0) {
      // one batch per free slot, in priority order, each evaluated in one round trip: the waiting
      // views are shared out so that every free connection (and core) takes part. A batch holds
      // the first waiting view and more views of its context (role, claims), which then share one
      // transaction (runBatchAsRoles): an idle engine evaluates each view at once, a busy one
      // folds the backlog of each context into fewer transactions.
      const size = Math.min(this.deps.batchMax ?? DEFAULT_BATCH_MAX, Math.ceil(this.queue.length / (limit - this.running)));
      const head = this.queue.shift()!;
      const batch = [head];
      for (let i = 0; i < this.queue.length && batch.length < size; ) {
        if (this.queue[i]!.contextKey === head.contextKey) batch.push(this.queue.splice(i, 1)[0]!);
        else i++;
      }
      if (head.running) batch.shift();
      for (let i = batch.length - 1; i >= 0; i--) if (batch[i]!.running) batch.splice(i, 1);
      if (batch.length === 0) continue;
      this.running++;
      void this.evaluate(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private evaluateNow(view: SharedView): Promise<void> {
    return view.running ?? this.evaluate([view]);
  }

  /** Evaluates views (none of them running) together; each one's result is applied on its own. */
  private evaluate(views: readonly SharedView[]): Promise<void> {
    // the totals that stand: no change since the last count could move a row in or out
    const keep = views.map((v) =>
      v.state === null ? this.siblingTotal(v) : v.needsCount || v.error !== null ? undefined : v.total,
    );
    for (const [i, v] of views.entries()) {
      v.needsCount = false;
      if (keep[i] !== undefined) this.countsKept++;
    }
    const run = (async () => {
      const t0 = performance.now();
      // each view's result is applied as soon as it arrives (the first views of a batch do not
      // wait for the last), and exactly once: a late result after the deadline is dropped
      const applied = new Uint8Array(views.length);
      const applyOnce = (i: number, ev: Evaluation | { error: unknown }) => {
        if (applied[i]) return;
        applied[i] = 1;
        this.evalMsTotal += performance.now() - t0;
        this.apply(views[i]!, ev);
      };
      const results = await withDeadline(
        evaluateViews(
          this.deps.sql,
          views.map((v, i) => ({ view: v.planned, spec: v.spec, principal: v.principal, ...(keep[i] !== undefined ? { keepTotal: keep[i] } : {}) })),
          this.deps.statementTimeoutMs,
          applyOnce,
        ),
        this.deps.statementTimeoutMs > 0 ? this.deps.statementTimeoutMs + EVALUATION_GRACE_MS : 5 * 60_000,
        () => views.map(() => ({ error: new PgliveError('PGLIVE501', 'The database did not answer; retrying') })),
      );
      const ms = performance.now() - t0;
      if (ms > this.evalMsMax) this.evalMsMax = ms;
      views.forEach((_, i) => applyOnce(i, results[i]!));
    })();
    const done = run.finally(() => {
      for (const view of views) {
        view.running = null;
        // marked while running (a flush skips running views): queue it again, whoever started this evaluation
        if (view.dirty && !this.closed) this.markDirty(view);
      }
    });
    for (const view of views) {
      view.dirty = false;
      view.evaluations++;
      this.evaluations++;
      view.running = done;
    }
    this.batches++;
    return done;
  }

  /**
   * A new view's total, taken from a view of the same query in another window
   * (the grid moves its window as it scrolls) whose total stands: evaluated,
   * nothing pending, not counting right now. A change that lands meanwhile
   * marks both views, and the new one counts again then, as any view would.
   */
  private siblingTotal(view: SharedView): number | null | undefined {
    if (view.spec.count === 'none' || view.planned.rootOid === null) return undefined;
    for (const s of this.byRel.get(view.planned.rootOid) ?? []) {
      if (s !== view && s.countKey === view.countKey && s.state !== null && !s.dirty && !s.running && s.error === null && !s.needsCount && s.total !== null) {
        return s.total;
      }
    }
    return undefined;
  }

  private apply(view: SharedView, ev: Evaluation | { error: unknown }): void {
    if ('error' in ev) {
      const err = toPgliveError(ev.error);
      view.error = err;
      if (view.state !== null) {
        for (const sub of view.subs) sub.send({ type: 'error', id: sub.id, ...err });
        // the change that prompted this evaluation is not lost: retry with backoff
        view.retryMs = Math.min(RETRY_MAX_MS, view.retryMs === 0 ? RETRY_MIN_MS : view.retryMs * 2);
        const retry = setTimeout(() => this.markDirty(view), view.retryMs);
        retry.unref();
      }
      return;
    }
    const recovering = view.error !== null && view.state !== null;
    view.error = null;
    view.retryMs = 0;
    const prev = view.state;
    // only new and changed rows are parsed; the rest keep their values
    const next = rowStateFromTexts(ev.keys, ev.texts, prev);
    if (prev === null) {
      view.state = next;
      view.total = ev.total;
      view.version = nextVersion();
      return;
    }
    const ops = sameFields(prev, next) ? diffStates(prev, next) : null;
    if (recovering) {
      // subscribers were told about the failure: give them a fresh, known-good state
      if (ops === null || ops.length > 0 || ev.total !== view.total) {
        view.state = next;
        view.total = ev.total;
        view.version = nextVersion();
        view.log.length = 0;
        view.logBytes = 0;
        this.changedEvaluations++;
      }
      for (const sub of view.subs) if (sub.held !== null) this.sendSnapshot(sub, view);
      return;
    }
    if (ops !== null && ops.length === 0 && ev.total === view.total) return; // nothing this view shows changed
    this.changedEvaluations++;
    const from = view.version;
    view.state = next;
    view.total = ev.total;
    view.version = nextVersion();
    const json = ops === null ? null : JSON.stringify(ops);
    if (ops !== null && json !== null) {
      view.log.push({ from, to: view.version, ops: json, total: ev.total });
      view.logBytes += json.length;
      const maxBytes = Date.now() - view.leftAt < (this.deps.retainMs ?? 30_000) ? LOG_MAX_BYTES : LOG_TAIL_BYTES;
      while (view.log.length > LOG_MAX || (view.logBytes > maxBytes && view.log.length > 0)) {
        view.logBytes -= view.log.shift()!.ops.length;
      }
    } else {
      view.log.length = 0; // the column set changed: patches cannot express it
      view.logBytes = 0;
    }
    const shared = ops === null || json === null ? null : { from, ops, json };
    for (const sub of view.subs) this.deliver(sub, view, shared);
  }

  /** Sends the subscriber what changed since what it holds, unless its socket is backed up. */
  private deliver(sub: Subscriber, view: SharedView, shared: { from: number; ops: readonly PatchOp[]; json: string } | null = null): void {
    if (sub.view !== view || view.state === null || sub.held === null) return;
    if (sub.heldVersion === view.version) return;
    if (sub.backpressured()) {
      this.pending.add(sub);
      this.startDrainPoll();
      return;
    }
    this.pending.delete(sub);
    if (!sameFields(sub.held, view.state)) {
      this.sendSnapshot(sub, view);
      return;
    }
    // the view's patch, serialised once, for every subscriber that held the previous version
    const json = shared !== null && sub.heldVersion === shared.from ? shared.json : JSON.stringify(diffStates(sub.held, view.state));
    sub.sendText(patchText(sub.id, sub.heldVersion, view.version, json, view.total));
    sub.held = view.state;
    sub.heldVersion = view.version;
  }

  private startDrainPoll(): void {
    if (this.drainTimer || this.closed) return;
    this.drainTimer = setInterval(() => {
      for (const sub of [...this.pending]) {
        if (!sub.view) this.pending.delete(sub);
        else if (!sub.backpressured()) this.deliver(sub, sub.view);
      }
      if (this.pending.size === 0 && this.drainTimer) {
        clearInterval(this.drainTimer);
        this.drainTimer = null;
      }
    }, 25);
  }

  private gc(): void {
    const retain = this.deps.retainMs ?? 30_000;
    const now = Date.now();
    for (const view of [...this.views.values()]) {
      if (view.subs.size === 0 && view.idleSince !== null && now - view.idleSince > retain) {
        this.unindex(view);
        this.views.delete(view.key);
      }
    }
  }

  /** views, their subscribers and the subscribers waiting on a backed-up socket (for tests and the benchmark) */
  stats(): { views: number; subscribers: number; pending: number } {
    let subscribers = 0;
    for (const v of this.views.values()) subscribers += v.subs.size;
    return { views: this.views.size, subscribers, pending: this.pending.size };
  }

  close(): void {
    this.closed = true;
    this.flushTimer?.cancel();
    if (this.drainTimer) clearInterval(this.drainTimer);
    clearInterval(this.gcTimer);
  }
}

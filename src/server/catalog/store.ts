/**
 * SchemaStore: holds the current SchemaCache and swaps it whole on reload.
 *
 * reload() is single-flight: calls during a load share it, except that a call
 * arriving while a load runs may have been prompted by a DDL change that load
 * did not see, so it gets exactly one more load after the running one (shared
 * by every call that arrived meanwhile). A failed load keeps the old value.
 */
import { PgliveError } from '../errors.js';
import type { SchemaCache } from './types.js';

export type ReloadListener = (cache: SchemaCache) => void;

export class SchemaStore {
  private value: SchemaCache | null = null;
  private running: Promise<SchemaCache> | null = null;
  private queued: Promise<SchemaCache> | null = null;
  private readonly listeners = new Set<ReloadListener>();

  constructor(private readonly load: () => Promise<SchemaCache>) {}

  get current(): SchemaCache {
    if (!this.value) throw new PgliveError('PGLIVE501', 'The schema cache is not loaded yet', { hint: 'Retry once the server has connected to the database' });
    return this.value;
  }

  get loaded(): boolean {
    return this.value !== null;
  }

  reload(): Promise<SchemaCache> {
    if (this.queued) return this.queued;
    const running = this.running;
    if (!running) return this.start();
    const settle = () => {
      this.queued = null;
      return this.start();
    };
    this.queued = running.then(settle, settle);
    return this.queued;
  }

  /** `cb` runs after each successful reload with the new value; returns an unsubscribe function. */
  onReload(cb: ReloadListener): () => void {
    // wrap so the same function subscribed twice gets two independent subscriptions
    const entry: ReloadListener = (cache) => cb(cache);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  private start(): Promise<SchemaCache> {
    const p = Promise.resolve()
      .then(() => this.load())
      .then((cache) => {
      this.value = cache;
      for (const listener of [...this.listeners]) {
        // a failing listener must neither fail the reload nor starve the others
        try {
          listener(cache);
        } catch {
          // listeners own their errors
        }
      }
      return cache;
    });
    this.running = p;
    const clear = () => {
      if (this.running === p) this.running = null;
    };
    p.then(clear, clear);
    return p;
  }
}

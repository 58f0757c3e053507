/**
 * One shared, observable copy of each relation's preferences, however many
 * components (every column menu, the settings panel, the grid) show it:
 * loaded on first subscription, refreshed when the server says they changed
 * (live `prefs-changed`), updated optimistically on save.
 */
import { mergeLayers, patchLayer, type PrefLayer, type PrefsPatch, type PrefsResponse, type RelationPrefs } from './prefs.js';

export interface PrefsSnapshot {
  readonly data: PrefsResponse | null;
  readonly error: Error | null;
  readonly loading: boolean;
}

export interface PrefsBackend {
  fetch(schema: string, name: string): Promise<PrefsResponse>;
  put(schema: string, name: string, layer: PrefLayer, settings: RelationPrefs, role?: string): Promise<void>;
  remove(schema: string, name: string, layer: PrefLayer, role?: string): Promise<void>;
}

interface Entry {
  snapshot: PrefsSnapshot;
  listeners: Set<() => void>;
  inflight: Promise<void> | null;
  /** a refresh was asked for while one was running: run once more after it */
  again: boolean;
}

const EMPTY: PrefsSnapshot = Object.freeze({ data: null, error: null, loading: true });

export class PrefsStore {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly backend: PrefsBackend) {}

  #entry(schema: string, name: string): Entry {
    const key = JSON.stringify([schema, name]);
    let e = this.#entries.get(key);
    if (!e) {
      e = { snapshot: EMPTY, listeners: new Set(), inflight: null, again: false };
      this.#entries.set(key, e);
    }
    return e;
  }

  #set(e: Entry, next: Partial<PrefsSnapshot>): void {
    e.snapshot = { ...e.snapshot, ...next };
    for (const fn of [...e.listeners]) fn();
  }

  /** stable between changes (useSyncExternalStore compares by identity) */
  snapshot(schema: string, name: string): PrefsSnapshot {
    return this.#entries.get(JSON.stringify([schema, name]))?.snapshot ?? EMPTY;
  }

  subscribe(schema: string, name: string, fn: () => void): () => void {
    const e = this.#entry(schema, name);
    e.listeners.add(fn);
    if (e.snapshot.data === null && e.inflight === null && e.snapshot.error === null) void this.refresh(schema, name);
    return () => {
      e.listeners.delete(fn);
    };
  }

  /** re-read from the server; concurrent calls collapse into at most one more fetch */
  refresh(schema: string, name: string): Promise<void> {
    const e = this.#entry(schema, name);
    if (e.inflight) {
      e.again = true;
      return e.inflight;
    }
    const run = async (): Promise<void> => {
      do {
        e.again = false;
        try {
          const data = await this.backend.fetch(schema, name);
          this.#set(e, { data, error: null, loading: false });
        } catch (err) {
          this.#set(e, { error: err instanceof Error ? err : new Error(String(err)), loading: false });
        }
      } while (e.again);
    };
    e.inflight = run().finally(() => {
      e.inflight = null;
    });
    return e.inflight;
  }

  /** apply `patch` to one layer, show it at once, store it, then re-read */
  async save(schema: string, name: string, layer: PrefLayer, patch: PrefsPatch, known?: readonly string[]): Promise<void> {
    const e = this.#entry(schema, name);
    const data = e.snapshot.data;
    const next = patchLayer(data?.layers[layer] ?? null, patch, known);
    if (data) {
      const layers = { ...data.layers, [layer]: next };
      this.#set(e, { data: { ...data, layers, merged: mergeLayers(layers) } });
    }
    try {
      await this.backend.put(schema, name, layer, next, layer === 'role' ? data?.role : undefined);
    } finally {
      await this.refresh(schema, name);
    }
  }

  /** reset one layer to the layers below it */
  async reset(schema: string, name: string, layer: PrefLayer): Promise<void> {
    const e = this.#entry(schema, name);
    const data = e.snapshot.data;
    try {
      await this.backend.remove(schema, name, layer, layer === 'role' ? data?.role : undefined);
    } finally {
      await this.refresh(schema, name);
    }
  }
}

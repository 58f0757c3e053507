import { describe, expect, it } from 'vitest';
import { SchemaStore } from './store.js';
import type { SchemaCache } from './types.js';
import { isPgliveError } from '../errors.js';

function cacheNo(n: number): SchemaCache {
  return {
    schemas: [`s${n}`],
    relations: [],
    foreignKeys: [],
    relationships: [],
    functions: [],
    enums: [],
    domains: [],
    roles: [],
    serverVersion: 150000,
    loadedAt: n,
  };
}

/** A loader whose calls stay pending until the test settles them, in order. */
function controlledLoader() {
  const pending: { resolve: (c: SchemaCache) => void; reject: (e: Error) => void }[] = [];
  let calls = 0;
  const load = () =>
    new Promise<SchemaCache>((resolve, reject) => {
      calls++;
      pending.push({ resolve, reject });
    });
  const tick = () => new Promise((r) => setTimeout(r, 0));
  return {
    load,
    get calls() {
      return calls;
    },
    async resolveNext(c: SchemaCache) {
      await tick();
      pending.shift()!.resolve(c);
      await tick();
    },
    async rejectNext(e: Error) {
      await tick();
      pending.shift()!.reject(e);
      await tick();
    },
  };
}

describe('SchemaStore', () => {
  it('throws a PgliveError before the first load', () => {
    const store = new SchemaStore(async () => cacheNo(1));
    expect(store.loaded).toBe(false);
    let error: unknown;
    try {
      void store.current;
    } catch (e) {
      error = e;
    }
    expect(isPgliveError(error) && error.code).toBe('PGLIVE501');
  });

  it('loads, swaps the value whole and notifies listeners', async () => {
    let n = 0;
    const store = new SchemaStore(async () => cacheNo(++n));
    const seen: number[] = [];
    const off = store.onReload((c) => seen.push(c.loadedAt));
    expect(await store.reload()).toBe(store.current);
    expect(store.current.loadedAt).toBe(1);
    await store.reload();
    expect(store.current.loadedAt).toBe(2);
    off();
    await store.reload();
    expect(seen).toEqual([1, 2]);
  });

  it('shares one load between concurrent callers and queues exactly one more for calls made during it', async () => {
    const loader = controlledLoader();
    const store = new SchemaStore(loader.load);
    const a = store.reload();
    const b = store.reload(); // during load 1: queues load 2
    const c = store.reload(); // during load 1: shares queued load 2
    expect(b).toBe(c);
    await loader.resolveNext(cacheNo(1));
    expect(await a).toEqual(cacheNo(1));
    expect(store.current.loadedAt).toBe(1);
    expect(loader.calls).toBe(2); // load 2 started once load 1 finished
    const d = store.reload(); // during load 2: queues load 3
    await loader.resolveNext(cacheNo(2));
    expect(await b).toEqual(cacheNo(2));
    expect(await c).toEqual(cacheNo(2));
    await loader.resolveNext(cacheNo(3));
    expect(await d).toEqual(cacheNo(3));
    expect(loader.calls).toBe(3);
    expect(store.current.loadedAt).toBe(3);
  });

  it('a single call with nothing running loads once', async () => {
    const loader = controlledLoader();
    const store = new SchemaStore(loader.load);
    const p = store.reload();
    await loader.resolveNext(cacheNo(7));
    await p;
    expect(loader.calls).toBe(1);
  });

  it('keeps the old value when a reload fails, and rethrows', async () => {
    const loader = controlledLoader();
    const store = new SchemaStore(loader.load);
    const seen: number[] = [];
    store.onReload((c) => seen.push(c.loadedAt));
    const first = store.reload();
    await loader.resolveNext(cacheNo(1));
    await first;
    const failing = store.reload();
    const queued = store.reload(); // made during the failing load: still gets its own load
    await loader.rejectNext(new Error('connection refused'));
    await expect(failing).rejects.toThrow('connection refused');
    expect(store.current.loadedAt).toBe(1);
    await loader.resolveNext(cacheNo(2));
    expect((await queued).loadedAt).toBe(2);
    expect(seen).toEqual([1, 2]);
  });

  it('a throwing listener affects neither the reload nor the other listeners', async () => {
    const store = new SchemaStore(async () => cacheNo(1));
    const seen: string[] = [];
    store.onReload(() => {
      throw new Error('listener bug');
    });
    store.onReload(() => seen.push('second'));
    await expect(store.reload()).resolves.toEqual(cacheNo(1));
    expect(seen).toEqual(['second']);
  });

  it('a loader that throws synchronously rejects instead of throwing', async () => {
    const store = new SchemaStore(() => {
      throw new Error('sync');
    });
    await expect(store.reload()).rejects.toThrow('sync');
    expect(store.loaded).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { PrefsStore, type PrefsBackend } from './prefs-store.js';
import { mergeLayers, type PrefLayer, type PrefLayers, type RelationPrefs } from './prefs.js';

/** an in-memory server with the real layering */
function fakeBackend() {
  const layers: Record<PrefLayer, RelationPrefs | null> = { global: null, role: null, user: null };
  const calls: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  const backend: PrefsBackend = {
    async fetch() {
      calls.push('fetch');
      await gate;
      const l: PrefLayers = { ...layers };
      return { merged: mergeLayers(l), layers: l, role: 'r', canAdmin: true, canPersonal: true };
    },
    async put(_s, _n, layer, settings) {
      calls.push(`put ${layer}`);
      layers[layer] = settings;
    },
    async remove(_s, _n, layer) {
      calls.push(`remove ${layer}`);
      layers[layer] = null;
    },
  };
  return { backend, layers, calls, hold: () => { let open!: () => void; gate = new Promise((r) => (open = r)); return () => { open(); gate = Promise.resolve(); }; } };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('PrefsStore', () => {
  it('loads once for many subscribers and notifies them', async () => {
    const f = fakeBackend();
    f.layers.global = { columns: { a: { width: 100 } } };
    const store = new PrefsStore(f.backend);
    let notified = 0;
    store.subscribe('public', 't', () => notified++);
    store.subscribe('public', 't', () => notified++);
    await tick();
    expect(f.calls).toEqual(['fetch']);
    expect(notified).toBe(2);
    expect(store.snapshot('public', 't').data?.merged.columns.a).toEqual({ width: 100 });
    // stable identity between changes
    expect(store.snapshot('public', 't')).toBe(store.snapshot('public', 't'));
  });

  it('collapses refreshes that arrive during a fetch into one more fetch', async () => {
    const f = fakeBackend();
    const store = new PrefsStore(f.backend);
    const release = f.hold();
    const first = store.refresh('public', 't');
    void store.refresh('public', 't');
    void store.refresh('public', 't');
    release();
    await first;
    expect(f.calls).toEqual(['fetch', 'fetch']);
  });

  it('saves a patch to one layer, shows it at once, then re-reads', async () => {
    const f = fakeBackend();
    f.layers.global = { columns: { a: { width: 100, label: 'A' } } };
    const store = new PrefsStore(f.backend);
    await store.refresh('public', 't');
    const release = f.hold();
    const saving = store.save('public', 't', 'user', { columns: { a: { label: 'Mine' } } }, ['a']);
    // optimistic: merged before the server answered
    expect(store.snapshot('public', 't').data?.merged.columns.a).toEqual({ width: 100, label: 'Mine' });
    release();
    await saving;
    expect(f.layers.user).toEqual({ columns: { a: { label: 'Mine' } } });
    await store.reset('public', 't', 'user');
    expect(store.snapshot('public', 't').data?.merged.columns.a).toEqual({ width: 100, label: 'A' });
    expect(f.calls.filter((c) => c !== 'fetch')).toEqual(['put user', 'remove user']);
  });

  it('keeps the error of a failed load', async () => {
    const store = new PrefsStore({
      fetch: async () => { throw new Error('boom'); },
      put: async () => {},
      remove: async () => {},
    });
    await store.refresh('public', 't');
    expect(store.snapshot('public', 't')).toMatchObject({ error: { message: 'boom' }, loading: false, data: null });
  });
});

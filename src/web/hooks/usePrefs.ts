/**
 * useRelationPrefs(schema, name): a relation's column preferences (merged and
 * per layer) as React state, live: the server's `prefs-changed` (an admin
 * changed the default, a colleague changed the role layer, this user saved in
 * another tab) re-reads them, and so does a reconnect (notices may be lost).
 */
import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import { deletePrefs, fetchPrefs, putPrefs } from '../core/prefs-api.js';
import { PrefsStore } from '../core/prefs-store.js';
import { EMPTY_PREFS, type PrefLayer, type PrefLayers, type PrefsPatch, type RelationPrefs } from '../core/prefs.js';
import { useLive } from './useLive.js';

/** one store per page load: every component showing a relation shares its copy */
export const prefsStore = new PrefsStore({
  fetch: (schema, name) => fetchPrefs(schema, name),
  put: (schema, name, layer, settings, role) => putPrefs(schema, name, layer, settings, role),
  remove: (schema, name, layer, role) => deletePrefs(schema, name, layer, role),
});

const NO_LAYERS: PrefLayers = { global: null, role: null, user: null };

export interface RelationPrefsState {
  /** the merged preferences (nearest layer wins) */
  prefs: RelationPrefs;
  layers: PrefLayers;
  loading: boolean;
  error: Error | null;
  /** may write the global and role layers */
  canAdmin: boolean;
  /** has a personal layer */
  canPersonal: boolean;
  /** the role whose layer `layers.role` is */
  role: string | null;
  /** apply a patch to one layer (null settings are removed); `known`: the relation's columns */
  save(layer: PrefLayer, patch: PrefsPatch, known?: readonly string[]): Promise<void>;
  /** reset one layer to the layers below it */
  reset(layer: PrefLayer): Promise<void>;
}

export function useRelationPrefs(schema: string, name: string): RelationPrefsState {
  const { client } = useLive();
  const subscribe = useCallback((fn: () => void) => prefsStore.subscribe(schema, name, fn), [schema, name]);
  const snap = useSyncExternalStore(subscribe, () => prefsStore.snapshot(schema, name));

  useEffect(() => {
    const offPrefs = client.on('prefs-changed', (r) => {
      if (r.schema === schema && r.relation === name) void prefsStore.refresh(schema, name);
    });
    let connectedBefore = client.state.status === 'open';
    const offState = client.on('state', (s) => {
      if (s.status !== 'open') return;
      if (connectedBefore) void prefsStore.refresh(schema, name);
      connectedBefore = true;
    });
    return () => {
      offPrefs();
      offState();
    };
  }, [client, schema, name]);

  const save = useCallback((layer: PrefLayer, patch: PrefsPatch, known?: readonly string[]) => prefsStore.save(schema, name, layer, patch, known), [schema, name]);
  const reset = useCallback((layer: PrefLayer) => prefsStore.reset(schema, name, layer), [schema, name]);

  return useMemo(
    () => ({
      prefs: snap.data?.merged ?? EMPTY_PREFS,
      layers: snap.data?.layers ?? NO_LAYERS,
      loading: snap.loading,
      error: snap.error,
      canAdmin: snap.data?.canAdmin ?? false,
      canPersonal: snap.data?.canPersonal ?? false,
      role: snap.data?.role ?? null,
      save,
      reset,
    }),
    [snap, save, reset],
  );
}

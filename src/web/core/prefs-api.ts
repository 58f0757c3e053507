/**
 * HTTP for column preferences and saved views (src/server/prefs):
 * GET/PUT/DELETE /meta/prefs/:schema/:relation[/:layer], /meta/views.
 */
import type { PrefLayer, PrefsResponse, RelationPrefs, SavedView, SavedViewInput, SavedViewPatch } from '../../protocol/prefs.js';
import { getJson, sendJson } from './api.js';

export type { SavedView, SavedViewInput, SavedViewPatch };

const relPath = (schema: string, name: string) => `/meta/prefs/${encodeURIComponent(schema)}/${encodeURIComponent(name)}`;
const roleQuery = (role?: string) => (role ? `?role=${encodeURIComponent(role)}` : '');

export function fetchPrefs(schema: string, name: string, role?: string): Promise<PrefsResponse> {
  return getJson<PrefsResponse>(`${relPath(schema, name)}${roleQuery(role)}`);
}

export async function putPrefs(schema: string, name: string, layer: PrefLayer, settings: RelationPrefs, role?: string): Promise<void> {
  await sendJson('PUT', `${relPath(schema, name)}/${layer}${roleQuery(role)}`, settings);
}

export async function deletePrefs(schema: string, name: string, layer: PrefLayer, role?: string): Promise<void> {
  await sendJson('DELETE', `${relPath(schema, name)}/${layer}${roleQuery(role)}`, undefined);
}

export function fetchViews(schema?: string, name?: string): Promise<SavedView[]> {
  const q = new URLSearchParams();
  if (schema) q.set('schema', schema);
  if (name) q.set('relation', name);
  const s = q.toString();
  return getJson<SavedView[]>(`/meta/views${s ? `?${s}` : ''}`);
}

export async function createView(v: SavedViewInput): Promise<SavedView> {
  return (await sendJson<SavedView>('POST', '/meta/views', v))!;
}

export async function updateView(id: string, patch: SavedViewPatch): Promise<SavedView> {
  return (await sendJson<SavedView>('PATCH', `/meta/views/${encodeURIComponent(id)}`, patch))!;
}

export async function deleteView(id: string): Promise<void> {
  await sendJson('DELETE', `/meta/views/${encodeURIComponent(id)}`, undefined);
}

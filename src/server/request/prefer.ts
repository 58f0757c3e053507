/**
 * The Prefer header (RFC 7240, PostgREST's preferences page). Preferences are
 * separated by `,` (or `;`), possibly over several header lines; the first
 * occurrence of a preference wins. Unknown or invalid ones are ignored unless
 * `handling=strict`, which makes them an error (PostgREST's PGRST122; pglive
 * reports PGRST111, its invalid-header code).
 */
import { PgliveError } from '../errors.js';
import type { Preferences } from './types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const CHOICES = {
  return: ['minimal', 'headers-only', 'representation'],
  count: ['exact', 'planned', 'estimated'],
  resolution: ['merge-duplicates', 'ignore-duplicates'],
  missing: ['default', 'null'],
  handling: ['lenient', 'strict'],
} as const;

type ChoiceKey = keyof typeof CHOICES;

function isChoiceKey(key: string): key is ChoiceKey {
  return Object.hasOwn(CHOICES, key);
}

export const NO_PREFERENCES: Preferences = {
  return: null,
  count: null,
  resolution: null,
  missing: null,
  handling: null,
  maxAffected: null,
  allowUnfiltered: false,
  applied: [],
};

export function parsePrefer(header: string | undefined): Preferences {
  if (header === undefined) return NO_PREFERENCES;
  const prefs: Mutable<Preferences> = { ...NO_PREFERENCES };
  const seen = new Set<string>();
  const invalid: string[] = [];
  for (const token of header.split(/[,;]/)) {
    const pref = token.trim();
    if (pref === '') continue;
    const eq = pref.indexOf('=');
    const key = (eq < 0 ? pref : pref.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? null : pref.slice(eq + 1).trim();
    if (!understood(prefs, key, value, seen)) invalid.push(pref);
  }
  if (prefs.handling === 'strict' && invalid.length > 0) {
    throw new PgliveError('PGRST111', 'Invalid preferences given with handling=strict', {
      details: `Invalid preferences: ${invalid.join(', ')}`,
    });
  }
  prefs.applied = applied(prefs);
  return prefs;
}

/** records the preference unless already seen; false when it is unknown or its value is invalid */
function understood(prefs: Mutable<Preferences>, key: string, value: string | null, seen: Set<string>): boolean {
  if (isChoiceKey(key)) {
    const choice = (CHOICES[key] as readonly string[]).find((c) => c === value);
    if (choice === undefined) return false;
    if (!seen.has(key)) (prefs as Record<ChoiceKey, string | null>)[key] = choice;
  } else if (key === 'max-affected') {
    if (value === null || !/^\d{1,15}$/.test(value)) return false;
    if (!seen.has(key)) prefs.maxAffected = Number(value);
  } else if (key === 'tx') {
    // accepted for compatibility; pglive always commits
    return value === 'commit' || value === 'rollback';
  } else if (key === 'allow-unfiltered') {
    if (value !== null) return false;
    prefs.allowUnfiltered = true;
  } else {
    return false;
  }
  seen.add(key);
  return true;
}

function applied(p: Preferences): string[] {
  const out: string[] = [];
  if (p.return !== null) out.push(`return=${p.return}`);
  if (p.count !== null) out.push(`count=${p.count}`);
  if (p.resolution !== null) out.push(`resolution=${p.resolution}`);
  if (p.missing !== null) out.push(`missing=${p.missing}`);
  if (p.handling !== null) out.push(`handling=${p.handling}`);
  if (p.maxAffected !== null) out.push(`max-affected=${p.maxAffected}`);
  if (p.allowUnfiltered) out.push('allow-unfiltered');
  return out;
}

/**
 * Human-friendly sizes and durations for settings: `512kb`, `1mb`, `10s`, `24h`, `30d`.
 * A bare number keeps the setting's base unit (bytes, milliseconds), so existing
 * numeric values in env files keep working.
 */

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

function parseWithUnits(text: string, units: Readonly<Record<string, number>>): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return null;
  const unit = (m[2] ?? '').toLowerCase();
  const factor = unit === '' ? 1 : units[unit];
  if (factor === undefined) return null;
  const value = Math.round(Number(m[1]) * factor);
  return Number.isSafeInteger(value) ? value : null;
}

/** `1mb` → 1048576; `512kb`; `2048`. Binary multiples (1 kb = 1024 bytes), like body-parser. */
export function parseBytes(text: string): number | null {
  return parseWithUnits(text, SIZE_UNITS);
}

/** `10s` → 10000; `24h`; `30d`; `500ms`; `1500` (ms). */
export function parseDuration(text: string): number | null {
  return parseWithUnits(text, DURATION_UNITS);
}

/** The inverse, for help text and startup output: 86400000 → `24h`. */
export function formatDuration(ms: number): string {
  for (const [unit, factor] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= factor && ms % factor === 0) return `${ms / factor}${unit}`;
  }
  return `${ms}ms`;
}

export function formatBytes(n: number): string {
  for (const [unit, factor] of [['gb', 1024 ** 3], ['mb', 1024 ** 2], ['kb', 1024]] as const) {
    if (n >= factor && n % factor === 0) return `${n / factor}${unit}`;
  }
  return `${n}b`;
}

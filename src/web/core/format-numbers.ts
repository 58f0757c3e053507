/**
 * Number-like formatters. numeric and int8 arrive as strings (no precision is
 * lost on the wire); Intl.NumberFormat formats decimal strings exactly, so they
 * are never squeezed through a float.
 */

const numberFormats = new Map<string, Intl.NumberFormat>();

/** Intl.NumberFormat construction is slow and grids format thousands of cells: cache by options */
function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, f);
  }
  return f;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** the value as something Intl formats exactly, or null when it is not a finite number */
export function numericInput(value: unknown): number | bigint | `${number}` | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string') {
    const s = value.trim();
    return DECIMAL.test(s) ? (s as `${number}`) : null;
  }
  return null;
}

export function toNumber(value: unknown): number | null {
  const n = numericInput(value);
  return n === null ? null : Number(n);
}

export interface NumberOptions {
  readonly decimals?: number | undefined;
  readonly thousands?: boolean | undefined;
}

export function formatNumber(value: unknown, o: NumberOptions, locale?: string): string | null {
  const n = numericInput(value);
  if (n === null) return null;
  const fixed = o.decimals !== undefined;
  return numberFormat(locale, {
    minimumFractionDigits: fixed ? o.decimals : 0,
    maximumFractionDigits: fixed ? o.decimals : 20,
    useGrouping: o.thousands ?? false,
  }).format(n);
}

export function formatCurrency(value: unknown, currency: string, o: NumberOptions, locale?: string): string | null {
  const n = numericInput(value);
  if (n === null) return null;
  try {
    return numberFormat(locale, {
      style: 'currency',
      currency,
      ...(o.decimals !== undefined ? { minimumFractionDigits: o.decimals, maximumFractionDigits: o.decimals } : {}),
      useGrouping: o.thousands ?? true,
    }).format(n);
  } catch {
    // an unknown currency code: still show the amount
    return `${formatNumber(value, o, locale)} ${currency}`;
  }
}

/** 'fraction': 0.25 → 25 %; 'whole': 25 → 25 % */
export function formatPercent(value: unknown, of: 'fraction' | 'whole', decimals: number | undefined, locale?: string): string | null {
  const n = toNumber(value);
  if (n === null) return null;
  return numberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: decimals ?? 0,
    maximumFractionDigits: decimals ?? 2,
  }).format(of === 'whole' ? n / 100 : n);
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

/** binary multiples (1 KB = 1024 B), as file managers show sizes */
export function formatBytes(value: unknown, decimals: number | undefined, locale?: string): string | null {
  let n = toNumber(value);
  if (n === null) return null;
  const negative = n < 0;
  n = Math.abs(n);
  let unit = 0;
  while (n >= 1024 && unit < BYTE_UNITS.length - 1) {
    n /= 1024;
    unit++;
  }
  const text = numberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : decimals ?? 1 }).format(n);
  return `${negative ? '-' : ''}${text} ${BYTE_UNITS[unit]}`;
}

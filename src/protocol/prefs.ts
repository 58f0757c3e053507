/**
 * Column preferences and saved views: the wire shapes shared by the server
 * (src/server/prefs validates and stores them) and the web app (renders them),
 * plus the one layering function both use, so "nearest layer wins" has one author.
 *
 * Preferences are metadata about how a relation is shown; nothing here ever
 * alters the user's schema.
 */
import { z } from 'zod';

export const PREF_LAYERS = ['global', 'role', 'user'] as const;
export type PrefLayer = (typeof PREF_LAYERS)[number];

/** a Mantine colour name ('red', 'teal.7') or a CSS hex colour */
export const Colour = z.string().regex(/^(?:[a-z]+(?:\.\d)?|#[0-9a-fA-F]{3,8})$/, 'a colour name (red, teal.7) or #rrggbb');

export const FORMAT_KINDS = [
  'auto', 'text', 'number', 'currency', 'percent', 'bytes',
  'date', 'time', 'datetime', 'relative',
  'boolean', 'enum', 'link', 'email', 'image', 'json', 'fk',
] as const;
export type FormatKind = (typeof FORMAT_KINDS)[number];

export const RULE_OPS = ['lt', 'lte', 'gt', 'gte', 'eq', 'neq', 'contains', 'empty', 'notEmpty'] as const;

/** conditional colour: the first rule that matches the raw value gives the cell its colour */
export const ColourRule = z.strictObject({
  op: z.enum(RULE_OPS),
  value: z.string().max(500).optional(),
  colour: Colour,
});
export type ColourRule = z.infer<typeof ColourRule>;

export const ColumnFormat = z.strictObject({
  kind: z.enum(FORMAT_KINDS),
  /** number / currency / percent / bytes */
  decimals: z.number().int().min(0).max(10).optional(),
  /** thousands separator (number, currency) */
  thousands: z.boolean().optional(),
  /** ISO 4217 code */
  currency: z.string().regex(/^[A-Z]{3}$/, 'a 3-letter ISO currency code such as EUR').optional(),
  /** percent: 'fraction' shows 0.25 as 25 %, 'whole' shows 25 as 25 % */
  percentOf: z.enum(['fraction', 'whole']).optional(),
  /** boolean */
  booleanStyle: z.enum(['badge', 'checkbox']).optional(),
  trueLabel: z.string().max(100).optional(),
  falseLabel: z.string().max(100).optional(),
  /** enum chips: label → colour */
  colours: z.record(z.string().max(200), Colour).optional(),
  /** keep at most this many characters */
  truncate: z.number().int().min(1).max(100_000).optional(),
  /** image thumbnail height (px) */
  imageHeight: z.number().int().min(8).max(400).optional(),
  /** fk: the field of an embedded referenced row to show */
  labelField: z.string().max(63).optional(),
  rules: z.array(ColourRule).max(20).optional(),
});
export type ColumnFormat = z.infer<typeof ColumnFormat>;

export const ColumnPrefs = z.strictObject({
  visible: z.boolean().optional(),
  order: z.number().int().min(0).max(10_000).optional(),
  width: z.number().int().min(30).max(2000).optional(),
  pinned: z.enum(['left', 'right']).nullable().optional(),
  label: z.string().max(200).optional(),
  format: ColumnFormat.optional(),
});
export type ColumnPrefs = z.infer<typeof ColumnPrefs>;

export const RelationPrefs = z.strictObject({
  columns: z.record(z.string().min(1).max(63), ColumnPrefs).refine((c) => Object.keys(c).length <= 1600, 'too many columns'),
});
export type RelationPrefs = z.infer<typeof RelationPrefs>;

export type PrefLayers = { readonly [L in PrefLayer]: RelationPrefs | null };

/** GET /meta/prefs/:schema/:relation */
export interface PrefsResponse {
  readonly merged: RelationPrefs;
  readonly layers: PrefLayers;
  /** the owner of the role layer shown (the caller's role unless an admin asked for another) */
  readonly role: string;
  /** whether the caller may write the global and role layers */
  readonly canAdmin: boolean;
  /** whether the caller has a personal layer (a pglive user; not JWT / anonymous) */
  readonly canPersonal: boolean;
}

export const EMPTY_PREFS: RelationPrefs = Object.freeze({ columns: Object.freeze({}) }) as RelationPrefs;

const SETTINGS = ['visible', 'order', 'width', 'pinned', 'label', 'format'] as const;

/**
 * Merge layers, nearest (last) winning per column and per setting. A format is
 * one setting: mixing one layer's currency with another's date style would
 * show something nobody chose.
 */
export function mergePrefs(...layers: readonly (RelationPrefs | null | undefined)[]): RelationPrefs {
  const columns: Record<string, ColumnPrefs> = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const [name, prefs] of Object.entries(layer.columns)) {
      const into: Record<string, unknown> = { ...columns[name] };
      for (const key of SETTINGS) if (prefs[key] !== undefined) into[key] = prefs[key];
      columns[name] = into as ColumnPrefs;
    }
  }
  return { columns };
}

/** the layers in merge order, farthest first */
export function mergeLayers(layers: Partial<PrefLayers>): RelationPrefs {
  return mergePrefs(layers.global, layers.role, layers.user);
}

// ---------------------------------------------------------------- saved views

export const SavedViewInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  schema: z.string().min(1).max(63),
  relation: z.string().min(1).max(63),
  /** the grid's URL state (query string without '?') */
  query: z.string().max(16_384).default(''),
  columns: RelationPrefs.nullable().optional(),
  shared: z.boolean().default(false),
});
export type SavedViewInput = z.input<typeof SavedViewInput>;

export const SavedViewPatch = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  query: z.string().max(16_384).optional(),
  columns: RelationPrefs.nullable().optional(),
  shared: z.boolean().optional(),
});
export type SavedViewPatch = z.infer<typeof SavedViewPatch>;

export interface SavedView {
  readonly id: string;
  readonly owner: string;
  readonly ownerEmail: string | null;
  readonly name: string;
  readonly schema: string;
  readonly relation: string;
  readonly query: string;
  readonly columns: RelationPrefs | null;
  readonly shared: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** the caller may edit / delete it (owner or admin) */
  readonly mine: boolean;
}

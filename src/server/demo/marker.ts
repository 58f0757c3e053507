/**
 * How isDemoLoaded recognises a demo database without creating anything in
 * schema pglive: the demo's regions table carries this exact comment.
 * Interpolated into SQL as a literal, so it must never contain a quote.
 */
export const DEMO_MARKER_TABLE = 'public.regions';
export const DEMO_MARKER_COMMENT =
  'Sales regions of Acme Trading (pglive demo). Each sales team sees only the customers and orders of its own region.';

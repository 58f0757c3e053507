/**
 * The live websocket protocol, shared by the server (src/server/live) and every
 * client (src/client, the web app). One zod schema per message; types are
 * inferred from the schemas. docs/protocol.md explains the semantics.
 *
 * Version history:
 *   1 — subscribe / unsubscribe / resume / ping / auth; snapshot / patch / schema-changed / error / pong / ready
 *   2 — prefs-changed (column preferences of a relation changed: re-fetch /meta/prefs)
 */
import { z } from 'zod';

export const PROTOCOL_VERSION = 2;

/** a row identity: the JSON text of the array of primary key values, e.g. '[42]' or '[1,"a"]' */
export const RowKey = z.string().max(4096);
export type RowKey = z.infer<typeof RowKey>;

export const Row = z.record(z.string(), z.unknown());
export type Row = z.infer<typeof Row>;

const SubId = z.string().min(1).max(128);

// ---------------------------------------------------------------- client → server

export const Subscribe = z.strictObject({
  type: z.literal('subscribe'),
  /** client-chosen id, unique per socket */
  id: SubId,
  /** table or view name, as in /api/<table> */
  table: z.string().min(1).max(512),
  /** REST query string without '?', e.g. 'select=id,name&status=eq.open&order=id&limit=50' */
  query: z.string().max(16_384).default(''),
  /** schema (Accept-Profile); default: the first exposed schema */
  schema: z.string().min(1).max(256).optional(),
  /** total row count: exact (default), estimated, or none */
  count: z.enum(['exact', 'estimated', 'none']).default('exact'),
});

export const Unsubscribe = z.strictObject({ type: z.literal('unsubscribe'), id: SubId });

/** Re-subscribe after a reconnect, presenting the last version seen: the server answers with patches since then, or a snapshot. */
export const Resume = Subscribe.extend({ type: z.literal('resume'), version: z.number().int().nonnegative() });

/** Ask for a fresh snapshot (e.g. after the client saw a version gap). */
export const Resync = z.strictObject({ type: z.literal('resync'), id: SubId });

export const Ping = z.strictObject({ type: z.literal('ping'), t: z.number().optional() });

/** Credentials as the first message, for clients that cannot send cookies or headers on the upgrade. */
export const Auth = z.strictObject({ type: z.literal('auth'), token: z.string().min(1).max(8192) });

export const ClientMessage = z.discriminatedUnion('type', [Subscribe, Unsubscribe, Resume, Resync, Ping, Auth]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type SubscribeMessage = z.infer<typeof Subscribe>;
export type ResumeMessage = z.infer<typeof Resume>;

// ---------------------------------------------------------------- server → client

/**
 * Patch operations, applied in this order by applyPatch (src/protocol/patch.ts):
 * 1. every `remove` (key leaves the result);
 * 2. every row named by a `move` is detached;
 * 3. `insert` and `move` ops are applied in ascending `index` order, each placing
 *    its row at `index` of the list being rebuilt (indices are final positions);
 * 4. every `update` merges `fields` into the row with that key.
 */
export const PatchOp = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('remove'), key: RowKey }),
  z.strictObject({ op: z.literal('insert'), key: RowKey, index: z.number().int().nonnegative(), row: Row }),
  z.strictObject({ op: z.literal('move'), key: RowKey, index: z.number().int().nonnegative() }),
  z.strictObject({ op: z.literal('update'), key: RowKey, fields: Row }),
]);
export type PatchOp = z.infer<typeof PatchOp>;

export const Snapshot = z.strictObject({
  type: z.literal('snapshot'),
  id: SubId,
  version: z.number().int().nonnegative(),
  keys: z.array(RowKey),
  rows: z.array(Row),
  total: z.number().int().nonnegative().nullable(),
  /** 'live': change capture works; 'polling': triggers unavailable, re-evaluated periodically */
  mode: z.enum(['live', 'polling']),
});

export const Patch = z.strictObject({
  type: z.literal('patch'),
  id: SubId,
  fromVersion: z.number().int().nonnegative(),
  toVersion: z.number().int().nonnegative(),
  ops: z.array(PatchOp),
  total: z.number().int().nonnegative().nullable(),
});

export const SchemaChanged = z.strictObject({ type: z.literal('schema-changed'), at: z.number() });

export const LiveError = z.strictObject({
  type: z.literal('error'),
  /** the subscription the error is about, if any */
  id: SubId.optional(),
  code: z.string(),
  message: z.string(),
  details: z.string().nullable().optional(),
  hint: z.string().nullable().optional(),
});

export const Pong = z.strictObject({ type: z.literal('pong'), t: z.number().optional() });

/** sent once authenticated: who the socket acts as */
export const Ready = z.strictObject({
  type: z.literal('ready'),
  protocol: z.number().int(),
  role: z.string(),
  user: z.string().nullable(),
});

/** column preferences of schema.relation changed (any layer): clients showing it re-fetch /meta/prefs */
export const PrefsChanged = z.strictObject({ type: z.literal('prefs-changed'), schema: z.string(), relation: z.string() });

export const ServerMessage = z.discriminatedUnion('type', [Snapshot, Patch, SchemaChanged, LiveError, Pong, Ready, PrefsChanged]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export type SnapshotMessage = z.infer<typeof Snapshot>;
export type PatchMessage = z.infer<typeof Patch>;

/** websocket close codes (4000–4999 are application codes) */
export const CLOSE = {
  NORMAL: 1000,
  POLICY: 1008,
  TOO_BIG: 1009,
  UNAUTHENTICATED: 4001,
  SESSION_ENDED: 4002,
  FORBIDDEN_ORIGIN: 4003,
  RATE_LIMITED: 4008,
  SHUTTING_DOWN: 4010,
} as const;

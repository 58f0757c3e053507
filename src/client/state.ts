/**
 * The connection lifecycle of a LiveClient as an explicit state machine: a
 * discriminated union of states and a transition table that TypeScript checks
 * for completeness (adding a state without its row fails to compile).
 *
 *   connecting ──ready──▶ open ──socket lost──▶ reconnecting ──timer──▶ connecting
 *        │ socket lost / dead                        ▲
 *        └───────────────────────────────────────────┘
 *   any ──close() or fatal close code──▶ closed ──connect()──▶ connecting
 */

export interface CloseInfo {
  /** websocket close code; null when the socket failed before any close frame */
  readonly code: number | null;
  readonly reason: string;
}

export type ConnectionState =
  /** socket opening, or open and waiting for the server's `ready` (authentication) */
  | { readonly status: 'connecting'; readonly attempt: number }
  /** authenticated: subscriptions flow */
  | { readonly status: 'open'; readonly role: string; readonly user: string | null }
  /** waiting `delayMs` before attempt number `attempt` */
  | { readonly status: 'reconnecting'; readonly attempt: number; readonly delayMs: number; readonly lastClose: CloseInfo }
  /** closed by the client, or by the server with a code that retrying cannot fix (see FATAL_CLOSE_CODES) */
  | ({ readonly status: 'closed' } & CloseInfo);

export type ConnectionStatus = ConnectionState['status'];

export const TRANSITIONS = {
  connecting: ['open', 'reconnecting', 'closed'],
  // open → open: a new `ready` (e.g. the user's role changed) updates role and user
  open: ['open', 'reconnecting', 'closed'],
  reconnecting: ['connecting', 'closed'],
  closed: ['connecting'],
} as const satisfies { readonly [S in ConnectionStatus]: readonly ConnectionStatus[] };

export function canTransition(from: ConnectionStatus, to: ConnectionStatus): boolean {
  return (TRANSITIONS[from] as readonly ConnectionStatus[]).includes(to);
}

export interface ReconnectOptions {
  /** first delay, doubled per failed attempt (default 500 ms) */
  readonly minMs: number;
  /** delay cap (default 30 s) */
  readonly maxMs: number;
}

export const DEFAULT_RECONNECT: ReconnectOptions = { minMs: 500, maxMs: 30_000 };

/**
 * Exponential backoff with "equal jitter": a delay in [base/2, base] where
 * base = min(maxMs, minMs·2^attempt). The random half spreads a crowd of
 * clients that lost the same server; the fixed half keeps a floor under it.
 */
export function backoffDelay(attempt: number, opts: ReconnectOptions, random: () => number = Math.random): number {
  const base = Math.min(opts.maxMs, opts.minMs * 2 ** Math.min(attempt, 30));
  return Math.round(base / 2 + (random() * base) / 2);
}

/**
 * The live bench workload: 5 principals (4 roles, one of them under RLS with
 * two tenants) × 20 kinds = 100 distinct live views of 50-row pages, filtered
 * and sorted, each held by 10 websocket clients = 1,000 subscriptions.
 *
 * Every client of one principal presents the same JWT, so identical (role,
 * claims, query) subscriptions share one evaluation on the server, as clients
 * of one user or one service would.
 */
import { decodeJwt, SignJWT } from 'jose';

export const KINDS = 20;
export const CLIENTS_PER_VIEW = 10;
export const TABLE = 'bench_events';

export interface BenchPrincipal {
  readonly name: string;
  readonly role: string;
  readonly extraClaims: Readonly<Record<string, unknown>>;
  /** the query for one kind */
  readonly query: (kind: string) => string;
}

const page = (select: string, extra = '') => (kind: string) =>
  `select=${select}&kind=eq.${kind}${extra}&order=updated_at.desc,id&limit=50`;

export const PRINCIPALS: readonly BenchPrincipal[] = [
  { name: 'viewer', role: 'bench_live_viewer', extraClaims: {}, query: page('id,kind,amount,stamp,updated_at') },
  { name: 'editor', role: 'bench_live_editor', extraClaims: {}, query: page('id,kind,amount,stamp,updated_at,note') },
  { name: 'auditor', role: 'bench_live_auditor', extraClaims: {}, query: page('id,kind,tenant,amount,stamp,updated_at', '&amount=gte.0') },
  { name: 'tenant0', role: 'bench_live_tenant', extraClaims: { tenant: 0 }, query: page('id,kind,amount,stamp,updated_at') },
  { name: 'tenant1', role: 'bench_live_tenant', extraClaims: { tenant: 1 }, query: page('id,kind,amount,stamp,updated_at') },
];

export const kindName = (i: number) => `k${String(i).padStart(2, '0')}`;

export interface Subscription {
  /** index of the client (0 … 999) */
  readonly client: number;
  readonly principal: BenchPrincipal;
  readonly token: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly kind: string;
  readonly query: string;
  /** the distinct view it belongs to (0 … 99) */
  readonly view: number;
}

/** one subscription per client: client c holds view c % 100 */
export async function buildSubscriptions(jwtSecret: string): Promise<Subscription[]> {
  const key = new TextEncoder().encode(jwtSecret);
  const tokens = await Promise.all(
    PRINCIPALS.map((p) =>
      new SignJWT({ role: p.role, ...p.extraClaims }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('2h').sign(key),
    ),
  );
  const views = PRINCIPALS.length * KINDS;
  return Array.from({ length: views * CLIENTS_PER_VIEW }, (_, client) => {
    const view = client % views;
    const pi = view % PRINCIPALS.length;
    const principal = PRINCIPALS[pi]!;
    const kind = kindName(Math.floor(view / PRINCIPALS.length));
    return {
      client, principal, token: tokens[pi]!, claims: decodeJwt(tokens[pi]!) as Record<string, unknown>,
      kind, query: principal.query(kind), view,
    };
  });
}

/** Turns an executed plan into PostgREST-shaped HTTP responses (status, Content-Range, Location, CSV). */
import type { FastifyReply } from 'fastify';
import type { MutatePlan, ReadPlan } from '../plan/types.js';
import type { ApiRequest } from '../request/types.js';
import { PgliveError } from '../errors.js';

export type Outcome =
  | { kind: 'read'; plan: ReadPlan; pageTotal: number; total: number | null; body: string | null }
  | { kind: 'mutation'; plan: MutatePlan; affected: number; body: string | null; keys: unknown[][] | null; inserted: number | null };

const JSON_TYPE = 'application/json; charset=utf-8';
const OBJECT_TYPE = 'application/vnd.pgrst.object+json; charset=utf-8';
const CSV_TYPE = 'text/csv; charset=utf-8';

/**
 * RFC 4180: fields with a comma, quote, CR or LF are quoted and quotes doubled.
 * null is an empty field and '' is "" so the two stay distinguishable (PostgREST).
 * (csv-stringify cannot tell them apart, hence these few lines.)
 */
function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s === '' || /[",\r\n]/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
}

export function toCsv(jsonArray: string | null, columns: readonly string[]): string {
  const rows = jsonArray ? (JSON.parse(jsonArray) as Record<string, unknown>[]) : [];
  const header = rows.length > 0 ? Object.keys(rows[0]!) : [...columns];
  const lines = [header.map(csvField).join(','), ...rows.map((r) => header.map((h) => csvField(r[h])).join(','))];
  return lines.join('\n') + '\n';
}

/** '[{...}]' → '{...}': json_agg output of exactly one row */
function firstElement(jsonArray: string): string {
  // PostgreSQL built '[' + rows joined by ',' + ']'; with exactly one row the row is the inside
  const inner = jsonArray.slice(1, -1);
  return inner === '' ? 'null' : inner;
}

function contentRange(offset: number, pageTotal: number, total: number | null): string {
  const t = total === null ? '*' : String(total);
  return pageTotal === 0 ? `*/${t}` : `${offset}-${offset + pageTotal - 1}/${t}`;
}

function formatBody(media: ApiRequest['accept'], singular: boolean, body: string | null, columns: readonly string[]): { type: string; payload: string } {
  if (media === 'csv') return { type: CSV_TYPE, payload: toCsv(body, columns) };
  if (singular) return { type: OBJECT_TYPE, payload: body ? firstElement(body) : 'null' };
  return { type: JSON_TYPE, payload: body ?? '[]' };
}

function locationOf(plan: MutatePlan, keys: unknown[][] | null): string | null {
  const pk = plan.relation.primaryKey;
  if (!keys || keys.length !== 1 || pk.length === 0) return null;
  const q = pk.map((k, i) => `${encodeURIComponent(k)}=eq.${encodeURIComponent(String(keys[0]![i]))}`).join('&');
  return `/${encodeURIComponent(plan.relation.name)}?${q}`;
}

export function sendBody(reply: FastifyReply, req: ApiRequest, o: Outcome): FastifyReply {
  if (req.prefer.applied.length > 0) reply.header('Preference-Applied', req.prefer.applied.join(', '));
  if (req.profile !== null) reply.header('Content-Profile', req.profile);
  if (o.kind === 'read') {
    const { plan } = o;
    if (plan.voidFunction) return reply.code(204).send();
    const offset = plan.node.offset;
    if (o.total !== null && offset > 0 && offset >= o.total && o.pageTotal === 0) {
      throw new PgliveError('PGRST103', 'Requested range not satisfiable', {
        details: `An offset of ${offset} was requested, but there are only ${o.total} rows`,
        headers: { 'Content-Range': `*/${o.total}` },
      });
    }
    if (!plan.scalarFunction) reply.header('Content-Range', contentRange(offset, o.pageTotal, o.total));
    const partial = o.total !== null && o.pageTotal < o.total;
    reply.code(partial ? 206 : 200);
    if (plan.scalarFunction) {
      return reply.type(JSON_TYPE).send(plan.headOnly ? undefined : (o.body ?? 'null'));
    }
    const { type, payload } = formatBody(plan.media, plan.singular, o.body, plan.columnNames);
    reply.type(type);
    return reply.send(plan.headOnly ? undefined : payload);
  }
  const { plan } = o;
  // an upsert that only updated answers 200; a PUT that inserted answers 201 (when known: representation / headers-only on tables)
  const onlyUpdated = o.inserted === 0 && o.affected > 0;
  const status = plan.kind === 'insert'
    ? (onlyUpdated ? 200 : 201)
    : plan.kind === 'upsert-put' && (o.inserted ?? 0) > 0 ? 201 : plan.returning === 'representation' ? 200 : 204;
  reply.header('Content-Range', `*/${o.affected}`);
  const loc = plan.kind === 'insert' ? locationOf(plan, o.keys) : null;
  if (loc) reply.header('Location', loc);
  if (plan.returning !== 'representation') return reply.code(plan.kind === 'insert' ? status : 204).send();
  const { type, payload } = formatBody(plan.media, plan.singular, o.body, []);
  return reply.code(status).type(type).send(payload);
}

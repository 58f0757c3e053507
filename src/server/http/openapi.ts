/**
 * GET /api/ → an OpenAPI 3 document generated from the SchemaCache, showing
 * what the caller's role may do (operations it lacks privileges for are left out).
 */
import type { Column, DbFunction, Relation, SchemaCache } from '../catalog/types.js';

type Json = Record<string, unknown>;

function columnSchema(c: Column): Json {
  const scalar = ((): Json => {
    if (c.enumLabels) return { type: 'string', enum: [...c.enumLabels] };
    switch (c.baseTypeName) {
      case 'int2': case 'int4': return { type: 'integer', format: 'int32' };
      case 'int8': return { type: 'integer', format: 'int64' };
      case 'float4': case 'float8': return { type: 'number' };
      case 'numeric': return { type: 'number' };
      case 'bool': return { type: 'boolean' };
      case 'json': case 'jsonb': return {};
      case 'uuid': return { type: 'string', format: 'uuid' };
      case 'date': return { type: 'string', format: 'date' };
      case 'timestamp': case 'timestamptz': return { type: 'string', format: 'date-time' };
      default: return { type: 'string' };
    }
  })();
  let s: Json = scalar;
  for (let i = 0; i < c.arrayDims; i++) s = { type: 'array', items: s };
  const out: Json = { ...s, 'x-pg-type': c.type };
  if (c.comment) out.description = c.comment;
  if (c.maxLength !== null) out.maxLength = c.maxLength;
  if (c.default !== null) out['x-default'] = c.default;
  if (c.identity || c.generated) out.readOnly = true;
  if (c.nullable) out.nullable = true;
  return out;
}

function relationSchema(r: Relation): Json {
  const required = r.columns.filter((c) => !c.nullable && c.default === null && !c.identity && !c.generated).map((c) => c.name);
  return {
    type: 'object',
    ...(r.comment ? { description: r.comment } : {}),
    ...(required.length > 0 ? { required } : {}),
    properties: Object.fromEntries(r.columns.map((c) => [c.name, columnSchema(c)])),
    'x-pg-kind': r.kind,
    ...(r.primaryKey.length > 0 ? { 'x-primary-key': [...r.primaryKey] } : {}),
  };
}

const COMMON_PARAMS = [
  { name: 'select', in: 'query', schema: { type: 'string' }, description: 'Columns and embedded relations, e.g. id,name,orders(*)' },
  { name: 'order', in: 'query', schema: { type: 'string' }, description: 'e.g. name.asc,created_at.desc.nullslast' },
  { name: 'limit', in: 'query', schema: { type: 'integer' } },
  { name: 'offset', in: 'query', schema: { type: 'integer' } },
  { name: 'Range', in: 'header', schema: { type: 'string' } },
  { name: 'Prefer', in: 'header', schema: { type: 'string' }, description: 'count=exact|planned|estimated, return=…, resolution=…' },
];

function ref(r: { schema: string; name: string }): string {
  return `#/components/schemas/${encodeURIComponent(`${r.schema}.${r.name}`)}`;
}

function relationPath(r: Relation, role: string): Json {
  const priv = r.privileges[role];
  const can = (what: 'select' | 'insert' | 'update') => (priv ? priv[what].length > 0 : true);
  const rows = { type: 'array', items: { $ref: ref(r) } };
  const ok = (description: string, schema?: Json) => ({ description, ...(schema ? { content: { 'application/json': { schema } } } : {}) });
  const filterParams = r.columns.map((c) => ({ name: c.name, in: 'query', required: false, schema: { type: 'string' }, description: `Filter, e.g. ${c.name}=eq.value` }));
  const path: Json = {};
  if (can('select')) path.get = { summary: r.comment ?? `Read ${r.name}`, parameters: [...COMMON_PARAMS, ...filterParams], responses: { 200: ok('Rows', rows), 206: ok('Partial rows', rows) } };
  const body = { required: true, content: { 'application/json': { schema: { oneOf: [{ $ref: ref(r) }, rows] } } } };
  if (r.insertable && can('insert')) path.post = { summary: `Insert into ${r.name}`, requestBody: body, responses: { 201: ok('Created') } };
  if (r.updatable && can('update')) path.patch = { summary: `Update ${r.name}`, parameters: filterParams, requestBody: { content: { 'application/json': { schema: { $ref: ref(r) } } } }, responses: { 200: ok('Updated rows', rows), 204: ok('Updated') } };
  if (r.deletable && (priv ? priv.delete : true)) path.delete = { summary: `Delete from ${r.name}`, parameters: filterParams, responses: { 200: ok('Deleted rows', rows), 204: ok('Deleted') } };
  return path;
}

function rpcPath(fn: DbFunction): Json {
  const props = Object.fromEntries(fn.args.filter((a) => a.name !== '').map((a) => [a.name, { 'x-pg-type': a.type }]));
  const required = fn.args.filter((a) => a.name !== '' && !a.hasDefault).map((a) => a.name);
  const post = {
    summary: fn.comment ?? `Call ${fn.name}`,
    requestBody: { content: { 'application/json': { schema: { type: 'object', properties: props, ...(required.length > 0 ? { required } : {}) } } } },
    responses: { 200: { description: `Returns ${fn.returnType}` } },
  };
  const path: Json = { post };
  if (fn.volatility !== 'volatile') {
    path.get = {
      summary: post.summary,
      parameters: fn.args.filter((a) => a.name !== '').map((a) => ({ name: a.name, in: 'query', required: !a.hasDefault, schema: { type: 'string' } })),
      responses: post.responses,
    };
  }
  return path;
}

export function openApiDocument(cache: SchemaCache, role: string, profile: string | null): Json {
  const schema = profile ?? cache.schemas[0] ?? 'public';
  const rels = cache.relations.filter((r) => r.schema === schema);
  const fns = cache.functions.filter((f) => f.schema === schema && (cache.roles.includes(role) ? f.executableBy.includes(role) : true));
  const paths: Json = { '/': { get: { summary: 'This OpenAPI document', responses: { 200: { description: 'OpenAPI 3' } } } } };
  for (const r of rels) {
    const p = relationPath(r, role);
    if (Object.keys(p).length > 0) paths[`/${r.name}`] = p;
  }
  for (const f of fns) paths[`/rpc/${f.name}`] = rpcPath(f);
  return {
    openapi: '3.0.3',
    info: { title: 'pglive API', version: String(cache.loadedAt), description: `PostgREST-compatible API over schema "${schema}" as role "${role}"` },
    paths,
    components: {
      schemas: Object.fromEntries(cache.relations.filter((r) => r.schema === schema).map((r) => [`${r.schema}.${r.name}`, relationSchema(r)])),
    },
  };
}

/**
 * planRequest: ApiRequest × SchemaCache → Plan. Pure; the only stage that
 * knows names exist. Throws PgliveError naming the bad part.
 */
import type { DbFunction, Relation, SchemaCache } from '../catalog/types.js';
import { schemaIndex } from '../catalog/index.js';
import { PgliveError } from '../errors.js';
import type { ApiRequest } from '../request/types.js';
import { planMutation } from './mutate.js';
import { AliasCounter, applyModifiers, outputNames, planNode, type PlanContext } from './read.js';
import { chooseOverload, rpcArgs } from './rpc.js';
import type { Plan, ReadPlan } from './types.js';

export interface PlanOptions {
  readonly role: string;
  readonly maxRows: number | null;
}

export function requestSchema(req: ApiRequest, cache: SchemaCache): string {
  if (req.profile === null) {
    const first = cache.schemas[0];
    if (first === undefined) throw new PgliveError('PGRST106', 'No schema is exposed');
    return first;
  }
  if (!cache.schemas.includes(req.profile)) {
    throw new PgliveError('PGRST106', `The schema "${req.profile}" is not exposed`, {
      hint: `Exposed schemas: ${cache.schemas.join(', ')}`,
    });
  }
  return req.profile;
}

export function findRelation(cache: SchemaCache, schema: string, name: string): Relation {
  const rel = schemaIndex(cache).relation(schema, name);
  if (!rel) {
    const near = cache.relations
      .filter((r) => r.schema === schema && r.name.toLowerCase() === name.toLowerCase())
      .map((r) => r.name);
    throw new PgliveError('PGRST205', `Could not find the table "${schema}.${name}" in the schema cache`, {
      hint: near.length > 0 ? `Perhaps you meant "${near[0]}" (names are case-sensitive)` : null,
    });
  }
  return rel;
}

export function planRequest(req: ApiRequest, cache: SchemaCache, opts: PlanOptions): Plan {
  const ctx: PlanContext = { cache, role: opts.role, aliases: new AliasCounter(), maxRows: opts.maxRows };
  const schema = requestSchema(req, cache);
  const res = req.resource;
  if (res.type === 'root') {
    throw new PgliveError('PGLIVE105', 'The root path serves the OpenAPI document only (GET /)');
  }
  const singular = req.accept === 'object';
  const headOnly = req.method === 'HEAD';

  if (res.type === 'relation') {
    const relation = findRelation(cache, schema, res.name);
    if (req.method === 'GET' || req.method === 'HEAD') {
      const node = planNode(ctx, { kind: 'relation', relation }, req.select);
      applyModifiers(ctx, node, req);
      return {
        kind: 'read', node, count: req.prefer.count, media: req.accept, singular, headOnly, readOnly: true,
        scalarFunction: false, voidFunction: false, columnNames: outputNames(node),
      };
    }
    return planMutation(ctx, req, relation);
  }

  // RPC
  const overloads = schemaIndex(cache).functions(schema, res.name);
  if (overloads.length === 0) {
    throw new PgliveError('PGRST202', `Could not find the function "${schema}.${res.name}" in the schema cache`, {
      hint: 'Check the name and the exposed schemas; functions are reloaded with the schema cache',
    });
  }
  const readOnly = req.method === 'GET' || req.method === 'HEAD';
  if (!readOnly && req.method !== 'POST') {
    throw new PgliveError('PGRST101', `Functions accept GET, HEAD and POST only, not ${req.method}`);
  }
  const given = readOnly ? Object.keys(req.rpcParams) : bodyKeys(req.body);
  const fn: DbFunction = chooseOverload(overloads, given, readOnly, req);
  if (readOnly && fn.volatility === 'volatile') {
    throw new PgliveError('PGRST101', `Function "${fn.name}" is volatile: call it with POST`, {
      hint: 'Mark it STABLE or IMMUTABLE to allow GET',
    });
  }
  const args = rpcArgs(fn, req, readOnly);
  const argNames = new Set(args.map((a) => a.name));
  const relation = fn.returnsRelation ? schemaIndex(cache).relation(fn.returnsRelation.schema, fn.returnsRelation.name) ?? null : null;
  const voidFunction = fn.returnType === 'void';
  const scalarFunction = fn.returnsScalar && !relation;
  const node = planNode(
    ctx,
    { kind: 'function', fn, args, relation },
    scalarFunction || voidFunction ? [] : req.select,
  );
  if (!scalarFunction && !voidFunction) {
    applyModifiers(ctx, node, req, { skipConditionsFor: readOnly ? argNames : new Set() });
  } else if (scalarFunction && fn.returnsSet) {
    const root = req.ranges.find((r) => r.path.length === 0);
    if (root) {
      node.limit = root.limit;
      node.offset = root.offset;
    }
  }
  if ((scalarFunction || voidFunction) && req.conditions.some((c) => !(c.condition.type === 'filter' && argNames.has(c.condition.field.name)))) {
    throw new PgliveError('PGRST100', `Function "${fn.name}" returns a scalar: filters do not apply`);
  }
  const plan: ReadPlan = {
    kind: 'read', node, count: req.prefer.count, media: req.accept,
    singular: singular || (!fn.returnsSet && !scalarFunction && !voidFunction),
    headOnly, readOnly, scalarFunction, voidFunction, columnNames: outputNames(node),
  };
  return plan;
}

function bodyKeys(body: unknown): string[] {
  if (body === null || body === undefined) return [];
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new PgliveError('PGRST102', 'Function arguments must be a JSON object of named arguments');
  }
  return Object.keys(body);
}

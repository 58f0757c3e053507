/** Overload resolution and argument binding for /rpc/fn (PostgREST semantics: named arguments). */
import type { DbFunction } from '../catalog/types.js';
import { PgliveError } from '../errors.js';
import type { ApiRequest } from '../request/types.js';
import type { RpcArg } from './types.js';

function signature(fn: DbFunction): string {
  return `${fn.name}(${fn.args.map((a) => `${a.name || '<unnamed>'} ${a.type}${a.hasDefault ? ' default' : ''}`).join(', ')})`;
}

/** A function with a single unnamed json/jsonb argument receives the whole body. */
function takesWholeBody(fn: DbFunction): boolean {
  return fn.args.length === 1 && fn.args[0]!.name === '' && /^jsonb?$/.test(fn.args[0]!.type);
}

export function chooseOverload(overloads: readonly DbFunction[], given: readonly string[], readOnly: boolean, req: ApiRequest): DbFunction {
  const givenSet = new Set(given);
  const fits = overloads.filter((fn) => {
    if (takesWholeBody(fn)) return !readOnly;
    const names = new Set(fn.args.map((a) => a.name));
    const required = fn.args.filter((a) => !a.hasDefault && a.mode !== 'variadic');
    if (required.some((a) => a.name === '' || !givenSet.has(a.name))) return false;
    // GET: params that are not argument names are filters, so they need not match
    return readOnly ? true : given.every((k) => names.has(k));
  });
  let chosen = fits;
  if (chosen.length > 1) {
    // prefer the overload that uses the most of the given names, then the fewest extra args
    const score = (fn: DbFunction) => fn.args.filter((a) => givenSet.has(a.name)).length * 100 - fn.args.length;
    const best = Math.max(...chosen.map(score));
    chosen = chosen.filter((fn) => score(fn) === best);
  }
  if (chosen.length === 0) {
    const name = overloads[0]!.name;
    throw new PgliveError('PGRST202', `Could not find the function "${overloads[0]!.schema}.${name}" with the arguments (${given.join(', ')})`, {
      details: `Candidates: ${overloads.map(signature).join('; ')}`,
      hint: req.method === 'GET' ? 'Pass arguments as query parameters named like the function arguments' : 'Pass arguments as a JSON object keyed by argument name',
    });
  }
  if (chosen.length > 1) {
    throw new PgliveError('PGRST203', `Could not choose the best candidate function between: ${chosen.map(signature).join('; ')}`, {
      hint: 'Rename arguments or remove an overload so the argument names decide',
    });
  }
  return chosen[0]!;
}

export function rpcArgs(fn: DbFunction, req: ApiRequest, readOnly: boolean): RpcArg[] {
  if (takesWholeBody(fn)) return [{ name: '', value: req.body ?? {} }];
  const source: Record<string, unknown> = readOnly
    ? { ...req.rpcParams }
    : ((req.body as Record<string, unknown> | null | undefined) ?? {});
  const args: RpcArg[] = [];
  for (const a of fn.args) {
    if (a.name !== '' && Object.hasOwn(source, a.name)) args.push({ name: a.name, value: source[a.name] });
  }
  return args;
}

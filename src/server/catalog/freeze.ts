/**
 * Recursively freezes plain data (objects and arrays) in place. The schema
 * cache is shared by every request: an accidental mutation anywhere must throw
 * (ESM is strict mode) instead of silently corrupting it. The types already say
 * readonly; this makes it true at run time.
 */
export function deepFreeze<T>(value: T): T {
  // iterative, so very wide or deep values cannot overflow the stack
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || Object.isFrozen(v)) continue;
    Object.freeze(v);
    for (const key of Object.keys(v)) stack.push((v as Record<string, unknown>)[key]);
  }
  return value;
}

import { describe, expect, it } from 'vitest';
import { isDriverClosedSocketWrite } from './pool.js';

describe('isDriverClosedSocketWrite', () => {
  const stack = "TypeError: Cannot read properties of null (reading 'write')\n    at Immediate.nextWrite (/app/node_modules/postgres/src/connection.js:255:22)";
  it('recognises the driver\'s write on a dropped socket, thrown or serialised by a test worker', () => {
    const thrown = new TypeError("Cannot read properties of null (reading 'write')");
    thrown.stack = stack;
    expect(isDriverClosedSocketWrite(thrown)).toBe(true);
    expect(isDriverClosedSocketWrite({ name: 'TypeError', message: thrown.message, stack })).toBe(true);
  });
  it('recognises nothing else', () => {
    expect(isDriverClosedSocketWrite(new TypeError("Cannot read properties of null (reading 'write')"))).toBe(false); // not the driver
    expect(isDriverClosedSocketWrite({ name: 'Error', message: "reading 'write'", stack })).toBe(false);
    expect(isDriverClosedSocketWrite(null)).toBe(false);
    expect(isDriverClosedSocketWrite('TypeError')).toBe(false);
  });
});

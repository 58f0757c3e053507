import { describe, expect, it } from 'vitest';
import { quoteIdent, quoteQualified } from './ident.js';

describe('quoteIdent', () => {
  it.each([
    ['plain', '"plain"'],
    ['Upper Case', '"Upper Case"'],
    ['with"quote', '"with""quote"'],
    ['select', '"select"'],
    ['ünïcødé', '"ünïcødé"'],
    ['a"; drop table x; --', '"a""; drop table x; --"'],
  ])('%s → %s', (input, out) => {
    expect(quoteIdent(input)).toBe(out);
  });
  it('rejects empty and NUL identifiers', () => {
    expect(() => quoteIdent('')).toThrow(/empty/);
    expect(() => quoteIdent('a\0b')).toThrow(/NUL/);
  });
  it('qualifies', () => {
    expect(quoteQualified('my schema', 't')).toBe('"my schema"."t"');
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../src/server/errors.js';
import { BEGIN, END, catalogueTable } from '../scripts/errors-doc.js';

describe('docs/errors.md', () => {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  it('contains the catalogue exactly as in src/server/errors.ts (run: npx tsx scripts/errors-doc.ts)', () => {
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    expect(start).toBeGreaterThan(-1);
    expect(doc.slice(start + BEGIN.length, end).trim()).toBe(catalogueTable());
  });
  it('every code is PGRSTnnn or PGLIVEnnn with an HTTP status from 300 to 599', () => {
    for (const [code, e] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^(PGRST|PGLIVE)\d{3}$/);
      expect(e.status).toBeGreaterThanOrEqual(300);
      expect(e.status).toBeLessThan(600);
    }
  });
});

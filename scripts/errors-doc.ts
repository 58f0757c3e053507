/** Regenerates the catalogue table in docs/errors.md from src/server/errors.ts: `npx tsx scripts/errors-doc.ts`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { ERRORS } from '../src/server/errors.js';

export const BEGIN = '<!-- catalogue:begin -->';
export const END = '<!-- catalogue:end -->';

export function catalogueTable(): string {
  const rows = Object.entries(ERRORS).map(([code, e]) => `| \`${code}\` | ${e.status} | ${e.title} |`);
  return ['| code | HTTP status | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

if (process.argv[1]?.endsWith('errors-doc.ts')) {
  const path = new URL('../docs/errors.md', import.meta.url);
  const doc = readFileSync(path, 'utf8');
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < 0) throw new Error('docs/errors.md lacks the catalogue markers');
  writeFileSync(path, doc.slice(0, start + BEGIN.length) + '\n' + catalogueTable() + '\n' + doc.slice(end));
}

/** Each benchmark owns one marked section of BENCHMARKS.md and rewrites only that. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Replaces the text from `start` to `end` (markers included; `section` must
 * contain both) or, when the markers are missing, appends `intro` + `section`.
 */
export function writeSection(path: string, markers: { start: string; end: string }, section: string, intro = ''): void {
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const i = old.indexOf(markers.start);
  const j = old.indexOf(markers.end);
  const next = i >= 0 && j > i ? old.slice(0, i) + section + old.slice(j + markers.end.length) : `${old.trimEnd()}\n\n${intro}${section}\n`;
  writeFileSync(path, next);
}

/**
 * A hand-rolled scanner shared by the query-string sub-parsers (select, filter,
 * logic, order, param keys). Every parse is a single forward pass with no
 * backtracking beyond a saved position, so any input is parsed in linear time.
 */
import { PgliveError, type ErrorCode } from '../errors.js';

const MAX_SHOWN = 120;

/** Quote user input for an error message, truncated so one huge param can't blow up a log line. */
export function show(s: string): string {
  return JSON.stringify(s.length > MAX_SHOWN ? s.slice(0, MAX_SHOWN) + '…' : s);
}

/** `"order" parameter: <msg>`: every syntax error names the query param it came from. */
export function syntaxError(context: string, message: string, code: ErrorCode = 'PGRST100'): PgliveError {
  return new PgliveError(code, `${context}: ${message}`);
}

export class Cursor {
  pos = 0;

  /** `context` names the source in messages, e.g. `"select" parameter` */
  constructor(
    readonly src: string,
    readonly context: string,
  ) {}

  get eof(): boolean {
    return this.pos >= this.src.length;
  }

  /** the current character, '' at the end */
  peek(): string {
    return this.src[this.pos] ?? '';
  }

  at(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  eat(s: string): boolean {
    if (!this.at(s)) return false;
    this.pos += s.length;
    return true;
  }

  expect(s: string): void {
    if (!this.eat(s)) this.fail(`expected ${show(s)}`);
  }

  skipWs(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }

  /** everything up to (not including) the first of `stops`, or to the end */
  readUntil(stops: string): string {
    const start = this.pos;
    while (this.pos < this.src.length && !stops.includes(this.src[this.pos]!)) this.pos++;
    return this.src.slice(start, this.pos);
  }

  /** where we are, for messages: `at position 4 in "a,b("` / `at the end of "a,b("` */
  where(): string {
    return this.eof ? `at the end of ${show(this.src)}` : `at position ${this.pos} in ${show(this.src)}`;
  }

  fail(message: string, code: ErrorCode = 'PGRST100'): never {
    throw syntaxError(this.context, `${message} ${this.where()}`, code);
  }

  /** fail on leftover input after a complete parse */
  end(): void {
    if (!this.eof) this.fail(`unexpected ${show(this.peek())}`);
  }
}

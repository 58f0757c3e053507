/** Collects bind parameters while SQL text is rendered: values never enter the text. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return '$' + this.values.length;
  }
}

export interface SqlStatement {
  readonly text: string;
  readonly values: readonly unknown[];
}

/**
 * A list of request values as a PostgreSQL array literal ({"a","b"}), so the
 * array type's own input function parses it: the driver only knows how to
 * serialise arrays of built-in types, and an enum[] parameter arrived as "a,b".
 */
export function arrayLiteral(values: readonly string[]): string {
  return '{' + values.map((v) => '"' + v.replace(/[\\"]/g, '\\$&') + '"').join(',') + '}';
}

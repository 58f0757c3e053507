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

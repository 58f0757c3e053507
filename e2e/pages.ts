/** Page objects for the web app: what a test reads and clicks, in the app's own terms. */
import type { Locator, Page } from 'playwright-core';

export class GridPage {
  constructor(readonly page: Page) {}

  get grid(): Locator {
    return this.page.getByTestId('grid');
  }

  /** rows with data (not placeholders, not fading ghosts) */
  get rows(): Locator {
    return this.grid.locator('.pg-row[data-key]:not([data-ghost="true"])');
  }

  row(key: string): Locator {
    return this.grid.locator(`.pg-row[data-key='${key}']`);
  }

  cell(key: string, column: string): Locator {
    return this.row(key).locator(`.pg-cell[data-column='${column}']`);
  }

  header(column: string): Locator {
    return this.grid.locator(`.pg-hcell[data-column='${column}'] .pg-hcell-sort`);
  }

  async open(baseUrl: string, schema: string, name: string, query = ''): Promise<void> {
    await this.page.goto(`${baseUrl}/t/${schema}/${name}${query ? `?${query}` : ''}`);
    await this.waitLive();
  }

  /** opens the filter editor and picks `value` of an enum `column` (the editor stays open) */
  async filterEnum(column: string, value: string): Promise<Locator> {
    await this.page.getByTestId('filters-button').click();
    const builder = this.page.getByTestId('filter-builder');
    await builder.locator('input[aria-label="Column"]').click();
    await this.page.getByRole('option', { name: column, exact: true }).click();
    await builder.locator('input[aria-label="Values"]').click();
    await this.page.getByRole('option', { name: value }).click();
    return builder;
  }

  async waitLive(): Promise<void> {
    await this.page.getByTestId('grid-status').filter({ hasText: /^Live/ }).waitFor({ timeout: 15_000 });
  }

  /** the keys of the loaded rows, top to bottom */
  async keys(): Promise<string[]> {
    return this.rows.evaluateAll((els) =>
      els
        .map((e) => ({ key: e.getAttribute('data-key')!, y: new DOMMatrix(getComputedStyle(e).transform).m42 }))
        .sort((a, b) => a.y - b.y)
        .map((r) => r.key),
    );
  }

  /** the texts of one column for the loaded rows, top to bottom (one snapshot of the DOM) */
  async column(column: string): Promise<string[]> {
    return this.rows.evaluateAll((els, col) =>
      els
        .map((e) => ({ y: new DOMMatrix(getComputedStyle(e).transform).m42, text: e.querySelector(`.pg-cell[data-column='${col}']`)?.textContent ?? '' }))
        .sort((a, b) => a.y - b.y)
        .map((r) => r.text),
    column);
  }

  /** the key of the topmost row fully in view */
  async firstVisibleKey(): Promise<string | null> {
    return this.grid.evaluate((grid) => {
      const top = grid.scrollTop;
      const rows = Array.from(grid.querySelectorAll('.pg-row[data-key]:not([data-ghost="true"])'))
        .map((e) => ({ key: e.getAttribute('data-key'), y: new DOMMatrix(getComputedStyle(e).transform).m42 }))
        .filter((r) => r.y >= top - 1)
        .sort((a, b) => a.y - b.y);
      return rows[0]?.key ?? null;
    });
  }

  async count(): Promise<string> {
    return (await this.page.getByTestId('row-count').textContent()) ?? '';
  }
}

/**
 * Saved views end to end: filter the grid, save it under a name, leave the
 * filter, and get it back from the Views menu (URL and rows).
 */
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { logIn, newContext, startHarnessAndBrowser, type Harness } from './harness.js';
import { GridPage } from './pages.js';

const MANAGER = { email: 'manager@acme.test', password: 'acme-manager' };

let h: Harness;
let browser: Browser;
let page: Page;
let grid: GridPage;

beforeAll(async () => {
  [h, browser] = await startHarnessAndBrowser({ adminUrl: inject('adminUrl'), demo: true, demoUsers: true });
  page = await (await newContext(browser)).newPage();
  // fail at the step that hangs, not at the test's timeout
  page.setDefaultTimeout(8000);
  grid = new GridPage(page);
  await logIn(page, h.url, MANAGER.email, MANAGER.password);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

it('saves the filtered grid as a named view and brings the filter back from the Views menu', async () => {
  await grid.open(h.url, 'public', 'orders', 'sort=id.desc');
  const builder = await grid.filterEnum('status', 'cancelled');
  await expect.poll(() => page.url()).toMatch(/f=status~in~cancelled/);
  await expect.poll(async () => new Set(await grid.column('status'))).toEqual(new Set(['cancelled']));
  await page.getByTestId('filters-button').click();
  await builder.waitFor({ state: 'hidden' });
  const filteredCount = await grid.count();

  await page.getByTestId('views-button').click();
  await page.getByTestId('save-view').click();
  await page.getByTestId('view-name').fill('My view');
  await page.getByTestId('view-save-submit').click();
  await page.getByText('Saved view “My view”').waitFor();
  const [stored] = await h.sql<{ query: string; shared: boolean }[]>`select query, shared from pglive.saved_views where name = 'My view'`;
  expect(stored).toEqual({ query: 'sort=id.desc&f=status~in~cancelled', shared: false });

  // leave the filter: the plain table shows other statuses again
  await grid.open(h.url, 'public', 'orders');
  await expect.poll(async () => new Set(await grid.column('status')).size).toBeGreaterThan(1);
  expect(page.url()).not.toMatch(/f=/);

  await page.getByTestId('views-button').click();
  await page.getByRole('menuitem', { name: /My view/ }).click();
  await expect.poll(() => page.url()).toMatch(/\?sort=id\.desc&f=status~in~cancelled$/);
  await expect.poll(async () => new Set(await grid.column('status'))).toEqual(new Set(['cancelled']));
  await expect.poll(() => grid.count()).toBe(filteredCount);
  // Back returns to the unfiltered table: applying a view is ordinary navigation
  await page.goBack();
  await expect.poll(() => page.url()).not.toMatch(/f=/);
});

/**
 * Record pages in Chromium: edit and save, CHECK errors on the right field,
 * the FK picker (edit and create), live reverse relations, permissions, and a
 * conflicting edit caught instead of overwritten.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { mkdirSync } from 'node:fs';
import { SCREENSHOTS, startRecordsEnv, type RecordsEnv } from './records-support.js';

let env: RecordsEnv;

beforeAll(async () => {
  env = await startRecordsEnv(inject('adminUrl'));
}, 120_000);
afterAll(async () => env?.close());

describe('record pages', () => {
  it('edits and saves a record; a CHECK violation lands on its field', async () => {
    const page = await env.open('clerk', '/t/public/customers/1');
    await page.getByTestId('record-title').getByText('Ada Lovelace').waitFor();
    await expect(page.getByTestId('value-balance').textContent()).resolves.toBe('1,234.50');

    await page.getByTestId('record-edit').click();
    // identity column: read-only
    await page.getByTestId('record-field-id').getByLabel('read-only').waitFor();
    await page.getByTestId('field-notes').fill('Met at the Analytical Engine demo');
    await page.getByTestId('field-balance').fill('-5');
    await page.getByTestId('record-save').click();
    // the database's CHECK (balance >= 0) is shown on the balance field
    await page.getByTestId('record-field-balance').getByText('violates the check customers_balance_check').waitFor();

    await page.getByTestId('field-balance').fill('1500.25');
    await page.getByTestId('record-save').click();
    await page.getByTestId('value-balance').getByText('1,500.25').waitFor();
    const [row] = await env.h.sql<{ balance: string; notes: string }[]>`select balance::text, notes from customers where id = 1`;
    expect(row).toEqual({ balance: '1500.25', notes: 'Met at the Analytical Engine demo' });

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}record.png` });
    await page.context().close();
  }, 60_000);

  it('picks a foreign key by searching labels, when editing and when creating', async () => {
    const page = await env.open('clerk', '/t/public/orders/3');
    await page.getByTestId('record-edit').click();
    const picker = page.getByTestId('field-customer_id');
    // the current value shows its label once loaded
    await expect.poll(() => picker.inputValue(), { timeout: 5000 }).toBe('Grace Hopper · 2');
    await picker.click();
    await picker.fill('Tur');
    await page.getByRole('option', { name: 'Alan Turing · 3' }).click();
    await page.getByTestId('record-save').click();
    await page.getByTestId('record-edit').waitFor();
    const [row] = await env.h.sql<{ customer_id: number }[]>`select customer_id from orders where id = 3`;
    expect(row!.customer_id).toBe(3);

    // a new order: defaults pre-filled, the customer picked by name
    await page.goto(`${env.h.url}/t/public/orders/new`);
    await expect.poll(() => page.getByTestId('field-status').inputValue(), { timeout: 5000 }).toBe('new');
    const fk = page.getByTestId('field-customer_id');
    await fk.click();
    await fk.fill('Ada');
    await page.getByRole('option', { name: 'Ada Lovelace · 1' }).click();
    await page.getByTestId('field-total').fill('77.5');
    await page.getByTestId('record-create').click();
    await page.getByTestId('record-page').waitFor();
    await expect(page.getByTestId('value-total').textContent()).resolves.toBe('77.50');
    const [created] = await env.h.sql<{ n: number }[]>`select count(*)::int as n from orders where customer_id = 1 and total = 77.5 and status = 'new'`;
    expect(created!.n).toBe(1);
    await page.context().close();
  }, 60_000);

  it('lists referencing rows live, and hides what the role may not do', async () => {
    const page = await env.open('viewer', '/t/public/customers/2');
    const count = page.getByTestId('related-count-orders');
    const [before] = await env.h.sql<{ n: number }[]>`select count(*)::int as n from orders where customer_id = 2`;
    await count.getByText(String(before!.n), { exact: true }).waitFor();
    await env.h.sql`insert into orders (customer_id, total) values (2, 5)`;
    await count.getByText(String(before!.n + 1), { exact: true }).waitFor({ timeout: 5000 });
    // the viewer may update notes and email only, and never delete
    expect(await page.getByTestId('record-delete').count()).toBe(0);
    await page.getByTestId('record-edit').click();
    await page.getByTestId('field-notes').waitFor();
    expect(await page.getByTestId('field-balance').count()).toBe(0);
    await page.getByTestId('record-field-balance').getByLabel('read-only').waitFor();
    // orders: no update privilege at all → no Edit button
    await page.goto(`${env.h.url}/t/public/orders/1`);
    await page.getByTestId('record-title').waitFor();
    expect(await page.getByTestId('record-edit').count()).toBe(0);
    await page.context().close();
  }, 60_000);

  it('catches a conflicting edit: their fields come in live, a clash is put to the user', async () => {
    const page = await env.open('clerk', '/t/public/orders/1');
    await page.getByTestId('record-edit').click();
    await page.getByTestId('field-total').fill('200');

    // someone else saves total and status meanwhile
    await env.h.sql`update orders set total = 150, status = 'shipped' where id = 1`;
    // status (untouched by me) is taken in and highlighted; total (mine too) raises a clash
    await page.locator('[data-testid="record-field-status"][data-changed="true"]').waitFor();
    await expect.poll(() => page.getByTestId('field-status').inputValue(), { timeout: 5000 }).toBe('shipped');
    await page.getByTestId('clash-total').waitFor();

    await page.getByTestId('record-save').click();
    const modal = page.getByTestId('conflict-total');
    await modal.waitFor();
    await expect(modal.textContent()).resolves.toContain('150.00');
    // nothing overwritten while the user decides
    const [mid] = await env.h.sql<{ total: string }[]>`select total::text from orders where id = 1`;
    expect(mid!.total).toBe('150.00');

    await page.getByTestId('conflict-keep-mine').click();
    await page.getByTestId('record-edit').waitFor();
    const [row] = await env.h.sql<{ total: string; status: string }[]>`select total::text, status::text from orders where id = 1`;
    expect(row).toEqual({ total: '200.00', status: 'shipped' });
    await page.context().close();
  }, 60_000);
});

/**
 * Column formatting in Chromium: an admin changes a column's default format
 * in the settings panel and another user's open page re-renders it at once
 * (live `prefs-changed`), without a reload; resetting the default undoes it.
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

describe('column formats', () => {
  it('an admin’s new default format reaches a second browser live', async () => {
    const viewer = await env.open('viewer', '/t/public/orders/2');
    const total = viewer.getByTestId('value-total');
    await total.getByText('-15.50').waitFor();
    let reloaded = false;
    viewer.on('load', () => (reloaded = true));

    const admin = await env.open('admin', '/t/public/orders/2');
    await admin.getByTestId('record-title').waitFor();
    await admin.getByTestId('column-settings-button').click();
    const row = admin.getByTestId('column-row-total');
    await row.getByLabel('Format total').click();
    await admin.getByTestId('format-kind').click();
    await admin.getByRole('option', { name: 'Currency' }).click();
    await admin.getByTestId('format-currency').fill('EUR');
    // conditional colour: red when negative (the editor starts a new rule as "< 0, red")
    await admin.getByRole('button', { name: 'Add a colour rule' }).click();
    await row.getByLabel('Label of total').fill('Total');
    // the preview shows this record's value
    await admin.getByTestId('format-preview').getByText('-€15.50').waitFor();

    mkdirSync(SCREENSHOTS, { recursive: true });
    await admin.screenshot({ path: `${SCREENSHOTS}column-settings.png` });

    await admin.getByTestId('save-global').click();
    // the other browser re-renders at once, label and format, without reloading
    await total.getByText('-€15.50').waitFor({ timeout: 5000 });
    await viewer.getByTestId('record-field-total').getByText('Total', { exact: true }).waitFor();
    expect(reloaded).toBe(false);
    const colour = await total.locator('span').first().evaluate((el) => getComputedStyle(el).color);
    expect(colour).toMatch(/^rgb\((2[0-9]{2}), (\d{1,2}|1[0-4]\d), (\d{1,2}|1[0-4]\d)\)$/); // a red

    const [stored] = await env.h.sql<{ settings: unknown }[]>`select settings from pglive.column_prefs where layer = 'global'`;
    expect(stored!.settings).toMatchObject({ columns: { total: { label: 'Total', format: { kind: 'currency', currency: 'EUR' } } } });

    // reset the defaults: back to the type's format everywhere
    // the admin's own panel has taken in the saved layer first (the menu item is enabled by it)
    const drawer = admin.getByTestId('column-settings');
    await drawer.getByText('default: set').waitFor({ timeout: 10_000 });
    const resetDefaults = admin.getByRole('menuitem', { name: 'Reset the defaults' });
    await admin.getByTestId('reset-menu').click();
    if (!(await resetDefaults.waitFor({ timeout: 5000 }).then(() => true, () => false))) {
      // seen once on a loaded CI machine: the menu did not open. Say what the page showed, then click again as a user would
      const shown = await admin.locator('body').innerText();
      console.warn(`reset menu did not open; drawer visible: ${await drawer.isVisible()}; page text: ${shown.slice(0, 600)}`);
      await admin.getByTestId('reset-menu').click();
    }
    await resetDefaults.click();
    await total.getByText('-15.50').waitFor({ timeout: 5000 });
    await admin.context().close();
    await viewer.context().close();
  }, 90_000);
});

import { describe, expect, it } from 'vitest';
import { inlineInput } from './inline-edit.js';
import { col, INT, rel, schema } from './test-fixtures.js';

const id = col('id', { ...INT, nullable: false });
const title = col('title', { nullable: false });
const status = col('status', { type: 'order_status', baseTypeName: 'order_status', enumLabels: ['new', 'paid'] });
const paid = col('paid', { type: 'boolean', baseTypeName: 'bool', category: 'B' });
const due = col('due', { type: 'timestamp with time zone', baseTypeName: 'timestamptz', category: 'D' });
const total = col('total', { type: 'numeric', baseTypeName: 'numeric', category: 'N' });
const tags = col('tags', { type: 'text[]', arrayDims: 1 });
const doc = col('doc', { type: 'jsonb', baseTypeName: 'jsonb', category: 'U' });
const customer = col('customer_id', INT);
const orders = rel('orders', [id, title, status, paid, due, total, tags, doc, customer], {
  foreignKeys: [{ name: 'orders_customer_id_fkey', columns: ['customer_id'], refSchema: 'public', refTable: 'customers', refColumns: ['id'] }],
});

describe('inlineInput', () => {
  it('gives one-line values an input of their type, enums and booleans a list (NULL only where allowed)', () => {
    expect(inlineInput(orders, title, null)).toEqual({ kind: 'input', type: 'text' });
    expect(inlineInput(orders, total, null)).toEqual({ kind: 'input', type: 'text', inputMode: 'decimal' });
    expect(inlineInput(orders, due, null)).toEqual({ kind: 'input', type: 'datetime-local' });
    expect(inlineInput(orders, status, null)).toEqual({ kind: 'select', options: [{ value: 'new', label: 'new' }, { value: 'paid', label: 'paid' }, { value: '', label: 'NULL' }] });
    expect(inlineInput(orders, paid, null)).toMatchObject({ kind: 'select', options: [{ value: 'true' }, { value: 'false' }, { value: '' }] });
    expect(inlineInput(orders, { ...paid, nullable: false }, null)).toMatchObject({ options: [{ value: 'true' }, { value: 'false' }] });
  });

  it('leaves to the record page what needs room: arrays, JSON', () => {
    expect([inlineInput(orders, tags, null), inlineInput(orders, doc, null)]).toEqual([null, null]);
  });

  it('edits a foreign key with the picker of its target, when the role can read the target’s key', () => {
    const customers = rel('customers', [col('id', INT), col('name')], { labelColumn: 'name' });
    expect(inlineInput(orders, customer, schema([orders, customers]))).toEqual({ kind: 'fk', target: customers, refColumn: 'id' });
    const hidden = { ...customers, privileges: { ...customers.privileges, select: ['name'] } };
    expect(inlineInput(orders, customer, schema([orders, hidden]))).toBeNull();
    expect(inlineInput(orders, customer, schema([orders]))).toBeNull();
  });

  it('never offers what the role may not change, the key, or a row without a key', () => {
    expect(inlineInput(orders, id, null)).toBeNull();
    const readOnly = rel('orders', [id, title], { privileges: { select: ['id', 'title'], insert: [], update: [], delete: false, refresh: false } });
    expect(inlineInput(readOnly, title, null)).toBeNull();
    expect(inlineInput(rel('log', [id, title], { primaryKey: [] }), title, null)).toBeNull();
    expect(inlineInput(rel('v', [id, title], { updatable: false }), title, null)).toBeNull();
    const generated = col('g', { generated: true });
    expect(inlineInput(rel('t', [id, generated]), generated, null)).toBeNull();
  });
});

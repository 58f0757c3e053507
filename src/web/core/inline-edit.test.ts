import { describe, expect, it } from 'vitest';
import { inlineInput } from './inline-edit.js';
import { col, INT, rel } from './test-fixtures.js';

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
    expect(inlineInput(orders, title)).toEqual({ kind: 'input', type: 'text' });
    expect(inlineInput(orders, total)).toEqual({ kind: 'input', type: 'text', inputMode: 'decimal' });
    expect(inlineInput(orders, due)).toEqual({ kind: 'input', type: 'datetime-local' });
    expect(inlineInput(orders, status)).toEqual({ kind: 'select', options: [{ value: 'new', label: 'new' }, { value: 'paid', label: 'paid' }, { value: '', label: 'NULL' }] });
    expect(inlineInput(orders, paid)).toMatchObject({ kind: 'select', options: [{ value: 'true' }, { value: 'false' }, { value: '' }] });
    expect(inlineInput(orders, { ...paid, nullable: false })).toMatchObject({ options: [{ value: 'true' }, { value: 'false' }] });
  });

  it('leaves to the record page what needs room or a picker: arrays, JSON, foreign keys', () => {
    expect([inlineInput(orders, tags), inlineInput(orders, doc), inlineInput(orders, customer)]).toEqual([null, null, null]);
  });

  it('never offers what the role may not change, the key, or a row without a key', () => {
    expect(inlineInput(orders, id)).toBeNull();
    const readOnly = rel('orders', [id, title], { privileges: { select: ['id', 'title'], insert: [], update: [], delete: false, refresh: false } });
    expect(inlineInput(readOnly, title)).toBeNull();
    expect(inlineInput(rel('log', [id, title], { primaryKey: [] }), title)).toBeNull();
    expect(inlineInput(rel('v', [id, title], { updatable: false }), title)).toBeNull();
    const generated = col('g', { generated: true });
    expect(inlineInput(rel('t', [id, generated]), generated)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { defaultFormat, formatCell, formatKindsFor, ruleMatches, safeHref, type ColumnFormat } from './format.js';
import type { MetaColumn } from './meta.js';

function col(baseTypeName: string, over: Partial<MetaColumn> = {}): MetaColumn {
  return {
    name: 'c', type: baseTypeName, baseTypeName, category: 'S', arrayDims: 0, enumLabels: null, domain: null,
    nullable: true, default: null, identity: null, generated: false, maxLength: null, precision: null, scale: null,
    comment: null, checks: [], isTsvector: false, ...over,
  };
}

const env = { locale: 'en-US', timeZone: 'UTC' };
const NOW = Date.parse('2024-06-01T12:00:00Z');
const fmt = (value: unknown, c: MetaColumn, f?: ColumnFormat, now = NOW) => formatCell(value, c, f, now, env);

describe('defaults per PostgreSQL type', () => {
  it('numeric(12,2) shows 2 decimals with thousands; integers stay plain', () => {
    const money = col('numeric', { category: 'N', precision: 12, scale: 2 });
    expect(fmt('1234.5', money)).toMatchObject({ text: '1,234.50', align: 'right' });
    expect(fmt('-15.5', money).text).toBe('-15.50');
    expect(fmt(123456, col('int4', { category: 'N' })).text).toBe('123456');
    // int8 arrives as a string; no precision lost
    expect(fmt('9007199254740993', col('int8', { category: 'N' })).text).toBe('9007199254740993');
    expect(fmt('12345678901234567.89', col('numeric', { category: 'N' })).text).toBe('12,345,678,901,234,567.89');
    expect(fmt('NaN', col('numeric', { category: 'N' })).text).toBe('NaN');
  });

  it('timestamptz in the viewer’s zone with the zone named; timestamp and date as stored', () => {
    expect(fmt('2024-03-01T10:00:00+00:00', col('timestamptz')).text).toBe('Mar 1, 2024, 10:00 AM UTC');
    expect(formatCell('2024-03-01T10:00:00+00:00', col('timestamptz'), undefined, NOW, { locale: 'en-US', timeZone: 'Europe/Berlin' }).text)
      .toBe('Mar 1, 2024, 11:00 AM GMT+1');
    expect(formatCell('2024-03-01T10:00:00', col('timestamp'), undefined, NOW, { locale: 'en-US', timeZone: 'America/New_York' }).text)
      .toBe('Mar 1, 2024, 10:00 AM');
    expect(formatCell('2024-03-01', col('date'), undefined, NOW, { locale: 'en-US', timeZone: 'America/Los_Angeles' }).text).toBe('Mar 1, 2024');
    expect(fmt('09:30:00', col('time')).text).toBe('09:30');
    expect(fmt('09:30:15', col('time')).text).toBe('09:30:15');
    expect(fmt('infinity', col('timestamptz')).text).toBe('infinity');
    expect(fmt('2024-03-01T10:00:00.123456+02', col('timestamptz')).text).toBe('Mar 1, 2024, 08:00 AM UTC');
  });

  it('enums are chips with a stable colour per label; booleans are badges', () => {
    const status = col('order_status', { category: 'E', enumLabels: ['new', 'paid', 'shipped'] });
    expect(fmt('paid', status)).toEqual({ kind: 'badge', text: 'paid', tone: 'teal' });
    expect(fmt('new', status).tone).toBe('blue');
    expect(fmt(true, col('bool', { category: 'B' }))).toEqual({ kind: 'badge', text: 'Yes', tone: 'green' });
    expect(fmt(false, col('bool', { category: 'B' }))).toEqual({ kind: 'badge', text: 'No', tone: 'gray' });
  });

  it('jsonb collapses to one line; arrays become comma lists; NULL is marked', () => {
    expect(fmt({ channel: 'web', items: [1, 2] }, col('jsonb', { category: 'U' }))).toEqual({ kind: 'json', text: '{"channel":"web","items":[1,2]}' });
    expect(fmt(['rush', 'gift'], col('text', { arrayDims: 1 })).text).toBe('rush, gift');
    expect(fmt(['1000.5', null], col('numeric', { arrayDims: 1, category: 'N', scale: 2 })).text).toBe('1,000.50, NULL');
    expect(fmt(null, col('text'))).toEqual({ kind: 'text', text: '', isNull: true });
  });

  it('truncates long text and keeps the start of the whole value as a title', () => {
    const v = fmt('x'.repeat(500), col('text'));
    expect(v.text).toHaveLength(201);
    expect(v).toMatchObject({ truncated: true, title: 'x'.repeat(500) });
    expect(fmt('abcdef', col('text'), { kind: 'text', truncate: 3 }).text).toBe('abc…');
  });

  it('offers formats fitting the type', () => {
    expect(defaultFormat(col('numeric', { scale: 2 }))).toEqual({ kind: 'number', decimals: 2, thousands: true });
    expect(formatKindsFor(col('int4', { category: 'N' }))).toContain('bytes');
    expect(formatKindsFor(col('timestamptz', { category: 'D' }))).toContain('relative');
  });
});

describe('configured formats', () => {
  const n = col('numeric', { category: 'N', scale: 2 });

  it('number: decimals and thousands separator', () => {
    expect(fmt('1234.567', n, { kind: 'number', decimals: 1, thousands: false }).text).toBe('1234.6');
    expect(fmt(1234567, n, { kind: 'number', thousands: true }).text).toBe('1,234,567');
  });

  it('currency, percent, bytes', () => {
    expect(fmt('1234.5', n, { kind: 'currency', currency: 'EUR' }).text).toBe('€1,234.50');
    expect(fmt('12', n, { kind: 'currency', currency: 'JPY' }).text).toBe('¥12');
    expect(fmt('0.125', n, { kind: 'percent' }).text).toBe('12.5%');
    expect(fmt('12.5', n, { kind: 'percent', percentOf: 'whole', decimals: 0 }).text).toBe('13%');
    expect(fmt(2048, n, { kind: 'bytes' }).text).toBe('2 KB');
    expect(fmt(1572864, n, { kind: 'bytes' }).text).toBe('1.5 MB');
    expect(fmt(12, n, { kind: 'bytes' }).text).toBe('12 B');
    expect(fmt('abc', n, { kind: 'currency', currency: 'EUR' }).text).toBe('abc');
  });

  it('date / time / date-time / relative', () => {
    const ts = col('timestamptz', { category: 'D' });
    const v = '2024-06-01T11:57:00Z';
    expect(fmt(v, ts, { kind: 'date' }).text).toBe('Jun 1, 2024');
    expect(fmt(v, ts, { kind: 'time' }).text).toBe('11:57 AM UTC');
    expect(fmt(v, ts, { kind: 'relative' })).toMatchObject({ text: '3 minutes ago', title: 'Jun 1, 2024, 11:57 AM UTC' });
    expect(fmt(v, ts, { kind: 'relative' }, NOW + 60_000).text).toBe('4 minutes ago');
    expect(fmt('2024-06-03T12:00:00Z', ts, { kind: 'relative' }).text).toBe('in 2 days');
    expect(fmt('2024-06-01T11:59:50Z', ts, { kind: 'relative' }).text).toBe('now');
    expect(fmt('2023-05-01T12:00:00Z', ts, { kind: 'relative' }).text).toBe('last year');
  });

  it('boolean as checkbox with labels', () => {
    expect(fmt(true, col('bool'), { kind: 'boolean', booleanStyle: 'checkbox' })).toEqual({ kind: 'checkbox', checked: true, text: 'Yes' });
    expect(fmt('f', col('bool'), { kind: 'boolean', falseLabel: 'Regular' })).toMatchObject({ text: 'Regular', tone: 'gray' });
  });

  it('enum chips with configured colours', () => {
    const e = col('order_status', { enumLabels: ['new', 'paid'] });
    expect(fmt('paid', e, { kind: 'enum', colours: { paid: 'green' } }).tone).toBe('green');
    // chips for a text column: hashed, stable
    expect(fmt('x', col('text'), { kind: 'enum' }).tone).toBe(fmt('x', col('text'), { kind: 'enum' }).tone);
  });

  it('links, e-mail and images only with harmless URLs', () => {
    expect(fmt('https://example.com/a', col('text'), { kind: 'link' })).toMatchObject({ kind: 'link', href: 'https://example.com/a' });
    expect(fmt('www.example.com', col('text'), { kind: 'link' }).href).toBe('https://www.example.com');
    expect(fmt('javascript:alert(1)', col('text'), { kind: 'link' })).toEqual({ kind: 'text', text: 'javascript:alert(1)' });
    expect(fmt('ada@example.com', col('text'), { kind: 'email' }).href).toBe('mailto:ada@example.com');
    expect(fmt('https://img.example/a.png', col('text'), { kind: 'image' })).toMatchObject({ kind: 'image', href: 'https://img.example/a.png' });
    expect(fmt('data:image/svg+xml,<svg onload=alert(1)>', col('text'), { kind: 'image' }).kind).toBe('text');
    expect(safeHref('//evil.example/x.png', 'image')).toBeUndefined();
  });

  it('foreign-key label from an embedded row', () => {
    expect(fmt({ id: 1, name: 'Ada' }, col('int4'), { kind: 'fk' }).text).toBe('Ada');
    expect(fmt({ id: 1, name: 'Ada', email: 'a@x' }, col('int4'), { kind: 'fk', labelField: 'email' }).text).toBe('a@x');
    expect(fmt(7, col('int4'), { kind: 'fk' }).text).toBe('7');
  });

  it('json of a text column is shown as is', () => {
    expect(fmt('{"a":1}', col('text'), { kind: 'json' }).text).toBe('{"a":1}');
  });
});

describe('conditional colour', () => {
  const n = col('numeric', { category: 'N', scale: 2 });

  it('red when negative; the first matching rule wins; works with auto', () => {
    const f: ColumnFormat = { kind: 'auto', rules: [{ op: 'lt', value: '0', colour: 'red' }, { op: 'gte', value: '100', colour: 'green' }] };
    expect(fmt('-15.50', n, f)).toMatchObject({ text: '-15.50', tone: 'red' });
    expect(fmt('120.00', n, f).tone).toBe('green');
    expect(fmt('42', n, f).tone).toBeUndefined();
  });

  it('colour by value, emptiness and text', () => {
    const e = col('order_status', { enumLabels: ['new', 'cancelled'] });
    expect(fmt('cancelled', e, { kind: 'enum', rules: [{ op: 'eq', value: 'cancelled', colour: 'red' }] }).tone).toBe('red');
    expect(fmt(null, col('text'), { kind: 'text', rules: [{ op: 'empty', colour: 'orange' }] })).toMatchObject({ isNull: true, tone: 'orange' });
    expect(ruleMatches({ op: 'contains', value: 'RUSH', colour: 'red' }, 'a rush order')).toBe(true);
    expect(ruleMatches({ op: 'neq', value: '10', colour: 'red' }, '10.0')).toBe(false);
    expect(ruleMatches({ op: 'gt', value: 'b', colour: 'red' }, 'c')).toBe(true);
    expect(ruleMatches({ op: 'notEmpty', colour: 'red' }, '')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { ServerMessage } from '../../protocol/live.js';
import { patchText, snapshotText } from './wire.js';

describe('hand-serialised messages', () => {
  it('a patch is what JSON.stringify writes, and valid', () => {
    const ops = [
      { op: 'remove' as const, key: '[3]' },
      { op: 'insert' as const, key: '[9]', index: 0, row: { id: 9, name: 'x "quoted"\n', n: null } },
      { op: 'update' as const, key: '[1]', fields: { name: 'é' } },
    ];
    for (const total of [null, 0, 41]) {
      const msg = { type: 'patch', id: 'sub "1"', fromVersion: 7, toVersion: 9, ops, total };
      const text = patchText(msg.id, 7, 9, JSON.stringify(ops), total);
      expect(text).toBe(JSON.stringify(msg));
      expect(ServerMessage.parse(JSON.parse(text))).toEqual(msg);
    }
  });

  it('a snapshot carries the row texts as they are, and is valid', () => {
    // PostgreSQL's own rendering (spaces, numeric scale) is kept; it parses to the same values
    const texts = ['{"id":1,"amount":12.50,"tags":["a", "b"]}', '{"id":2,"amount":0.10,"tags":[]}'];
    const rows = texts.map((t) => JSON.parse(t) as unknown);
    for (const [total, mode] of [[2, 'live'], [null, 'polling']] as const) {
      const text = snapshotText('s1', 5, ['[1]', '[2]'], texts, total, mode);
      const msg = { type: 'snapshot', id: 's1', version: 5, keys: ['[1]', '[2]'], rows, total, mode };
      expect(JSON.parse(text)).toEqual(msg);
      expect(ServerMessage.parse(JSON.parse(text))).toEqual(msg);
      expect(text).toContain(texts[0]);
    }
    expect(JSON.parse(snapshotText('s2', 1, [], [], 0, 'live'))).toEqual({ type: 'snapshot', id: 's2', version: 1, keys: [], rows: [], total: 0, mode: 'live' });
  });
});

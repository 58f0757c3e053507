import { describe, expect, it } from 'vitest';
import { quoteQualified } from '../../sql/ident.js';
import { createTriggerStatements } from './sql.js';
import { splitTriggerArgs } from './install.js';

describe('capture SQL', () => {
  it('creates four statement-level AFTER triggers with the transition tables each event allows', () => {
    expect(createTriggerStatements(quoteQualified('s', 'Order Items'), "'Order Id', 'Line No'")).toEqual([
      `create trigger pglive_capture_ins after insert on "s"."Order Items" referencing new table as pglive_new for each statement execute function pglive.capture('Order Id', 'Line No')`,
      `create trigger pglive_capture_upd after update on "s"."Order Items" referencing old table as pglive_old new table as pglive_new for each statement execute function pglive.capture('Order Id', 'Line No')`,
      `create trigger pglive_capture_del after delete on "s"."Order Items" referencing old table as pglive_old for each statement execute function pglive.capture('Order Id', 'Line No')`,
      `create trigger pglive_capture_trunc after truncate on "s"."Order Items" for each statement execute function pglive.capture('Order Id', 'Line No')`,
    ]);
  });

  it('keeps "$" sequences in table names as they are', () => {
    expect(createTriggerStatements(quoteQualified('s', "a$&b$'"), '')[0]).toContain(`on "s"."a$&b$'" referencing`);
  });
});

describe('splitTriggerArgs', () => {
  it('splits pg_trigger.tgargs on NUL bytes', () => {
    expect(splitTriggerArgs(Buffer.from('id\0Line "No"\0', 'utf8'), 2)).toEqual(['id', 'Line "No"']);
    expect(splitTriggerArgs(Buffer.from('é\0', 'utf8'), 1)).toEqual(['é']);
    expect(splitTriggerArgs(Buffer.alloc(0), 0)).toEqual([]);
  });
});

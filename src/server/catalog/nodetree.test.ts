import { describe, expect, it } from 'vitest';
import { parseNodeTree, viewColumnOrigins, type PgNode } from './nodetree.js';

// trimmed from a real PostgreSQL 15 view rule (pg_rewrite.ev_action): columns
// named "we(ird) {x}" and ":x", a computed column, and a string constant
const RULE = String.raw`({QUERY :commandType 1 :rtable ({RANGETBLENTRY :eref {ALIAS :aliasname tt :colnames ("id" "a\ b" ":x")} :relid 16389 :relkind r}) :targetList ({TARGETENTRY :expr {VAR :varno 3 :varattno 1 :vartype 23 :location 30} :resno 1 :resname id :ressortgroupref 0 :resorigtbl 16389 :resorigcol 1 :resjunk false} {TARGETENTRY :expr {VAR :varno 3 :varattno 2 :location 34} :resno 2 :resname we\(ird\)\ \{x\} :ressortgroupref 0 :resorigtbl 16389 :resorigcol 2 :resjunk false} {TARGETENTRY :expr {VAR :varno 3 :varattno 3 :location 58} :resno 3 :resname :x :ressortgroupref 0 :resorigtbl 16389 :resorigcol 3 :resjunk false} {TARGETENTRY :expr {OPEXPR :opno 551 :args ({VAR :varno 3 :varattno 1} {CONST :consttype 23 :constlen 4 :constvalue 4 [ 1 0 0 0 0 0 0 0 ]}) :location 66} :resno 4 :resname y :ressortgroupref 0 :resorigtbl 0 :resorigcol 0 :resjunk false} {TARGETENTRY :expr {CONST :consttype 25 :constvalue 11 [ 44 0 0 0 115 116 114 32 105 110 103 ]} :resno 5 :resname s :ressortgroupref 0 :resorigtbl 0 :resorigcol 0 :resjunk false}) :override 0 :onConflict <>})`;

describe('pg_node_tree', () => {
  it('parses nodes, lists, escapes and field values', () => {
    const [top] = parseNodeTree(RULE);
    const query = (top as PgNode[])[0]!;
    expect(query.type).toBe('QUERY');
    expect(query.fields['commandType']).toEqual(['1']);
    expect(query.fields['onConflict']).toEqual(['<>']);
    const targets = query.fields['targetList']![0] as PgNode[];
    expect(targets).toHaveLength(5);
    expect(targets[1]!.fields['resname']).toEqual(['we(ird) {x}']);
    const constant = (targets[4]!.fields['expr']![0] as PgNode).fields['constvalue'];
    expect(constant?.slice(0, 3)).toEqual(['11', '[', '44']);
  });

  it('finds the origin of plain column references only', () => {
    expect(viewColumnOrigins(RULE)).toEqual([
      { resno: 1, relOid: 16389, attnum: 1 },
      { resno: 2, relOid: 16389, attnum: 2 },
      { resno: 3, relOid: 16389, attnum: 3 }, // ":x" looked like a field name: harmless
    ]);
  });

  it('skips junk entries and copes with non-query input', () => {
    const junk = `({QUERY :targetList ({TARGETENTRY :resno 1 :resorigtbl 5 :resorigcol 2 :resjunk true})})`;
    expect(viewColumnOrigins(junk)).toEqual([]);
    expect(viewColumnOrigins('<>')).toEqual([]);
  });

  it('rejects truncated input', () => {
    expect(() => parseNodeTree('({QUERY :targetList (')).toThrow(/unterminated/);
  });
});

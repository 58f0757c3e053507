/**
 * Totals for Prefer: count=exact|planned|estimated, shared by REST and live
 * views: planned = the planner's row estimate of the unpaginated query;
 * estimated = that estimate when large, an exact count below the threshold.
 */
import type { ReadPlan } from '../plan/types.js';
import { exactCountStatement, plannedCountStatement } from '../sql/read.js';
import type { TxSql } from './pool.js';

/** planned counts at or above this are reported as estimates instead of counted */
export const ESTIMATE_THRESHOLD = 100_000;

async function plannedRows(tx: TxSql, plan: ReadPlan): Promise<number> {
  const s = plannedCountStatement(plan);
  const [row] = (await tx.unsafe(s.text, s.values as never[])) as unknown as Record<string, unknown>[];
  const raw = row?.['QUERY PLAN'];
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan?: { 'Plan Rows'?: number } }[];
  return Math.round(parsed?.[0]?.Plan?.['Plan Rows'] ?? 0);
}

export async function exactRows(tx: TxSql, plan: ReadPlan): Promise<number> {
  const s = exactCountStatement(plan);
  const [c] = (await tx.unsafe(s.text, s.values as never[])) as unknown as { count: string }[];
  return Number(c?.count ?? 0);
}

export async function countRows(tx: TxSql, plan: ReadPlan, mode: 'exact' | 'planned' | 'estimated'): Promise<number> {
  if (mode === 'exact') return exactRows(tx, plan);
  const estimate = await plannedRows(tx, plan);
  if (mode === 'planned' || estimate >= ESTIMATE_THRESHOLD) return estimate;
  return exactRows(tx, plan);
}

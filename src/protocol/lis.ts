/**
 * Longest strictly increasing subsequence, O(n log n) (patience sorting with
 * predecessor links). The diff keeps the rows on the LIS in place and moves
 * only the others, which is the minimum number of moves.
 */

/** Indices (ascending) into `seq` of one longest strictly increasing subsequence. */
export function longestIncreasingSubsequence(seq: readonly number[]): number[] {
  // tails[k] = index in seq of the smallest tail of an increasing run of length k + 1
  const tails: number[] = [];
  const prev = new Int32Array(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    const v = seq[i]!;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (seq[tails[mid]!]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const out = new Array<number>(tails.length);
  let i = tails.length > 0 ? tails[tails.length - 1]! : -1;
  for (let k = tails.length - 1; k >= 0; k--) {
    out[k] = i;
    i = prev[i]!;
  }
  return out;
}

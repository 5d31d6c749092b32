/**
 * Direct recovery of a symmetric matrix from products with color indicators. With d_c the indicator
 * of color c, (H·d_c)[p] = Σ_{q of color c} H[p][q]. If p has exactly one neighbor of color c, say
 * q, that sum is H[p][q] alone (H[p][p] is not in it: p's own color differs from its neighbors').
 * A star coloring gives every off-diagonal nonzero such a row on one side or the other, and every
 * diagonal one its own color's row; this module finds which, and checks it, so a coloring that is
 * not a star coloring can never yield a wrong number.
 * @module
 */
import type { Coloring } from './star-coloring.js';
import type { SymmetricPattern } from './interactions.js';

/** Where each nonzero of the pattern is read: entry e is (H·d_{color[e]})[row[e]]. */
export interface RecoveryPlan {
  readonly color: Int32Array;
  readonly index: Int32Array;
}

export function recoveryPlan(p: SymmetricPattern, coloring: Coloring): RecoveryPlan {
  const { n, rowStart, cols } = p;
  const { colorOf } = coloring;
  const nnz = cols.length;
  // unique[e] for entry (r, q): r has no neighbor of q's color but q.
  const unique = new Uint8Array(nnz);
  const count = new Int32Array(coloring.colors);
  const countedBy = new Int32Array(coloring.colors).fill(-1);
  for (let r = 0; r < n; r++) {
    for (let e = rowStart[r]; e < rowStart[r + 1]; e++) {
      const q = cols[e];
      if (q === r) continue;
      const c = colorOf[q];
      if (countedBy[c] !== r) {
        countedBy[c] = r;
        count[c] = 0;
      }
      count[c]++;
    }
    for (let e = rowStart[r]; e < rowStart[r + 1]; e++) {
      const q = cols[e];
      if (q !== r && count[colorOf[q]] === 1) unique[e] = 1;
    }
  }
  const color = new Int32Array(nnz), index = new Int32Array(nnz);
  // Each pair (r, q), r < q, is read once, and its mirror (q, r) copies the same read, so the two
  // triangles agree exactly. Row q's entries below the diagonal come in increasing r, the order in
  // which rows r visit them: a cursor per row finds the mirror.
  const mirrorAt = rowStart.slice(0, n);
  for (let r = 0; r < n; r++) {
    for (let e = rowStart[r]; e < rowStart[r + 1]; e++) {
      const q = cols[e];
      if (q < r) continue;
      if (q === r) {
        color[e] = colorOf[r];
        index[e] = r;
        continue;
      }
      const mirror = mirrorAt[q]++;
      if (cols[mirror] !== r) throw new Error('dualtape internal error: the sparsity pattern is not symmetric');
      if (unique[e] === 1) {
        color[e] = colorOf[q];
        index[e] = r;
      } else if (unique[mirror] === 1) {
        color[e] = colorOf[r];
        index[e] = q;
      } else {
        throw new Error(`dualtape internal error: the coloring cannot recover H[${r}][${q}] directly (not a star coloring)`);
      }
      color[mirror] = color[e];
      index[mirror] = index[e];
    }
  }
  return { color, index };
}

/**
 * The values of the pattern's nonzeros from the products, one color at a time: `product(c)` is
 * H·d_c (d_c the indicator of color c). Only one product is held at a time.
 */
export function recoverValues(plan: RecoveryPlan, colors: number, product: (color: number) => Float64Array): Float64Array {
  const nnz = plan.color.length;
  const start = new Int32Array(colors + 1);
  for (let e = 0; e < nnz; e++) start[plan.color[e] + 1]++;
  for (let c = 0; c < colors; c++) start[c + 1] += start[c];
  const at = start.slice(0, colors);
  const byColor = new Int32Array(nnz);
  for (let e = 0; e < nnz; e++) byColor[at[plan.color[e]]++] = e;
  const values = new Float64Array(nnz);
  for (let c = 0; c < colors; c++) {
    if (start[c] === start[c + 1]) continue;
    const Hd = product(c);
    for (let k = start[c]; k < start[c + 1]; k++) {
      const e = byColor[k];
      values[e] = Hd[plan.index[e]];
    }
  }
  return values;
}

// X = op(T)⁻¹·B for a stack of triangular matrices T, by substitution; op(T) is T or Tᵀ, and only
// T's lower (or upper) triangle, diagonal included, is read: the other triangle may hold anything.
import { SingularMatrixError } from '../../errors.js';
import { gemm } from '../../kernels/backend.js';
import type { Shape } from '../../shape.js';
import { whichMatrix } from './batch-index.js';

/** Which triangle of T is read, and whether T is applied transposed. */
export interface TriangularParams {
  readonly lower: boolean;
  readonly transpose: boolean;
}

/**
 * Solves op(T)·X = B for `count` n×n matrices T and n×m right-hand sides B (row-major). A zero on
 * T's diagonal is a {@link SingularMatrixError} naming it; `batch` names the matrix of a stack.
 */
export function triangularSolveNumbers(
  T: Float64Array, B: Float64Array, n: number, m: number, count: number,
  p: TriangularParams, opName: string, batch: Shape,
): Float64Array {
  for (let b = 0; b < count; b++) {
    for (let i = 0; i < n; i++) {
      if (T[b * n * n + i * n + i] !== 0) continue;
      const which = whichMatrix(b, batch);
      throw new SingularMatrixError(
        `${opName}: diagonal entry ${i}${which} of the triangular matrix is 0, so it is singular; ` +
          'a triangular system has a unique solution only when every diagonal entry is nonzero',
      );
    }
  }
  const X = B.slice(0, count * n * m);
  for (let b = 0; b < count; b++) substituteInPlace(T, b * n * n, n, p.lower, p.transpose, false, X, b * n * m, m);
  return X;
}

/** Rows per block: below it plain substitution, above it the off-diagonal blocks go to gemm. */
const BLOCK = 32;

/**
 * X ← op(T)⁻¹·X in place, for one n×n triangle T at `t` and n×m right-hand sides X at `x`, with
 * `unit` a unit diagonal (LU's L, diagonal not read). By blocks of rows: each block first subtracts
 * what the rows already solved contribute — one matrix product, on the gemm kernels — then is solved
 * by substitution. Plain IEEE arithmetic, as the unblocked loops.
 */
export function substituteInPlace(
  T: Float64Array, t: number, n: number, lower: boolean, transpose: boolean, unit: boolean,
  X: Float64Array, x: number, m: number,
): void {
  // op(T)[i][j] = T[t + i·rs + j·cs]; op(T) is lower triangular when exactly one of lower/transpose holds.
  const rs = transpose ? 1 : n, cs = transpose ? n : 1;
  const forward = lower !== transpose;
  for (let block = 0; block < n; block += BLOCK) {
    const size = Math.min(BLOCK, n - block);
    // Forward: rows [i0, i1) after [0, i0). Backward: rows [i0, i1) counted from the bottom.
    const i0 = forward ? block : n - block - size, i1 = i0 + size;
    const done0 = forward ? 0 : i1, done1 = forward ? i0 : n;
    const k = done1 - done0;
    if (k > 0 && m > 0) {
      const panel = new Float64Array(size * k);
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < k; j++) panel[i * k + j] = T[t + (i0 + i) * rs + (done0 + j) * cs];
      }
      const update = new Float64Array(size * m);
      gemm(panel, false, X.subarray(x + done0 * m, x + done1 * m), false, update, size, m, k, false);
      for (let e = 0; e < size * m; e++) X[x + i0 * m + e] -= update[e];
    }
    for (let s = 0; s < size; s++) {
      const i = forward ? i0 + s : i1 - 1 - s;
      const from = forward ? i0 : i + 1, to = forward ? i : i1;
      const row = x + i * m;
      for (let j = from; j < to; j++) {
        const c = T[t + i * rs + j * cs];
        const other = x + j * m;
        for (let e = 0; e < m; e++) X[row + e] -= c * X[other + e];
      }
      if (unit) continue;
      const d = T[t + i * rs + i * cs];
      for (let e = 0; e < m; e++) X[row + e] /= d;
    }
  }
}

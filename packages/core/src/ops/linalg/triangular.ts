// X = op(T)⁻¹·B for a stack of triangular matrices T, by substitution; op(T) is T or Tᵀ, and only
// T's lower (or upper) triangle, diagonal included, is read: the other triangle may hold anything.
import { SingularMatrixError } from '../../errors.js';
import { formatShape, type Shape } from '../../shape.js';
import { batchIndex } from './lu.js';

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
      const which = batch.length > 0 ? ` of matrix ${formatShape(batchIndex(b, batch))} of the stack` : '';
      throw new SingularMatrixError(
        `${opName}: diagonal entry ${i}${which} of the triangular matrix is 0, so it is singular; ` +
          'a triangular system has a unique solution only when every diagonal entry is nonzero',
      );
    }
  }
  const X = B.slice(0, count * n * m);
  // op(T)[i][j] = T[i·rs + j·cs]; op(T) is lower triangular when exactly one of lower/transpose holds.
  const rs = p.transpose ? 1 : n, cs = p.transpose ? n : 1;
  const forward = p.lower !== p.transpose;
  for (let b = 0; b < count; b++) {
    const t = b * n * n, x = b * n * m;
    for (let s = 0; s < n; s++) {
      const i = forward ? s : n - 1 - s;
      const from = forward ? 0 : i + 1, to = forward ? i : n;
      const row = x + i * m;
      for (let j = from; j < to; j++) {
        const c = T[t + i * rs + j * cs];
        const other = x + j * m;
        for (let e = 0; e < m; e++) X[row + e] -= c * X[other + e];
      }
      const d = T[t + i * rs + i * cs];
      for (let e = 0; e < m; e++) X[row + e] /= d;
    }
  }
  return X;
}

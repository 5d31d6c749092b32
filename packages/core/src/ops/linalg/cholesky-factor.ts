// A = L·Lᵀ for a stack of symmetric positive-definite matrices (row-major), right-looking by panels
// of columns: each panel by inner products over its own columns, then the trailing matrix updated
// with one product on the gemm kernels.
//
// Both triangles are read, as (A + Aᵀ)/2, so the function is the same whichever triangle a caller
// filled — and a matrix whose triangles disagree by more than rounding is refused: it has no Cholesky
// factor, and factoring one half of it would be a silent wrong number.
//
// A pivot d_j = a_jj − Σ_k l_jk² that is ≤ n·ε·|a_jj| is refused too: either A is not positive
// definite (d_j ≤ 0), or rounding has eaten the pivot (A is singular to working precision, e.g. a
// rank-deficient covariance) and 1/l_jj would be noise. Measuring against a_jj keeps a matrix that
// is only scaled (diag(1, 1e-20)) acceptable.
import { ArgumentError, NotPositiveDefiniteError } from '../../errors.js';
import type { Shape } from '../../shape.js';
import { whichMatrix } from './batch-index.js';
import { copyBlock, subtractProduct } from './blocks.js';
import { symmetricMean } from './jacobi-eigen.js';

const EPSILON = 2 ** -52;
/** Relative disagreement of A[i][j] and A[j][i] above which A is not taken as symmetric. */
export const SYMMETRY_TOLERANCE = 1e-8;

/** Columns per panel: the trailing matrix is updated once per panel, on the gemm kernels. */
const BLOCK = 32;

/** The lower Cholesky factor of each of `count` n×n matrices of `A` (upper triangle zero). */
export function choleskyNumbers(A: Float64Array, n: number, count: number, batch: Shape): Float64Array {
  const L = new Float64Array(count * n * n);
  for (let b = 0; b < count; b++) {
    const a = b * n * n;
    const which = whichMatrix(b, batch);
    checkSymmetric(A, a, n, which);
    // L's lower triangle starts as (A + Aᵀ)/2 and is factored in place, panel by panel.
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) L[a + i * n + j] = symmetricMean(A[a + i * n + j], A[a + j * n + i]);
    for (let k0 = 0; k0 < n; k0 += BLOCK) {
      const k1 = Math.min(n, k0 + BLOCK);
      factorPanel(L, a, n, k0, k1, A, which);
      const rest = n - k1;
      if (rest > 0) {
        // The trailing matrix loses the panel's contribution: S22 −= L21·L21ᵀ (its upper half is scratch).
        const l21 = copyBlock(L, a + k1 * n + k0, n, rest, k1 - k0);
        subtractProduct(L, a + k1 * n + k1, n, l21, false, l21, true, rest, rest, k1 - k0);
      }
    }
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) L[a + i * n + j] = 0;
  }
  return L;
}

/**
 * Columns [k0, k1) of L, all rows below the diagonal, from the trailing matrix left by the earlier
 * panels: each entry an inner product over this panel's columns only.
 */
function factorPanel(L: Float64Array, a: number, n: number, k0: number, k1: number, A: Float64Array, which: string): void {
  for (let j = k0; j < k1; j++) {
    const rj = a + j * n;
    let d = L[rj + j];
    for (let k = k0; k < j; k++) d -= L[rj + k] * L[rj + k];
    // NaN and +∞ propagate (IEEE); anything else must clear the pivot tolerance.
    if (d === d && d !== Infinity && d <= n * EPSILON * Math.abs(A[rj + j])) throw notPositiveDefinite(j, d, A[rj + j], n, which);
    const ljj = Math.sqrt(d);
    L[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = a + i * n;
      let s = L[ri + j];
      for (let k = k0; k < j; k++) s -= L[ri + k] * L[rj + k];
      L[ri + j] = s / ljj;
    }
  }
}

function checkSymmetric(A: Float64Array, a: number, n: number, which: string): void {
  let scale = 0;
  for (let k = a; k < a + n * n; k++) scale = Math.max(scale, Math.abs(A[k]));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const upper = A[a + i * n + j], lower = A[a + j * n + i];
      if (Math.abs(upper - lower) > SYMMETRY_TOLERANCE * scale) {
        throw new ArgumentError(
          `cholesky: the matrix${which} is not symmetric: A[${i}][${j}] = ${upper} but A[${j}][${i}] = ${lower}; ` +
            'cholesky factors symmetric matrices only (build A as B·Bᵀ, or symmetrize it as (A + Aᵀ)/2)',
        );
      }
    }
  }
}

function notPositiveDefinite(j: number, d: number, ajj: number, n: number, which: string): NotPositiveDefiniteError {
  const why = d <= 0
    ? `pivot ${j} is ${d} (≤ 0), so its leading ${j + 1}×${j + 1} minor is not positive definite`
    : `pivot ${j} is ${d.toExponential(2)}, lost to rounding against the diagonal entry ${ajj} (singular to working precision)`;
  return new NotPositiveDefiniteError(
    `cholesky: the ${n}×${n} matrix${which} is not positive definite: ${why}. ` +
      'A covariance or kernel matrix usually needs a small multiple of the identity added (jitter)',
  );
}

// LU factorization with partial pivoting, PA = LU, of a stack of n×n matrices (row-major), and what
// solve, inv, det and slogdet compute from it. Right-looking by panels of columns: each panel is
// eliminated with plain loops (pivot search over the whole column, rows swapped across the whole
// matrix), then the rest of the matrix is updated with one triangular solve and one product on the
// gemm kernels. The numbers follow IEEE arithmetic, so a NaN in A reaches every result it touches.
//
// "Singular to working precision": a pivot |u_kk| ≤ n·ε·s_k, where s_k is the smaller of the largest
// entry of its row and of its column in the original A. Rounding alone can leave a pivot that small
// in a matrix that is singular (the 3×3 of 1…9 gives ~1e-16, not 0), so solving with it would return
// rounding error as if it were an answer. Measuring against the pivot's own row and column keeps a
// matrix whose rows or columns are merely scaled (diag(1, 1e-20)) solvable. The scales count finite
// entries only, so an ∞ in A goes through the arithmetic as a NaN does.
import { SingularMatrixError } from '../../errors.js';
import type { Shape } from '../../shape.js';
import { whichMatrix } from './batch-index.js';
import { copyBlock, pasteBlock, subtractProduct } from './blocks.js';
import { substituteInPlace } from './triangular.js';

const EPSILON = 2 ** -52;
/** Columns per panel of the blocked factorization: the rest of the matrix is updated with gemm. */
const BLOCK = 32;

/** PA = LU for each matrix of a stack. */
export interface LuFactors {
  readonly n: number;
  readonly count: number;
  /** Per matrix: the unit lower factor L below the diagonal, U on and above it. */
  readonly lu: Float64Array;
  /** Per matrix: at step k, row k was swapped with row `pivots[k]` (≥ k). */
  readonly pivots: Int32Array;
  /** Per matrix: (−1)^(number of row swaps). */
  readonly parity: Float64Array;
  /** Per matrix: the first pivot that is zero or negligible (see the module comment), −1 if none. */
  readonly singularAt: Int32Array;
  /** Per matrix: the scale s_k the pivot `singularAt` was measured against (for the message). */
  readonly singularScale: Float64Array;
}

/** Factors each n×n matrix of `a` (count of them, row-major, not modified). */
export function luFactor(a: Float64Array, n: number, count: number): LuFactors {
  const lu = a.slice(0, count * n * n);
  const pivots = new Int32Array(count * n);
  const parity = new Float64Array(count).fill(1);
  const singularAt = new Int32Array(count).fill(-1);
  const singularScale = new Float64Array(count);
  const rowScale = new Float64Array(n), colScale = new Float64Array(n);
  const rowOf = new Int32Array(n);
  for (let b = 0; b < count; b++) {
    const off = b * n * n;
    rowScale.fill(0);
    colScale.fill(0);
    for (let i = 0; i < n; i++) {
      rowOf[i] = i;
      for (let j = 0; j < n; j++) {
        // Finite entries only: against an ∞ every pivot is negligible, and the matrix would be
        // refused as singular where IEEE arithmetic (LAPACK's, JAX's) gives the limit.
        const v = Math.abs(lu[off + i * n + j]);
        if (v === Infinity) continue;
        if (v > rowScale[i]) rowScale[i] = v;
        if (v > colScale[j]) colScale[j] = v;
      }
    }
    for (let k = 0; k < n; k++) {
      // The largest entry of the column at or below the diagonal; a NaN wins, so it propagates.
      let p = k, best = Math.abs(lu[off + k * n + k]);
      for (let i = k + 1; i < n && best === best; i++) {
        const v = Math.abs(lu[off + i * n + k]);
        if (v > best || v !== v) { best = v; p = i; }
      }
      pivots[b * n + k] = p;
      if (p !== k) {
        for (let j = 0; j < n; j++) {
          const t = lu[off + k * n + j];
          lu[off + k * n + j] = lu[off + p * n + j];
          lu[off + p * n + j] = t;
        }
        const r = rowOf[k]; rowOf[k] = rowOf[p]; rowOf[p] = r;
        parity[b] = -parity[b];
      }
      const pivot = lu[off + k * n + k];
      const scale = Math.min(rowScale[rowOf[k]], colScale[k]);
      if (singularAt[b] < 0 && Math.abs(pivot) <= n * EPSILON * scale) {
        singularAt[b] = k;
        singularScale[b] = scale;
      }
      // A zero pivot means the column is zero below it too: nothing to eliminate (U keeps the 0).
      // Otherwise eliminate within the panel only; the columns right of it are updated once per panel.
      const panelEnd = Math.min(n, (Math.floor(k / BLOCK) + 1) * BLOCK);
      if (pivot !== 0) {
        for (let i = k + 1; i < n; i++) {
          const l = lu[off + i * n + k] / pivot;
          lu[off + i * n + k] = l;
          for (let j = k + 1; j < panelEnd; j++) lu[off + i * n + j] -= l * lu[off + k * n + j];
        }
      }
      if (k + 1 === panelEnd && panelEnd < n) updateTrailing(lu, off, n, panelEnd - BLOCK, panelEnd);
    }
  }
  return { n, count, lu, pivots, parity, singularAt, singularScale };
}

/**
 * After the panel of columns [k0, k1) is factored (its rows swapped across the whole matrix): the
 * block row right of it becomes U12 = L11⁻¹·A12, and the trailing matrix A22 −= L21·U12, both as
 * matrix operations — the triangular solve by blocks, the product on the gemm kernels.
 */
function updateTrailing(lu: Float64Array, off: number, n: number, k0: number, k1: number): void {
  const kb = k1 - k0, rest = n - k1;
  const l11 = copyBlock(lu, off + k0 * n + k0, n, kb, kb);
  const u12 = copyBlock(lu, off + k0 * n + k1, n, kb, rest);
  substituteInPlace(l11, 0, kb, true, false, true, u12, 0, rest);
  pasteBlock(u12, lu, off + k0 * n + k1, n, kb, rest);
  const l21 = copyBlock(lu, off + k1 * n + k0, n, rest, kb);
  subtractProduct(lu, off + k1 * n + k1, n, l21, false, u12, false, rest, rest, kb);
}

/**
 * Throws {@link SingularMatrixError} if any matrix of the stack is singular to working precision.
 * `batch` is the stack's batch shape, for naming the matrix; `why` says what needed the inverse.
 */
export function assertInvertible(f: LuFactors, opName: string, batch: Shape, why = ''): void {
  for (let b = 0; b < f.count; b++) {
    const k = f.singularAt[b];
    if (k < 0) continue;
    const pivot = f.lu[b * f.n * f.n + k * f.n + k];
    const which = whichMatrix(b, batch);
    const detail = pivot === 0
      ? `is singular: pivot ${k} of its LU factorization is 0`
      : `is singular to working precision: pivot ${k} of its LU factorization is ${pivot.toExponential(2)}, ` +
        `against entries of size ${f.singularScale[b].toExponential(2)} in its row and column`;
    throw new SingularMatrixError(
      `${opName}: the ${f.n}×${f.n} matrix${which} ${detail}${why}; it has no usable inverse. ` +
        'Check the matrix for linearly dependent rows, or regularize it (add a small multiple of the identity)',
    );
  }
}

/**
 * X with A·X = B (or Aᵀ·X = B with `transpose`) for each matrix of the stack; B holds `count`
 * n×m right-hand sides, row-major. The caller has checked invertibility.
 */
export function luSolve(f: LuFactors, B: Float64Array, m: number, transpose: boolean): Float64Array {
  const { n, count, lu, pivots } = f;
  const X = B.slice(0, count * n * m);
  const swap = (x: number, r: number, s: number) => {
    if (r === s) return;
    for (let e = 0; e < m; e++) {
      const t = X[x + r * m + e];
      X[x + r * m + e] = X[x + s * m + e];
      X[x + s * m + e] = t;
    }
  };
  for (let b = 0; b < count; b++) {
    const a = b * n * n, x = b * n * m, p = b * n;
    if (!transpose) {
      // L·U·X = P·B: the row swaps in order, then L (unit lower) and U.
      for (let k = 0; k < n; k++) swap(x, k, pivots[p + k]);
      substituteInPlace(lu, a, n, true, false, true, X, x, m);
      substituteInPlace(lu, a, n, false, false, false, X, x, m);
    } else {
      // Aᵀ = Uᵀ·Lᵀ·P: Uᵀ, then Lᵀ (unit), then the swaps undone in reverse order.
      substituteInPlace(lu, a, n, false, true, false, X, x, m);
      substituteInPlace(lu, a, n, true, true, true, X, x, m);
      for (let k = n - 1; k >= 0; k--) swap(x, k, pivots[p + k]);
    }
  }
  return X;
}

/** A⁻¹ (or A⁻ᵀ) of each matrix of the stack. The caller has checked invertibility. */
export function luInverse(f: LuFactors, transpose = false): Float64Array {
  const { n, count } = f;
  const identity = new Float64Array(count * n * n);
  for (let b = 0; b < count; b++) for (let i = 0; i < n; i++) identity[b * n * n + i * n + i] = 1;
  return luSolve(f, identity, n, transpose);
}

/** det A of each matrix: the parity of the swaps times the product of U's diagonal. */
export function luDeterminants(f: LuFactors): Float64Array {
  const { n, count, lu, parity } = f;
  const out = new Float64Array(count);
  for (let b = 0; b < count; b++) {
    // The product is formed as d·2^e, pivots and d kept within 2^±SHIFT by exact powers of two, so
    // that pivots 1e200, 1e200, 1e-300 give 1e100 rather than ∞ on the way: each step rounds as the
    // plain product does, and only the result itself can overflow or underflow.
    let d = parity[b], e = 0;
    for (let k = 0; k < n; k++) {
      let p = lu[b * n * n + k * n + k];
      for (; Math.abs(p) > BIG && p !== Infinity && p !== -Infinity; e += SHIFT) p *= 1 / BIG;
      for (; Math.abs(p) < 1 / BIG && p !== 0; e -= SHIFT) p *= BIG;
      d *= p;
      for (; Math.abs(d) > BIG && d !== Infinity && d !== -Infinity; e += SHIFT) d *= 1 / BIG;
      for (; Math.abs(d) < 1 / BIG && d !== 0; e -= SHIFT) d *= BIG;
    }
    for (; e > 0; e -= SHIFT) d *= BIG;
    for (; e < 0; e += SHIFT) d *= 1 / BIG;
    out[b] = d === 0 ? 0 : d; // a singular matrix's determinant is 0, never −0
  }
  return out;
}

/** d·2^e in luDeterminants: its factors are rescaled by 2^±SHIFT (exactly) past this. */
const SHIFT = 500;
const BIG = 2 ** SHIFT;

/**
 * sign(det A) and log|det A| of each matrix, summed in logs so that neither overflows: sign is 0 and
 * log|det| is −∞ for a matrix with a zero pivot; a NaN pivot gives NaN for both.
 */
export function luLogDeterminants(f: LuFactors): { sign: Float64Array; logAbsDet: Float64Array } {
  const { n, count, lu, parity } = f;
  const sign = new Float64Array(count), logAbsDet = new Float64Array(count);
  for (let b = 0; b < count; b++) {
    let s = parity[b], l = 0;
    for (let k = 0; k < n; k++) {
      const u = lu[b * n * n + k * n + k];
      s *= Math.sign(u);
      l += Math.log(Math.abs(u));
    }
    sign[b] = s === 0 ? 0 : s; // never −0
    logAbsDet[b] = l;
  }
  return { sign, logAbsDet };
}

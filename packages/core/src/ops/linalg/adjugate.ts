// The cofactor matrix C = adj(A)ᵀ of each matrix of a stack, from its LU factors (PA = LU), without
// dividing by a pivot: det's first derivatives where det(A)·A⁻ᵀ cannot give them (a singular matrix,
// or det(A) overflowed or underflowed), as JAX's cofactor solve gives them at rank n − 1.
//
// A = Pᵀ·L·U, so adj(A) = adj(U)·adj(L)·adj(Pᵀ) = ±adj(U)·L⁻¹·P (adj(XY) = adj(Y)·adj(X); det L = 1;
// ± the parity of the row swaps). L is unit lower with |lᵢⱼ| ≤ 1 (partial pivoting). adj(U) of the
// upper factor is upper triangular, each entry a polynomial in U's entries: column j is det(U)·U⁻¹eⱼ,
// whose back substitution divides row i by the pivots uᵢᵢ … uⱼⱼ; carried as numerators zᵢ with those
// divisions multiplied out (zⱼ = 1, zᵢ = −Σₘ uᵢₘ·zₘ·Π_{i<k<m} uₖₖ), and adj(U)ᵢⱼ = zᵢ·Π_{k<i} uₖₖ·Π_{k>j} uₖₖ.
// Nothing is divided, so a zero pivot gives the limit: rank n − 1 a rank-one adjugate, lower rank 0.
// U is first scaled by a power of two to pivots of size about 1 (adj(cA) = cⁿ⁻¹·adj(A), put back at the
// end), so a matrix scaled by 1e±100, whose det(A) over- or underflows, has its cofactors. Null where
// the numbers cannot be trusted: a non-finite entry (an ∞ pivot's multipliers 1/∞ = 0 lose the
// cofactors), pivots too far apart in size for products of them to stay in range, or a cofactor that
// overflows; the caller then keeps det(A)·A⁻ᵀ and its typed errors.
import { timesPowerOfTwo } from '../special/hurwitz-zeta.js';
import type { LuFactors } from './lu.js';

/** The most that the binary exponents of the nonzero pivots may differ from their mean, summed (see above). */
const MAX_SPREAD = 900;

/** C = adj(A)ᵀ for each n×n matrix whose factors are `f` (row-major, one after another), or null (see above). */
export function cofactorsFromLu(f: LuFactors): Float64Array | null {
  const { n, count, lu, pivots, parity } = f;
  const out = new Float64Array(count * n * n);
  const us = new Float64Array(n * n), adjU = new Float64Array(n * n), w = new Float64Array(n);
  const before = new Float64Array(n + 1), after = new Float64Array(n + 1);
  const perm = new Int32Array(n);
  for (let b = 0; b < count; b++) {
    const off = b * n * n;
    for (let e = off; e < off + n * n; e++) if (!Number.isFinite(lu[e])) return null;
    // The scale 2^shift: the mean binary exponent of the nonzero pivots.
    let sum = 0, nonzero = 0;
    for (let k = 0; k < n; k++) {
      const p = Math.abs(lu[off + k * n + k]);
      if (p !== 0) { sum += Math.log2(p); nonzero++; }
    }
    const shift = nonzero === 0 ? 0 : Math.round(sum / nonzero);
    let spread = 0;
    for (let k = 0; k < n; k++) {
      const p = Math.abs(lu[off + k * n + k]);
      if (p !== 0) spread += Math.abs(Math.log2(p) - shift);
    }
    if (spread > MAX_SPREAD) return null;
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) us[i * n + j] = timesPowerOfTwo(lu[off + i * n + j], -shift);
    const u = (i: number, j: number) => us[i * n + j];
    // before[i] = Π_{k<i} uₖₖ, after[j] = Π_{k>j} uₖₖ.
    before[0] = 1;
    for (let k = 0; k < n; k++) before[k + 1] = before[k] * u(k, k);
    after[n - 1] = 1;
    for (let k = n - 1; k > 0; k--) after[k - 1] = after[k] * u(k, k);
    adjU.fill(0);
    for (let j = 0; j < n; j++) {
      // w[m] = zₘ·Π_{i<k<m} uₖₖ for the row i being solved.
      w[j] = 1;
      adjU[j * n + j] = before[j] * after[j];
      for (let i = j - 1; i >= 0; i--) {
        let s = 0;
        for (let m = i + 1; m <= j; m++) s += u(i, m) * w[m];
        const z = -s;
        adjU[i * n + j] = z * before[i] * after[j];
        const uii = u(i, i);
        for (let m = i + 1; m <= j; m++) w[m] *= uii;
        w[i] = z;
      }
    }
    // M = adj(U)·L⁻¹, row by row: x·L = y with L unit lower, from the last column back.
    for (let r = 0; r < n; r++) {
      const row = r * n;
      for (let c = n - 1; c >= 0; c--) {
        let x = adjU[row + c];
        for (let q = c + 1; q < n; q++) x -= adjU[row + q] * lu[off + q * n + c];
        adjU[row + c] = x;
      }
    }
    // Row k of PA is row perm[k] of A: adj(A) = ±M·P puts column k of M at column perm[k], and C is its transpose.
    for (let k = 0; k < n; k++) perm[k] = k;
    for (let k = 0; k < n; k++) {
      const p = pivots[b * n + k];
      const t = perm[k]; perm[k] = perm[p]; perm[p] = t;
    }
    const sign = parity[b], back = shift * (n - 1);
    for (let r = 0; r < n; r++) {
      for (let k = 0; k < n; k++) {
        const c = timesPowerOfTwo(sign * adjU[r * n + k], back);
        if (!Number.isFinite(c)) return null;
        out[off + perm[k] * n + r] = c + 0; // (+ 0: no −0)
      }
    }
  }
  return out;
}

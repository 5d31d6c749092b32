// Y = A^{1/2}, the principal square root of A [..., n, n] (the one whose eigenvalues have positive real
// part), for A with no eigenvalue on the closed negative real axis:
// - a symmetric A from its eigendecomposition (Jacobi): V·diag(√λ)·Vᵀ, with eigenvalues that are
//   negative only by rounding (≥ −n·ε·max|λ|) taken as 0, so a singular positive semidefinite matrix
//   has its root;
// - any other A by the real Schur method (Higham 1987, "Computing real square roots of a real matrix";
//   SciPy's and MATLAB's sqrtm) on the balanced A (linalg/balance.ts: X⁻¹·A·X with X a permutation
//   times powers of two, exact): X⁻¹·A·X = Q·T·Qᵀ (linalg/real-schur.ts), the root U of the
//   quasi-triangular T by a block recurrence (closed forms on the 1×1 and 2×2 diagonal blocks, small
//   Sylvester equations above them), Y = X·Q·U·Qᵀ·X⁻¹. Backward stable, whatever A's normality: accurate
//   next to the negative real axis, for defective A and for highly non-normal A; and, balanced, for
//   graded A = D·B·D⁻¹ (D over 1e±8: unbalanced, eigenvalues near 3 came out negative, NaN).
// Where there is no real principal root (a real eigenvalue < 0), the result is NaN, as sqrt(−1) is;
// so is it where a non-symmetric A's Schur form has an eigenvalue exactly 0 (a singular A, as a
// triangular one; rounding usually leaves a singular A's zero eigenvalue tiny instead, of either sign:
// NaN, or the root of that nearby matrix).
//
// The derivatives are the Fréchet derivative, read off sqrtm([[A, E], [0, A]]) = [[Y, L], [0, Y]]
// (linalg/matrix-function.ts, shared with expm): L solves Y·L + L·Y = E. Exact to any order; at a
// singular A the derivative is infinite, and the rules give NaN.
import { gemmAB, gemmABt } from '../kernels/backend.js';
import type { Tensor } from '../node.js';
import type { Shape } from '../shape.js';
import { eachMatrix, isSymmetric, matrixFunctionOp, symmetricFunction } from './linalg/matrix-function.js';
import { unbalance } from './linalg/balance.js';
import { complexPair, diagonalBlocks, realSchur, type RealSchur } from './linalg/real-schur.js';

const EPSILON = 2 ** -52;

/** √A of one symmetric n×n matrix, or null if an eigenvalue is negative beyond rounding. */
const symmetricRoot = (a: Float64Array, n: number) =>
  symmetricFunction(a, n, (lambda, largest) => (lambda < -n * EPSILON * largest ? NaN : Math.sqrt(Math.max(lambda, 0))));

/**
 * X with U_ii·X + X·U_jj = R (p×q, p and q ≤ 2; U_ii at (r0, r0) and U_jj at (c0, c0) of U, R at
 * (r0, c0) of `rhs`, X written there into U), by Gaussian elimination with partial pivoting on the
 * pq×pq Kronecker system. False if that system is singular (U_ii and U_jj share an eigenvalue with
 * opposite signs: both roots 0).
 */
function sylvester(u: Float64Array, rhs: Float64Array, n: number, r0: number, p: number, c0: number, q: number, m: Float64Array): boolean {
  const size = p * q;
  // Unknown (i, j) of X is number i·q + j; equation (i, j): Σ_k U_ii[i][k]·X[k][j] + Σ_k X[i][k]·U_jj[k][j].
  m.fill(0, 0, size * (size + 1));
  const w = size + 1;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < q; j++) {
      const row = (i * q + j) * w;
      for (let k = 0; k < p; k++) m[row + k * q + j] += u[(r0 + i) * n + r0 + k];
      for (let k = 0; k < q; k++) m[row + i * q + k] += u[(c0 + k) * n + c0 + j];
      m[row + size] = rhs[(r0 + i) * n + c0 + j];
    }
  }
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let r = col + 1; r < size; r++) if (Math.abs(m[r * w + col]) > Math.abs(m[pivot * w + col])) pivot = r;
    if (m[pivot * w + col] === 0) return false;
    if (pivot !== col) for (let k = 0; k < w; k++) [m[col * w + k], m[pivot * w + k]] = [m[pivot * w + k], m[col * w + k]];
    for (let r = col + 1; r < size; r++) {
      const f = m[r * w + col] / m[col * w + col];
      if (f !== 0) for (let k = col; k < w; k++) m[r * w + k] -= f * m[col * w + k];
    }
  }
  for (let r = size - 1; r >= 0; r--) {
    let s = m[r * w + size];
    for (let k = r + 1; k < size; k++) s -= m[r * w + k] * m[k * w + size];
    m[r * w + size] = s / m[r * w + r];
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) u[(r0 + i) * n + c0 + j] = m[(i * q + j) * w + size];
  return true;
}

/**
 * The principal square root U of a quasi-upper-triangular T (a real Schur form: 1×1 blocks and 2×2
 * blocks with complex eigenvalues), by the block recurrence of Higham 1987 ("Computing real square
 * roots of a real matrix", Lin. Alg. Appl. 88/89): U's diagonal blocks are the principal roots of T's,
 * and each block above them solves U_ii·U_ij + U_ij·U_jj = T_ij − Σ_{i<k<j} U_ik·U_kj, a Sylvester
 * equation of order ≤ 4, column of blocks by column, bottom up. Null where T has a real eigenvalue
 * ≤ 0 (no real principal root, or T is singular).
 */
export function quasiTriangularRoot(t: Float64Array, n: number): Float64Array | null {
  const starts = diagonalBlocks(t, n);
  const blocks = starts.length - 1;
  const u = new Float64Array(n * n);
  const scratch = new Float64Array(20);
  const rhs = new Float64Array(n * n);
  for (let jb = 0; jb < blocks; jb++) {
    const c0 = starts[jb], q = starts[jb + 1] - c0;
    if (q === 1) {
      const x = t[c0 * n + c0];
      if (!(x > 0)) return null; // a negative eigenvalue (no real root) or a zero one (singular)
      u[c0 * n + c0] = Math.sqrt(x);
    } else {
      // A complex pair θ ± iμ: with (α + iβ)² = θ + iμ, α > 0, the root is α·I + (T_jj − θ·I)/(2α),
      // since (T_jj − θI)² = −μ²I and α² − μ²/(4α²) = θ. α without cancellation on either side of 0.
      const { b, c, theta, p, mu } = complexPair(t, n, c0);
      const r = Math.hypot(theta, mu);
      const alpha = theta >= 0 ? Math.sqrt((r + theta) / 2) : mu / Math.sqrt(2 * (r - theta));
      if (!(alpha > 0)) return null;
      // Divided by 2α, not times 1/(2α): a subnormal α (μ tiny next to the negative axis) has an
      // infinite reciprocal, while b/(2α) and c/(2α) stay about √(2(r − θ))/2 there.
      const twice = 2 * alpha;
      u[c0 * n + c0] = alpha + p / twice;
      u[c0 * n + c0 + 1] = b / twice;
      u[(c0 + 1) * n + c0] = c / twice;
      u[(c0 + 1) * n + c0 + 1] = alpha - p / twice;
    }
    for (let ib = jb - 1; ib >= 0; ib--) {
      const r0 = starts[ib], p = starts[ib + 1] - r0, between = starts[ib + 1];
      for (let i = r0; i < r0 + p; i++) {
        for (let j = c0; j < c0 + q; j++) {
          let s = t[i * n + j];
          for (let k = between; k < c0; k++) s -= u[i * n + k] * u[k * n + j];
          rhs[i * n + j] = s;
        }
      }
      if (!sylvester(u, rhs, n, r0, p, c0, q, scratch)) return null;
    }
  }
  return u;
}

/** X·Q·U·Qᵀ·X⁻¹ for an n×n U and the orthogonal Q and balancing X of a Schur form. */
export function backTransform({ q, perm, scale }: RealSchur, u: Float64Array, n: number): Float64Array {
  const qu = new Float64Array(n * n), y = new Float64Array(n * n);
  gemmAB(q, u, qu, n, n, n, false);
  gemmABt(qu, q, y, n, n, n, false);
  return unbalance(y, n, perm, scale);
}

/** √A of one n×n matrix by the real Schur method, or null where it has no real principal root. */
function schurRoot(a: Float64Array, n: number): Float64Array | null {
  // A of small scale: √A = 2^j·√(4^−j·A), j < 0, with 4^−j·A's largest entry in [1, 4), both scalings
  // exact, so that T is not scaled back to A's scale, where for a subnormal A it would keep only the few
  // bits subnormals have (1e-7 off at a largest entry 5e-318), while √A is of normal scale. Never
  // scaled down: that flushes A's tiny entries to 0 ([[1e300, 1], [0, 1e-300]] became singular: NaN).
  let largest = 0;
  for (let k = 0; k < n * n; k++) largest = Math.max(largest, Math.abs(a[k]));
  const j = largest === 0 ? 0 : Math.min(0, Math.floor(Math.log2(largest) / 2));
  const up = j === 0 ? a : a.map((x) => x * 2 ** -j * 2 ** -j);
  const schur = realSchur(up, n, { balance: true });
  if (schur === null) return null;
  const u = quasiTriangularRoot(schur.t, n);
  if (u === null) return null;
  const y = backTransform(schur, u, n);
  if (j !== 0) for (let k = 0; k < n * n; k++) y[k] *= 2 ** j;
  return y;
}

/** √A of each matrix of a stack; NaN where a matrix has a non-finite entry or no real principal root. */
const squareRoots = (a: Float64Array, shape: Shape) =>
  eachMatrix(a, shape, 'sqrtm', (m, n) => (isSymmetric(m, n) ? symmetricRoot(m, n) : schurRoot(m, n)));
const record = matrixFunctionOp('sqrtm', squareRoots);

/**
 * The principal square root of a square matrix, or of each matrix of a stack [..., n, n]: the Y with
 * Y·Y = A whose eigenvalues have positive real part, as SciPy's and JAX's `scipy.linalg.sqrtm` where
 * that root is real. A symmetric A goes through its eigendecomposition (a singular positive
 * semidefinite A included); any other through its real Schur form (Higham's real Schur method). NaN
 * where no real principal root exists (a negative eigenvalue) or a non-symmetric A is singular. Exact derivatives
 * of every order (the Fréchet derivative L with Y·L + L·Y = Ȧ, from a block matrix); infinite, so NaN,
 * at a singular A.
 *
 * @example
 * ```ts
 * sqrtm(tensor([[4, 0], [0, 9]])).value;  // [2, 0, 0, 3]
 * // The Fréchet distance between two Gaussians' covariances: tr(Σ₁ + Σ₂ − 2·(Σ₁Σ₂)^{1/2})
 * const d = S1.add(S2).sub(sqrtm(S1.matmul(S2)).mul(2)).matrixTrace();
 * ```
 */
export function sqrtm(a: Tensor): Tensor {
  return record(a, arguments);
}

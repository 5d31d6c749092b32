// Y = A^{1/2}, the principal square root of A [..., n, n] (the one whose eigenvalues have positive real
// part), for A with no eigenvalue on the closed negative real axis:
// - a symmetric A from its eigendecomposition (Jacobi): V·diag(√λ)·Vᵀ, with eigenvalues that are
//   negative only by rounding (≥ −n·ε·max|λ|) taken as 0, so a singular positive semidefinite matrix
//   has its root;
// - any other A by the product form of the Denman–Beavers iteration with determinant scaling (Higham,
//   "Functions of Matrices", (6.17) and §6.5): M₀ = X₀ = A, μ = |det M|^(−1/2n),
//   X ← ½·μ·X·(I + μ⁻²M⁻¹), M ← ½·(I + (μ²M + μ⁻²M⁻¹)/2), until M = I to rounding; quadratic, and
//   stable in this form.
// Where there is no real principal root (a negative eigenvalue; a complex pair on the negative axis),
// or a non-symmetric A is singular (the iteration inverts M), the result is NaN, as sqrt(−1) is.
//
// The derivatives are the Fréchet derivative, read off sqrtm([[A, E], [0, A]]) = [[Y, L], [0, Y]]
// (linalg/matrix-function.ts, shared with expm): L solves Y·L + L·Y = E. Exact to any order; at a
// singular A the derivative is infinite, and the rules give NaN.
import { gemmAB } from '../kernels/backend.js';
import type { Tensor } from '../node.js';
import type { Shape } from '../shape.js';
import { luFactor, luInverse, luLogDeterminants } from './linalg/lu.js';
import { eachMatrix, isSymmetric, matrixFunctionOp, norm1, symmetricFunction } from './linalg/matrix-function.js';

const EPSILON = 2 ** -52;
/** Denman–Beavers converges quadratically once scaled: ~10 steps for any A it can take. */
const MAX_STEPS = 100;

/** √A of one symmetric n×n matrix, or null if an eigenvalue is negative beyond rounding. */
const symmetricRoot = (a: Float64Array, n: number) =>
  symmetricFunction(a, n, (lambda, largest) => (lambda < -n * EPSILON * largest ? NaN : Math.sqrt(Math.max(lambda, 0))));

/**
 * x if it is a square root of a to rounding, ‖x·x − a‖₁ ≤ 1e-8·‖x‖₁² (a backward error; a root of
 * a non-normal A may be far larger than A, so the bound is on ‖x‖², not ‖A‖), else null: a last guard
 * against an iteration that reached M = I with X spoiled by rounding, which would be a wrong number.
 */
function checkedRoot(a: Float64Array, x: Float64Array, n: number): Float64Array | null {
  if (!x.every(Number.isFinite)) return null;
  const square = new Float64Array(n * n);
  gemmAB(x, x, square, n, n, n, false);
  for (let e = 0; e < n * n; e++) square[e] -= a[e];
  const size = norm1(x, n);
  return norm1(square, n) <= 1e-8 * size * size ? x : null;
}

/** √A of one n×n matrix by scaled product-form Denman–Beavers, or null where it has no answer. */
export function denmanBeavers(a: Float64Array, n: number): Float64Array | null {
  let m = a.slice(), x = a.slice();
  const tolerance = 4 * n * EPSILON;
  let previous = Infinity;
  for (let step = 0; step < MAX_STEPS; step++) {
    const f = luFactor(m, n, 1);
    // Only an exactly zero pivot stops here (M⁻¹ would be infinite); a merely small one, of an
    // ill-conditioned but invertible iterate, goes on, and a blow-up shows as a non-finite M below.
    if (f.singularAt[0] >= 0) return null;
    const inverse = luInverse(f);
    const distance = norm1(m, n, 1);
    // Scaling speeds up the early steps; near I it would only add rounding.
    const mu = distance > 1e-2 ? Math.exp(-luLogDeterminants(f).logAbsDet[0] / (2 * n)) : 1;
    const factor = inverse.map((e) => e / (mu * mu));
    for (let i = 0; i < n; i++) factor[i * n + i] += 1;
    const next = new Float64Array(n * n);
    gemmAB(x, factor, next, n, n, n, false);
    for (let e = 0; e < n * n; e++) next[e] *= 0.5 * mu;
    for (let e = 0; e < n * n; e++) m[e] = (mu * mu * m[e] + inverse[e] / (mu * mu)) / 4;
    for (let i = 0; i < n; i++) m[i * n + i] += 0.5;
    x = next;
    const now = norm1(m, n, 1);
    if (!Number.isFinite(now)) return null;
    // Done at rounding level, or when the steps stop gaining there (rounding's floor).
    if (now <= tolerance || (now < 1e-10 && now >= previous / 2)) return checkedRoot(a, x, n);
    previous = now;
  }
  return null; // no convergence: a real principal root does not exist (eigenvalues on R⁻)
}

/** √A of each matrix of a stack; NaN where a matrix has a non-finite entry or no real principal root. */
const squareRoots = (a: Float64Array, shape: Shape) =>
  eachMatrix(a, shape, 'sqrtm', (m, n) => (isSymmetric(m, n) ? symmetricRoot(m, n) : denmanBeavers(m, n)));
const record = matrixFunctionOp('sqrtm', squareRoots);

/**
 * The principal square root of a square matrix, or of each matrix of a stack [..., n, n]: the Y with
 * Y·Y = A whose eigenvalues have positive real part, as SciPy's and JAX's `scipy.linalg.sqrtm` where
 * that root is real. A symmetric A goes through its eigendecomposition (a singular positive
 * semidefinite A included); any other through the scaled Denman–Beavers iteration. NaN where no real
 * principal root exists (a negative eigenvalue) or a non-symmetric A is singular. Exact derivatives
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

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
import type { Primitive } from '../algebra/algebra.js';
import { ArgumentError } from '../errors.js';
import { gemmAB } from '../kernels/backend.js';
import { Tensor, describeValue, newTensor } from '../node.js';
import type { Shape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule } from '../tape.js';
import { symmetricEigen } from './linalg/jacobi-eigen.js';
import { luFactor, luInverse, luLogDeterminants } from './linalg/lu.js';
import { squareStack } from './linalg/matrices.js';
import { matrixFunctionRule } from './linalg/matrix-function.js';
import { onlyTheMatrix } from './op-args.js';

const EPSILON = 2 ** -52;
/** Denman–Beavers converges quadratically once scaled: ~10 steps for any A it can take. */
const MAX_STEPS = 100;

/** ‖M − I‖₁ of an n×n matrix. */
function distanceFromIdentity(m: Float64Array, n: number): number {
  let largest = 0;
  for (let j = 0; j < n; j++) {
    let column = 0;
    for (let i = 0; i < n; i++) column += Math.abs(m[i * n + j] - (i === j ? 1 : 0));
    if (!(column <= largest)) largest = column; // NaN wins
  }
  return largest;
}

/** √A of one symmetric n×n matrix, or null if an eigenvalue is negative beyond rounding. */
function symmetricRoot(a: Float64Array, n: number): Float64Array | null {
  const { values, vectors } = symmetricEigen(a, n, 1);
  let largest = 0;
  for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(values[i]));
  const roots = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (values[i] < -n * EPSILON * largest) return null;
    roots[i] = Math.sqrt(Math.max(values[i], 0));
  }
  // Y = V·diag(√λ)·Vᵀ
  const y = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += vectors[i * n + k] * roots[k] * vectors[j * n + k];
      y[i * n + j] = sum;
      y[j * n + i] = sum;
    }
  }
  return y;
}

/** √A of one n×n matrix by scaled product-form Denman–Beavers, or null where it has no answer. */
export function denmanBeavers(a: Float64Array, n: number): Float64Array | null {
  let m = a.slice(), x = a.slice();
  const tolerance = 4 * n * EPSILON;
  let previous = Infinity;
  for (let step = 0; step < MAX_STEPS; step++) {
    const f = luFactor(m, n, 1);
    if (f.singularAt[0] >= 0) return null;
    const inverse = luInverse(f);
    const distance = distanceFromIdentity(m, n);
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
    const now = distanceFromIdentity(m, n);
    if (!Number.isFinite(now)) return null;
    // Done at rounding level, or when the steps stop gaining there (rounding's floor).
    if (now <= tolerance || (now < 1e-10 && now >= previous / 2)) return x;
    previous = now;
  }
  return null; // no convergence: a real principal root does not exist (eigenvalues on R⁻)
}

export function isSymmetric(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (a[i * n + j] !== a[j * n + i]) return false;
  return true;
}

/** √A of each matrix of a stack; NaN where a matrix has a non-finite entry or no real principal root. */
function squareRoots(a: Float64Array, shape: Shape): Float64Array {
  const { n, count } = squareStack(shape, 'sqrtm');
  const out = new Float64Array(count * n * n);
  for (let b = 0; b < count; b++) {
    const at = b * n * n;
    const m = a.subarray(at, at + n * n);
    const root = m.every(Number.isFinite) ? (isSymmetric(m, n) ? symmetricRoot(m, n) : denmanBeavers(m, n)) : null;
    if (root === null) out.fill(NaN, at, at + n * n);
    else out.set(root, at);
  }
  return out;
}

/** √X as rules reach it: the numbers above, this op on nodes. */
const SQRTM_PRIMITIVE: Primitive<undefined> = {
  name: 'sqrtm',
  numbers: ([x], [shape]) => squareRoots(x as Float64Array, shape),
  nodes: ([x]) => sqrtm(x as Tensor),
};
const rule = matrixFunctionRule('sqrtm', squareRoots, SQRTM_PRIMITIVE);
const SQRTM = registerRule(rule);

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
  onlyTheMatrix('sqrtm', arguments, 'it takes no options');
  if (!(a instanceof Tensor)) throw new ArgumentError(`sqrtm: expected a tensor, got ${describeValue(a)}`);
  const t = checkLive(a.tape, 'sqrtm');
  const active = t.active[a.id] === 1;
  const y = newTensor(t, SQRTM, a.id, NO_INPUT, active, a.shape, squareRoots(a.data, a.shape), null);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return y;
}

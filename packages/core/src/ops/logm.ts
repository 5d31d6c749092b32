// Y = log A, the principal logarithm of A [..., n, n] (the one whose eigenvalues have imaginary parts in
// (−π, π)), for A with no eigenvalue on the closed negative real axis:
// - a symmetric A from its eigendecomposition (Jacobi): V·diag(log λ)·Vᵀ (λ > 0);
// - any other A by inverse scaling and squaring (Higham, "Functions of Matrices", §11.5): k square
//   roots (sqrtm's Denman–Beavers) until ‖A^{1/2^k} − I‖₁ ≤ 1/4, then log(I + X) by the degree-8
//   Padé approximant in partial fractions, Σ_j w_j·X·(I + x_j·X)⁻¹ with Gauss–Legendre nodes x_j and
//   weights w_j on [0, 1] (its error for ‖X‖₁ ≤ 1/4 is below 2⁻⁵³, Higham 2001), times 2^k.
// Where there is no real principal logarithm (an eigenvalue ≤ 0 or a complex pair on the negative
// axis), the result is NaN, as log(−1) is.
//
// The derivatives are the Fréchet derivative, read off logm([[A, E], [0, A]]) = [[Y, L], [0, Y]]
// (linalg/matrix-function.ts, shared with expm and sqrtm): exact to any order.
import type { Tensor } from '../node.js';
import type { Shape } from '../shape.js';
import { luFactor, luSolve } from './linalg/lu.js';
import { eachMatrix, isSymmetric, matrixFunctionOp, norm1, symmetricFunction } from './linalg/matrix-function.js';
import { denmanBeavers } from './sqrtm.js';

/** ‖X‖₁ bound for the degree-8 Padé approximant of log(1 + x) (Higham 2001, Table 2.1: θ₈ = 0.341). */
const PADE_BOUND = 0.25;
const DEGREE = 8;
/** Square roots needed are about log₂ of ‖log A‖; far more than any finite A with a real log needs. */
const MAX_ROOTS = 64;

/** Gauss–Legendre nodes and weights on [0, 1], by Newton's method on the Legendre polynomial. */
function gaussLegendre(m: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(m), weights = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (m + 0.5));
    let derivative = 0;
    for (let step = 0; step < 100; step++) {
      // P_m(x) and P_m'(x) by the three-term recurrence.
      let p0 = 1, p1 = x;
      for (let k = 2; k <= m; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k];
      derivative = (m * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / derivative;
      x -= dx;
      if (Math.abs(dx) <= 1e-17) break;
    }
    nodes[i] = (1 - x) / 2; // [−1, 1] → [0, 1]
    weights[i] = 1 / ((1 - x * x) * derivative * derivative);
  }
  return { nodes, weights };
}

const QUADRATURE = gaussLegendre(DEGREE);

/** log A of one symmetric matrix, or null if an eigenvalue is not positive. */
const symmetricLog = (a: Float64Array, n: number) => symmetricFunction(a, n, (lambda) => (lambda > 0 ? Math.log(lambda) : NaN));

/** log A of one n×n matrix by inverse scaling and squaring, or null where it has no real answer. */
function inverseScalingAndSquaring(a: Float64Array, n: number): Float64Array | null {
  let r = a;
  let k = 0;
  while (norm1(r, n, 1) > PADE_BOUND) {
    if (k === MAX_ROOTS) return null;
    const root = denmanBeavers(r, n);
    if (root === null) return null;
    r = root;
    k++;
  }
  // X = R − I; log(I + X) ≈ Σ_j w_j·X·(I + x_j·X)⁻¹ = Σ_j w_j·(I + x_j·X)⁻¹·X (they commute).
  const x = r.slice();
  for (let i = 0; i < n; i++) x[i * n + i] -= 1;
  const y = new Float64Array(n * n);
  for (let j = 0; j < DEGREE; j++) {
    const shifted = x.map((e) => QUADRATURE.nodes[j] * e);
    for (let i = 0; i < n; i++) shifted[i * n + i] += 1;
    const f = luFactor(shifted, n, 1);
    if (f.singularAt[0] >= 0) return null; // I + x_j·X with ‖X‖₁ ≤ ¼ is far from singular
    const term = luSolve(f, x, n, false);
    for (let e = 0; e < n * n; e++) y[e] += QUADRATURE.weights[j] * term[e];
  }
  const scale = 2 ** k;
  for (let e = 0; e < n * n; e++) y[e] *= scale;
  return y;
}

/** log A of each matrix of a stack; NaN where a matrix has a non-finite entry or no real principal log. */
const logarithms = (a: Float64Array, shape: Shape) =>
  eachMatrix(a, shape, 'logm', (m, n) => (isSymmetric(m, n) ? symmetricLog(m, n) : inverseScalingAndSquaring(m, n)));
const record = matrixFunctionOp('logm', logarithms);

/**
 * The principal logarithm of a square matrix, or of each matrix of a stack [..., n, n]: the Y with
 * e^Y = A whose eigenvalues have imaginary parts in (−π, π), as SciPy's `scipy.linalg.logm` where
 * that logarithm is real. A symmetric positive definite A goes through its eigendecomposition; any
 * other A through inverse scaling and squaring (square roots, then a Padé approximant). NaN where no
 * real principal logarithm exists (an eigenvalue ≤ 0). Exact derivatives of every order (the
 * Fréchet derivative, from a block matrix).
 *
 * @example
 * ```ts
 * logm(tensor([[Math.E, 0], [0, 1]])).value;   // [1, 0, 0, 0]
 * // The affine-invariant distance between SPD matrices: ‖log(A^{-1/2}·B·A^{-1/2})‖_F
 * const r = inv(sqrtm(A));
 * const d = logm(r.matmul(B).matmul(r)).square().sum().sqrt();
 * ```
 */
export function logm(a: Tensor): Tensor {
  return record(a, arguments);
}

// Y = log A, the principal logarithm of A [..., n, n] (the one whose eigenvalues have imaginary parts in
// (−π, π)), for A with no eigenvalue on the closed negative real axis:
// - a symmetric A from its eigendecomposition (Jacobi): V·diag(log λ)·Vᵀ (λ > 0);
// - any other A by inverse scaling and squaring (Higham, "Functions of Matrices", §11.5) on the real
//   Schur form of A balanced as in sqrtm, Z⁻¹·A·Z = Q·T·Qᵀ (Z a permutation times powers of two;
//   linalg/real-schur.ts, once): k square roots of the quasi-triangular T (sqrtm's block recurrence)
//   until ‖T^{1/2^k} − I‖₁ ≤ 1/4, then log(I + X) by the degree-8 Padé approximant in partial
//   fractions, Σ_j w_j·X·(I + x_j·X)⁻¹ with Gauss–Legendre nodes x_j and weights w_j on [0, 1] (its
//   error for ‖X‖₁ ≤ 1/4 is below 2⁻⁵³, Higham 2001), times 2^k; the diagonal blocks (and the
//   superdiagonal between 1×1 blocks) then replaced by their closed forms, which the roots would have
//   blurred (Al-Mohy & Higham 2012), and Y = Z·Q·(log T)·Qᵀ·Z⁻¹. An A within ¼ of I (‖A − I‖₁) needs
//   no root and skips the Schur form: the Padé approximant at A itself.
// Where there is no real principal logarithm (an eigenvalue ≤ 0 or a complex pair on the negative
// axis), the result is NaN, as log(−1) is.
//
// The derivatives are the Fréchet derivative, read off logm([[A, E], [0, A]]) = [[Y, L], [0, Y]]
// (linalg/matrix-function.ts, shared with expm and sqrtm): exact to any order.
import type { Tensor } from '../node.js';
import type { Shape } from '../shape.js';
import { luFactor, luSolve } from './linalg/lu.js';
import { eachMatrix, isSymmetric, matrixFunctionOp, norm1, symmetricFunction } from './linalg/matrix-function.js';
import { complexPair, diagonalBlocks, realSchur } from './linalg/real-schur.js';
import { backTransform, quasiTriangularRoot } from './sqrtm.js';

/** ‖X‖₁ bound for the degree-8 Padé approximant of log(1 + x) (Higham 2001, Table 2.1: θ₈ = 0.341). */
const PADE_BOUND = 0.25;
const DEGREE = 8;
/**
 * Square roots needed are about log₂ of ‖log T‖₁, which a far from normal T makes large (a 10×10
 * Jordan block at 1e-3 needs 89, a 60×60 one 590): 2^k·log(·) overflows before 1100, so no finite
 * logarithm needs more (a cap so that nothing loops forever).
 */
const MAX_ROOTS = 1100;

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

/**
 * log A of one n×n matrix by inverse scaling and squaring on its real Schur form A = Q·T·Qᵀ, or null
 * where it has no real principal logarithm: k square roots of T (each quasi-triangular again) until
 * ‖T^{1/2^k} − I‖₁ ≤ ¼, the Padé approximant there, times 2^k, then Q·(log T)·Qᵀ.
 */
function inverseScalingAndSquaring(a: Float64Array, n: number): Float64Array | null {
  // Near I no root is needed: the Padé approximant at A itself (X = A − I exactly, no Schur rounding).
  if (norm1(a, n, 1) <= PADE_BOUND) return logNearIdentity(a, n, 0);
  // A of subnormal scale: log A = log(2^m·A) − m·log 2·I, both exact scalings, so that T is not scaled
  // back to where subnormals keep only a few bits (5e-10 off at a largest entry 5e-318, 1e-4 at 1e-322).
  let largest = 0;
  for (let k = 0; k < n * n; k++) largest = Math.max(largest, Math.abs(a[k]));
  if (largest > 0 && largest < 2 ** -960) {
    const m = -Math.floor(Math.log2(largest));
    const y = inverseScalingAndSquaring(a.map((x) => x * 2 ** (m - 500) * 2 ** 500), n);
    if (y !== null) for (let i = 0; i < n; i++) y[i * n + i] -= m * Math.LN2;
    return y;
  }
  const schur = realSchur(a, n, { balance: true });
  if (schur === null) return null;
  let r = schur.t;
  let k = 0;
  while (norm1(r, n, 1) > PADE_BOUND) {
    if (k === MAX_ROOTS) return null;
    const root = quasiTriangularRoot(r, n);
    if (root === null) return null;
    r = root;
    k++;
  }
  const y = logNearIdentity(r, n, k);
  if (y === null) return null;
  exactBlocks(schur.t, y, n);
  return backTransform(schur, y, n);
}

/** 2^k·log R for ‖R − I‖₁ ≤ ¼ by the Padé approximant, or null (never, at such R). */
function logNearIdentity(r: Float64Array, n: number, k: number): Float64Array | null {
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

/**
 * t₁₂·(log t₂ − log t₁)/(t₂ − t₁) for t₁, t₂ > 0, d = t₂ − t₁ (Higham, "Functions of Matrices", (11.28)):
 * t₁₂/t₁ when they are equal; the logs' difference itself when they are a factor 2 or more apart (there
 * the 1 − z of z = d/(t₂ + t₁) would carry the rounding of d and t₂ + t₁ relatively magnified: at
 * t₁/t₂ = 1e-10, 3e-9 off, and z = 1 exactly, atanh(1) = ∞, below 1e-16); 2·atanh(z)/d between, free
 * of the cancellation in the logs' difference. t₂ + t₁ halved first where it overflows.
 */
function logDivided(t12: number, t1: number, t2: number, d: number): number {
  if (d === 0) return t12 / t1;
  if (t1 < t2 / 2 || t2 < t1 / 2) return times(t12, Math.log(t2) - Math.log(t1), d);
  const sum = t2 + t1;
  const z = Number.isFinite(sum) ? d / sum : d / 2 / (t2 / 2 + t1 / 2);
  return times(t12, 2 * Math.atanh(z), d);
}

/**
 * x·(u/v), or (x/v)·u where u/v overflows: for a subnormal T (a matrix of subnormal scale), v is
 * subnormal and 1/v infinite while x/v stays finite (x is of T's scale too).
 */
function times(x: number, u: number, v: number): number {
  const q = u / v;
  return Number.isFinite(q) ? x * q : (x / v) * u;
}

/**
 * Y's diagonal blocks set to the logarithms of T's, and its superdiagonal entry between two 1×1 blocks
 * to Higham's (11.28), t₁₂·(log t₂₂ − log t₁₁)/(t₂₂ − t₁₁) ({@link logDivided}):
 * after k square roots the diagonal of T^{1/2^k} − I keeps only about 2^k·ε of log t_ii absolutely
 * (the Padé result is accurate normwise, not entrywise there), while these closed forms are accurate
 * to rounding (Al-Mohy & Higham 2012, "Improved inverse scaling and squaring algorithms for the matrix
 * logarithm", Algorithm 4.1's last steps).
 */
function exactBlocks(t: Float64Array, y: Float64Array, n: number): void {
  const starts = diagonalBlocks(t, n);
  for (let b = 0; b + 1 < starts.length; b++) {
    const k = starts[b];
    if (starts[b + 1] - k === 1) {
      const tk = t[k * n + k];
      y[k * n + k] = Math.log(tk);
      if (b + 2 < starts.length && starts[b + 2] - starts[b + 1] === 1) {
        const t2 = t[(k + 1) * n + k + 1], d = t2 - tk;
        y[k * n + k + 1] = logDivided(t[k * n + k + 1], tk, t2, d);
      }
      continue;
    }
    // A complex pair θ ± iμ: log T_kk = log|λ|·I + (φ/μ)·(T_kk − θI), φ = arg(θ + iμ) ∈ (0, π).
    const { b: bb, c, theta, p, mu } = complexPair(t, n, k);
    const modulus = Math.hypot(theta, mu);
    // log|λ| near |λ| = 1 without cancellation: ½·log1p((θ − 1)(θ + 1) + μ²).
    const logModulus = modulus > 0.5 && modulus < 2 ? Math.log1p((theta - 1) * (theta + 1) + mu * mu) / 2 : Math.log(modulus);
    const phi = Math.atan2(mu, theta);
    y[k * n + k] = logModulus + times(p, phi, mu);
    y[k * n + k + 1] = times(bb, phi, mu);
    y[(k + 1) * n + k] = times(c, phi, mu);
    y[(k + 1) * n + k + 1] = logModulus - times(p, phi, mu);
  }
}

/** log A of each matrix of a stack; NaN where a matrix has a non-finite entry or no real principal log. */
const logarithms = (a: Float64Array, shape: Shape) =>
  eachMatrix(a, shape, 'logm', (m, n) => (isSymmetric(m, n) ? symmetricLog(m, n) : inverseScalingAndSquaring(m, n)));
const record = matrixFunctionOp('logm', logarithms);

/**
 * The principal logarithm of a square matrix, or of each matrix of a stack [..., n, n]: the Y with
 * e^Y = A whose eigenvalues have imaginary parts in (−π, π), as SciPy's `scipy.linalg.logm` where
 * that logarithm is real. A symmetric positive definite A goes through its eigendecomposition; any
 * other A through inverse scaling and squaring on its real Schur form (square roots of the
 * quasi-triangular factor, then a Padé approximant). NaN where no
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

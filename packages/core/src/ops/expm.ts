// Y = e^A, the matrix exponential of A [..., n, n], by scaling and squaring with a Padé approximant
// (Higham 2005, "The scaling and squaring method for the matrix exponential revisited", Alg. 2.3):
// the degree m ∈ {3, 5, 7, 9} whose θ_m bounds ‖A‖₁, else degree 13 on A/2^s with s the fewest
// halvings that bring ‖A‖₁ under θ₁₃, then s squarings. Accurate to rounding in the 1-norm.
//
// The derivatives are the Fréchet derivative L(A, E), read off e^[[A, E], [0, A]] = [[e^A, L(A, E)],
// [0, e^A]] (linalg/matrix-function.ts, shared with sqrtm): exact to any order, no eigenvectors, and a
// compiled replay recomputes the degree and s at the new values.
import { gemmAB } from '../kernels/backend.js';
import type { Tensor } from '../node.js';
import type { Shape } from '../shape.js';
import { luFactor, luSolve } from './linalg/lu.js';
import { eachMatrix, matrixFunctionOp, norm1 } from './linalg/matrix-function.js';

// Higham 2005, Table 2.3 (θ_m for double precision) and the Padé coefficients b_j of degree m.
const THETA: Record<number, number> = { 3: 1.495585217958292e-2, 5: 2.539398330063230e-1, 7: 9.504178996162932e-1, 9: 2.097847961257068, 13: 5.371920351148152 };
const PADE: Record<number, readonly number[]> = {
  3: [120, 60, 12, 1],
  5: [30240, 15120, 3360, 420, 30, 1],
  7: [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
  9: [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
  13: [
    64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
    670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
  ],
};

function product(x: Float64Array, y: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  gemmAB(x, y, out, n, n, n, false);
  return out;
}

/** Σ c_k·X_k + c·I over matrices of one size. */
function combination(terms: ReadonlyArray<readonly [number, Float64Array]>, identity: number, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (const [c, x] of terms) for (let e = 0; e < n * n; e++) out[e] += c * x[e];
  for (let i = 0; i < n; i++) out[i * n + i] += identity;
  return out;
}

/** e^A of one n×n matrix (finite entries). */
function exponential(a: Float64Array, n: number): Float64Array {
  const size = norm1(a, n);
  let m = 13;
  for (const degree of [3, 5, 7, 9]) {
    if (size <= THETA[degree]) {
      m = degree;
      break;
    }
  }
  // Halvings by powers of two are exact; s = 0 when the degree-13 bound already holds.
  const s = m === 13 ? Math.max(0, Math.ceil(Math.log2(size / THETA[13]))) : 0;
  const x = s === 0 ? a : a.map((e) => e * 2 ** -s);
  const b = PADE[m];
  const x2 = product(x, x, n);
  let u: Float64Array, v: Float64Array;
  if (m === 13) {
    const x4 = product(x2, x2, n), x6 = product(x4, x2, n);
    const uInner = product(x6, combination([[b[13], x6], [b[11], x4], [b[9], x2]], 0, n), n);
    u = product(x, combination([[1, uInner], [b[7], x6], [b[5], x4], [b[3], x2]], b[1], n), n);
    const vInner = product(x6, combination([[b[12], x6], [b[10], x4], [b[8], x2]], 0, n), n);
    v = combination([[1, vInner], [b[6], x6], [b[4], x4], [b[2], x2]], b[0], n);
  } else {
    // U = X·Σ b_{2k+1}·X^{2k}, V = Σ b_{2k}·X^{2k}
    const powers: Float64Array[] = [x2];
    for (let k = 2; 2 * k <= m; k++) powers.push(product(powers[k - 2], x2, n));
    u = product(x, combination(powers.map((p, k) => [b[2 * k + 3], p] as const), b[1], n), n);
    v = combination(powers.map((p, k) => [b[2 * k + 2], p] as const), b[0], n);
  }
  // (V − U)·R = V + U: V − U is well conditioned for ‖X‖₁ ≤ θ_m (Higham 2005, §2).
  const f = luFactor(combination([[1, v], [-1, u]], 0, n), n, 1);
  let r = luSolve(f, combination([[1, v], [1, u]], 0, n), n, false);
  for (let k = 0; k < s; k++) r = product(r, r, n);
  return r;
}

/** e^A of each matrix of a stack; NaN for a matrix with a NaN or ±∞ entry. */
const exponentials = (a: Float64Array, shape: Shape) => eachMatrix(a, shape, 'expm', exponential);
const record = matrixFunctionOp('expm', exponentials);

/**
 * The matrix exponential e^A = Σ Aᵏ/k! of a square matrix, or of each matrix of a stack [..., n, n],
 * as SciPy's and JAX's `scipy.linalg.expm` and PyTorch's `matrix_exp`: scaling and squaring with a
 * Padé approximant (Higham 2005). Exact derivatives of every order, the Fréchet derivative computed
 * from the exponential of a block matrix [[A, E], [0, A]] (no eigenvectors, so any A, defective or
 * with repeated eigenvalues, is fine). A matrix with a NaN or ±∞ entry gives NaN.
 *
 * @example
 * ```ts
 * expm(tensor([[0, 1], [0, 0]])).value;        // [1, 1, 0, 1]
 * const R = expm(tensor([[0, -t], [t, 0]]));   // the rotation by t
 * const P = expm(Q.mul(dt));                   // a Markov chain's transition matrix over dt
 * ```
 */
export function expm(a: Tensor): Tensor {
  return record(a, arguments);
}

// Y = e^A, the matrix exponential of A [..., n, n], by scaling and squaring with a Padé approximant
// (Al-Mohy & Higham 2009, "A new scaling and squaring algorithm for the matrix exponential", Alg. 6.1,
// as SciPy's expm): the degree m ∈ {3, 5, 7, 9, 13} and the halvings s are chosen from
// d_k = ‖A^k‖₁^{1/k} rather than ‖A‖₁ (for a non-normal A, ‖A‖₁ can be far above what the
// truncation error depends on, and every needless squaring adds rounding), s is raised again only
// where the bound on |A|'s Padé remainder asks for it (ℓ), and for a triangular A the diagonal and
// first superdiagonal are recomputed exactly after each squaring (Code Fragment 2.1).
//
// The derivatives are the Fréchet derivative L(A, E), read off e^[[A, E], [0, A]] = [[e^A, L(A, E)],
// [0, e^A]] (linalg/matrix-function.ts, shared with sqrtm): exact to any order, no eigenvectors, and a
// compiled replay recomputes the degree and s at the new values (they are chosen here, from numbers).
import { gemmAB } from '../kernels/backend.js';
import type { Tensor } from '../node.js';
import type { Shape } from '../shape.js';
import { luFactor, luSolve } from './linalg/lu.js';
import { eachMatrix, matrixFunctionOp, norm1 } from './linalg/matrix-function.js';

// θ_m bounds α = max(d_p, d_{p+1}) for a backward error below 2⁻⁵³ (Higham 2005, Table 2.3, for
// m ≤ 9; θ₁₃ = 4.25 from Al-Mohy & Higham 2009, whose bound for m = 13 holds only below it).
const THETA: Record<number, number> = { 3: 1.495585217958292e-2, 5: 2.539398330063230e-1, 7: 9.504178996162932e-1, 9: 2.097847961257068, 13: 4.25 };
// The Padé coefficients b_j of degree m.
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
// 1/|c_{2m+1}|, c_{2m+1} the leading coefficient of e^x − r_m(x) (Higham 2005, (2.2) and (2.6)).
const REMAINDER: Record<number, number> = { 3: 100800, 5: 10059033600, 7: 4487938430976000, 9: 5914384781877411840000, 13: 1.1325077560602111e35 };

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

/** X·2^k, in steps that never underflow the factor itself (X is X itself for k = 0). */
function scaled(x: Float64Array, k: number): Float64Array {
  if (k === 0) return x;
  const out = x.slice();
  for (let left = k; left !== 0; ) {
    const step = Math.max(left, -1000);
    const c = 2 ** step;
    for (let e = 0; e < out.length; e++) out[e] *= c;
    left -= step;
  }
  return out;
}

/**
 * log₂ ‖|A|^p‖₁ (−∞ once |A|^p = 0): the column sums 1ᵀ·|A|^p by products of a row vector with |A|
 * (n² each, never a matrix product), normalised at each step so that nothing overflows; extended to
 * larger p on demand.
 */
class AbsPowerNorms {
  private readonly abs: Float64Array;
  private v: Float64Array;
  private w: Float64Array;
  private readonly logs = new Float64Array(28);
  private known = 0;
  constructor(a: Float64Array, private readonly n: number) {
    this.abs = new Float64Array(n * n);
    for (let e = 0; e < n * n; e++) this.abs[e] = Math.abs(a[e]);
    this.v = new Float64Array(n).fill(1);
    this.w = new Float64Array(n);
  }

  /** log₂ ‖|A|^p‖₁ for p ≤ 27. */
  log2(p: number): number {
    const { n, logs, abs } = this;
    for (; this.known < p; this.known++) {
      let log = logs[this.known];
      const v = this.v, w = this.w;
      if (log !== -Infinity) {
        // The backend's product from n ≈ 32 on (its call costs about as much as a short loop).
        if (n >= 32) gemmAB(v, abs, w, 1, n, n, false);
        else {
          w.fill(0);
          for (let i = 0; i < n; i++) {
            const vi = v[i], row = i * n;
            if (vi !== 0) for (let j = 0; j < n; j++) w[j] += vi * abs[row + j];
          }
        }
        let top = 0;
        for (let j = 0; j < n; j++) if (w[j] > top) top = w[j];
        if (top === 0) log = -Infinity;
        else {
          const r = 1 / top;
          for (let j = 0; j < n; j++) w[j] *= r;
          log += Math.log2(top);
        }
        this.v = w;
        this.w = v;
      }
      logs[this.known + 1] = log;
    }
    return logs[p];
  }
}

/**
 * ℓ(2⁻ˢA, m) (Al-Mohy & Higham 2009, (5.1)): the extra halvings that the rounding-sensitive bound
 * |c_{2m+1}|·‖|X|^{2m+1}‖₁/‖X‖₁ ≤ u·2^{2mℓ} asks for, which is usually 0 — only then does choosing
 * m and s from the d_k keep a backward error at round-off for a strongly non-normal A (`size` = ‖A‖₁).
 */
function ell(abs: AbsPowerNorms, size: number, m: number, s: number): number {
  if (size === 0) return 0;
  const p = 2 * m + 1, rest = -(Math.log2(size) - s) - Math.log2(REMAINDER[m]) + 53;
  // ‖|X|^p‖₁ ≤ ‖X‖₁^p: where that already gives ℓ = 0 (a normal-looking A), skip the p products.
  if (p * (Math.log2(size) - s) + rest <= 0) return 0;
  const log = abs.log2(p);
  return log === -Infinity ? 0 : Math.max(0, Math.ceil((log - p * s + rest) / (2 * m)));
}

/** e^a·sinh(x)/x without cancellation (x small) or overflow of one factor (|x| large). */
function expSinhc(a: number, x: number): number {
  if (Math.abs(x) < 1) return Math.exp(a) * (x === 0 ? 1 : Math.sinh(x) / x);
  return (Math.exp(a + x) - Math.exp(a - x)) / (2 * x);
}

/**
 * Code Fragment 2.1 of Al-Mohy & Higham 2009 for an upper-triangular A: X = r_m(2⁻ˢA) squared s
 * times, with the diagonal of each e^{2⁻ⁱA} set to e^{2⁻ⁱa_kk} and its first superdiagonal to
 * t·e^{(λ₁+λ₂)/2}·sinh((λ₁−λ₂)/2)/((λ₁−λ₂)/2) (Higham, "Functions of Matrices", (10.42)): exact values
 * in place of squared ones, which also stops rounding there from growing with each squaring.
 */
function squareTriangular(x: Float64Array, a: Float64Array, n: number, s: number): Float64Array {
  for (let i = s; i >= 0; i--) {
    if (i < s) x = product(x, x, n);
    const c = 2 ** -i;
    for (let k = 0; k < n; k++) x[k * n + k] = Math.exp(c * a[k * n + k]);
    for (let k = 0; k + 1 < n; k++) {
      const l1 = c * a[k * n + k], l2 = c * a[(k + 1) * n + k + 1];
      x[k * n + k + 1] = c * a[k * n + k + 1] * expSinhc(0.5 * (l1 + l2), 0.5 * (l1 - l2));
    }
  }
  return x;
}

function isUpperTriangular(a: Float64Array, n: number): boolean {
  for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) if (a[i * n + j] !== 0) return false;
  return true;
}

function transpose(a: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[i * n + j];
  return t;
}

/** e^A of one n×n matrix (finite entries); a lower-triangular A as (e^{Aᵀ})ᵀ, to be triangular. */
function exponential(a: Float64Array, n: number): Float64Array {
  if (!isUpperTriangular(a, n)) {
    const t = transpose(a, n);
    if (isUpperTriangular(t, n)) return transpose(scalingAndSquaring(t, n, true), n);
    return scalingAndSquaring(a, n, false);
  }
  return scalingAndSquaring(a, n, true);
}

/** e^A of one n×n matrix by Al-Mohy & Higham 2009, Alg. 6.1; `triangular`: A is upper triangular. */
function scalingAndSquaring(a: Float64Array, n: number, triangular: boolean): Float64Array {
  // Powers of a huge A could overflow before being scaled: halve A first (exactly) until
  // ‖A‖₁ ≤ 2¹⁰⁰, so that A¹⁰ is finite; those t halvings are squared back at the end. Only an A
  // whose e^A overflows anyway, unless it is extremely non-normal, gets there.
  let largest = 0;
  for (let e = 0; e < n * n; e++) largest = Math.max(largest, Math.abs(a[e]));
  const t = largest === 0 ? 0 : Math.max(0, Math.ceil(Math.log2(largest) + Math.log2(n) - 100));
  const x1 = scaled(a, -t);
  // A^k of x1 on demand (A⁸ = A⁴·A⁴, A¹⁰ = A⁴·A⁶; the even powers are also the Padé terms), and
  // d_k = ‖A^k‖₁^{1/k}. For n in the hundreds an estimate of ‖A⁸‖₁ and ‖A¹⁰‖₁ would save two
  // products; exact norms make the same choices as SciPy below n = 200.
  const powers = new Map<number, Float64Array>([[1, x1]]);
  const power = (k: number): Float64Array => {
    let p = powers.get(k);
    if (p === undefined) {
      const [i, j] = k === 2 ? [1, 1] : k === 4 ? [2, 2] : k === 6 ? [4, 2] : k === 8 ? [4, 4] : [4, 6];
      p = product(power(i), power(j), n);
      powers.set(k, p);
    }
    return p;
  };
  const norms = new Map<number, number>();
  const norm = (k: number): number => {
    let v = norms.get(k);
    if (v === undefined) norms.set(k, (v = norm1(power(k), n)));
    return v;
  };
  const d = (k: number) => norm(k) ** (1 / k);
  // d_k < θ from a bound by the powers already formed where that suffices (‖A^{i+j}‖₁ ≤
  // ‖A^i‖₁‖A^j‖₁), else from A^k itself: a power is formed only when it decides something.
  const upper = (k: number): number => {
    const known = (i: number) => (powers.has(i) ? norm(i) : Infinity);
    let bound = Math.min(known(k), norm(2) ** (k / 2));
    for (let i = 4; i < k; i += 2) bound = Math.min(bound, known(i) * known(k - i));
    return bound ** (1 / k);
  };
  const below = (k: number, theta: number) => upper(k) < theta || d(k) < theta;
  const abs = new AbsPowerNorms(x1, n), size = norm1(x1, n);
  let m = 13, s = 0;
  // α = max(d₄, d₆) for degrees 3 and 5, max(d₆, d₈) for 7 and 9; ℓ before d₈ (no matrix product).
  if (below(4, THETA[3]) && below(6, THETA[3]) && ell(abs, size, 3, 0) === 0) m = 3;
  else if (below(4, THETA[5]) && below(6, THETA[5]) && ell(abs, size, 5, 0) === 0) m = 5;
  else if (below(6, THETA[7]) && ell(abs, size, 7, 0) === 0 && below(8, THETA[7])) m = 7;
  else if (below(6, THETA[9]) && ell(abs, size, 9, 0) === 0 && below(8, THETA[9])) m = 9;
  else {
    // s from η = min(max(d₆, d₈), max(d₈, d₁₀)); bounds on d₈ and d₁₀ settle s = 0 without the
    // two products A⁸ and A¹⁰ where they can.
    const bound = Math.min(Math.max(d(6), upper(8)), Math.max(upper(8), upper(10)));
    const eta = bound <= THETA[13] ? bound : Math.min(Math.max(d(6), d(8)), Math.max(d(8), d(10)));
    s = eta === 0 ? 0 : Math.max(0, Math.ceil(Math.log2(eta / THETA[13])));
    s += ell(abs, size, 13, s);
  }
  const b = PADE[m];
  // X = 2⁻ˢ·A: its powers are A's scaled exactly, by 2^{−ks}.
  const x = (k: number) => scaled(power(k), -k * s);
  const x2 = x(2);
  let u: Float64Array, v: Float64Array;
  if (m === 13) {
    const x4 = x(4), x6 = x(6);
    const uInner = product(x6, combination([[b[13], x6], [b[11], x4], [b[9], x2]], 0, n), n);
    u = product(x(1), combination([[1, uInner], [b[7], x6], [b[5], x4], [b[3], x2]], b[1], n), n);
    const vInner = product(x6, combination([[b[12], x6], [b[10], x4], [b[8], x2]], 0, n), n);
    v = combination([[1, vInner], [b[6], x6], [b[4], x4], [b[2], x2]], b[0], n);
  } else {
    // U = X·Σ b_{2k+1}·X^{2k}, V = Σ b_{2k}·X^{2k}
    const even: Float64Array[] = [];
    for (let k = 2; k <= m; k += 2) even.push(x(k));
    u = product(x(1), combination(even.map((p, k) => [b[2 * k + 3], p] as const), b[1], n), n);
    v = combination(even.map((p, k) => [b[2 * k + 2], p] as const), b[0], n);
  }
  // (V − U)·R = V + U: V − U is well conditioned for α ≤ θ_m (Higham 2005, §2).
  const f = luFactor(combination([[1, v], [-1, u]], 0, n), n, 1);
  let r = luSolve(f, combination([[1, v], [1, u]], 0, n), n, false);
  if (triangular) return squareTriangular(r, a, n, s + t);
  for (let k = 0; k < s + t; k++) r = product(r, r, n);
  return r;
}

/** e^A of each matrix of a stack; NaN for a matrix with a NaN or ±∞ entry. */
const exponentials = (a: Float64Array, shape: Shape) => eachMatrix(a, shape, 'expm', exponential);
const record = matrixFunctionOp('expm', exponentials);

/**
 * The matrix exponential e^A = Σ Aᵏ/k! of a square matrix, or of each matrix of a stack [..., n, n],
 * as SciPy's and JAX's `scipy.linalg.expm` and PyTorch's `matrix_exp`: scaling and squaring with a
 * Padé approximant, degree and squarings chosen as SciPy does (Al-Mohy & Higham 2009), so that
 * non-normal and graded matrices are not over-scaled. Exact derivatives of every order, the Fréchet
 * derivative computed from the exponential of a block matrix [[A, E], [0, A]] (no eigenvectors, so
 * any A, defective or with repeated eigenvalues, is fine). A matrix with a NaN or ±∞ entry gives NaN.
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

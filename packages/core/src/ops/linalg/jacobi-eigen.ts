// The eigendecomposition S = V·diag(λ)·Vᵀ of each symmetric matrix of a stack (row-major), by the
// cyclic Jacobi method on S = (A + Aᵀ)/2: rotations that zero one off-diagonal pair at a time, sweep
// after sweep, until a whole sweep finds nothing left to rotate. Each rotation is orthogonal and
// applied exactly in float64, so VᵀV = I and S·V = V·diag(λ) hold to rounding (Demmel & Veselić 1992:
// Jacobi is as accurate as any symmetric eigensolver, often more). O(n³) per sweep and about
// 6–10 sweeps: meant for the small and medium n this library targets.
//
// S is first scaled by a power of two (exact) so that its largest entry is near 1: nothing squared
// along the way can overflow (entries beyond 1e154) or underflow away (below 1e-154); λ is scaled
// back at the end.

const EPSILON = 2 ** -52;
/** Sweeps are quadratically convergent; far more than any finite symmetric matrix needs. */
const MAX_SWEEPS = 100;

/**
 * (a + b)/2, the symmetrized entry that eigh and cholesky read: exactly that wherever a + b is finite,
 * and a/2 + b/2 where the sum alone overflows (entries past 8.9e307), so a finite matrix never turns
 * into ±∞ (and NaN eigenpairs) before its scaling by a power of two can act.
 */
export function symmetricMean(a: number, b: number): number {
  const m = (a + b) / 2;
  return m === Infinity || m === -Infinity ? a / 2 + b / 2 : m;
}

/** λ (ascending) and V (column j the eigenvector of λ_j) of each n×n matrix of a stack. */
export interface Eigenpairs {
  /** count·n eigenvalues, each matrix's ascending. */
  readonly values: Float64Array;
  /** count·n·n, row-major: column j of each matrix is the unit eigenvector of its value j. */
  readonly vectors: Float64Array;
}

/** Components within this relative distance of a column's largest magnitude count as tied with it. */
const SIGN_TIE = 1e-8;

/**
 * The eigenpairs of (A + Aᵀ)/2 for each of `count` n×n matrices of A. Each eigenvector's sign is
 * fixed so that its component of largest magnitude is positive, the first such on ties, so the result
 * is reproducible. Components within a relative 1e-8 of the largest count as tied: in a symmetric or
 * antisymmetric vector (a Toeplitz matrix's) they are equal, and rounding must not pick the sign. A
 * matrix with a NaN or ±∞ entry gets NaN values and vectors.
 */
export function symmetricEigen(A: Float64Array, n: number, count: number): Eigenpairs {
  const values = new Float64Array(count * n);
  const vectors = new Float64Array(count * n * n);
  const s = new Float64Array(n * n), v = new Float64Array(n * n);
  for (let b = 0; b < count; b++) {
    const a = b * n * n;
    let largest = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const e = symmetricMean(A[a + i * n + j], A[a + j * n + i]);
        s[i * n + j] = e;
        largest = Math.max(largest, Math.abs(e)); // NaN stays NaN
      }
    }
    if (!Number.isFinite(largest)) {
      values.fill(NaN, b * n, (b + 1) * n);
      vectors.fill(NaN, a, a + n * n);
      continue;
    }
    const scale = largest === 0 ? 1 : powerOfTwoNear(largest);
    for (let k = 0; k < n * n; k++) s[k] /= scale;
    diagonalize(s, v, n);
    sortAndSign(s, v, n, scale, values.subarray(b * n, (b + 1) * n), vectors.subarray(a, a + n * n));
  }
  return { values, vectors };
}

/** 2^e with 2^e ≤ x < 2^(e+1): dividing by it is exact (x finite and positive). */
function powerOfTwoNear(x: number): number {
  let e = Math.floor(Math.log2(x));
  // log2 can round across a power of two; nudge so that x / 2^e is in [1, 2).
  if (2 ** e > x) e--;
  else if (2 ** (e + 1) <= x) e++;
  // 2^e is not representable below 2^-1074 or above 2^1023: split the division in two then.
  return e < -1022 ? 2 ** -1022 : 2 ** e;
}

/**
 * Cyclic Jacobi on the symmetric s (in place: its diagonal becomes λ), accumulating the rotations in
 * v (set to I first). Rotation (p, q) is skipped when s_pq is negligible against the diagonal, as
 * |s_pq| ≤ ε·√|s_pp·s_qq| (the test that keeps small eigenvalues' relative accuracy), or below ε²
 * of the (unit) scale; a sweep that rotates nothing ends the iteration.
 */
function diagonalize(s: Float64Array, v: Float64Array, n: number): void {
  v.fill(0);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const spq = s[p * n + q];
        const spp = s[p * n + p], sqq = s[q * n + q];
        if (Math.abs(spq) <= EPSILON * Math.sqrt(Math.abs(spp * sqq)) || Math.abs(spq) <= EPSILON * EPSILON) {
          s[p * n + q] = s[q * n + p] = 0;
          continue;
        }
        rotated = true;
        rotate(s, v, n, p, q, spq, spp, sqq);
      }
    }
    if (!rotated) return;
  }
}

/** One Jacobi rotation zeroing s_pq (Rutishauser's form, as in Numerical Recipes' jacobi). */
function rotate(s: Float64Array, v: Float64Array, n: number, p: number, q: number, spq: number, spp: number, sqq: number): void {
  const theta = (sqq - spp) / (2 * spq);
  // t = tan φ, the smaller root of t² + 2θt − 1 = 0; for huge θ, θ² would overflow: t ≈ 1/(2θ).
  const t = Math.abs(theta) > 1e150 ? 1 / (2 * theta) : Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1), sn = t * c;
  s[p * n + p] = spp - t * spq;
  s[q * n + q] = sqq + t * spq;
  s[p * n + q] = s[q * n + p] = 0;
  for (let k = 0; k < n; k++) {
    if (k !== p && k !== q) {
      const skp = s[k * n + p], skq = s[k * n + q];
      const np = c * skp - sn * skq, nq = sn * skp + c * skq;
      s[k * n + p] = s[p * n + k] = np;
      s[k * n + q] = s[q * n + k] = nq;
    }
    const vkp = v[k * n + p], vkq = v[k * n + q];
    v[k * n + p] = c * vkp - sn * vkq;
    v[k * n + q] = sn * vkp + c * vkq;
  }
}

/**
 * λ = diag(s)·scale in ascending order and V's columns to match, each column's sign set so that its
 * largest-magnitude component (the first within SIGN_TIE of the largest) is positive.
 */
function sortAndSign(s: Float64Array, v: Float64Array, n: number, scale: number, values: Float64Array, vectors: Float64Array): void {
  const order = Array.from({ length: n }, (_, k) => k).sort((i, j) => s[i * n + i] - s[j * n + j] || i - j);
  for (let j = 0; j < n; j++) {
    const k = order[j];
    values[j] = s[k * n + k] * scale;
    let largest = 0;
    for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(v[i * n + k]));
    let top = 0;
    while (top < n - 1 && Math.abs(v[top * n + k]) < largest * (1 - SIGN_TIE)) top++;
    const sign = v[top * n + k] < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) vectors[i * n + j] = sign * v[i * n + k];
  }
}

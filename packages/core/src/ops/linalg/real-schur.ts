// The real Schur decomposition A = Q·T·Qᵀ of a real n×n matrix (Golub & Van Loan §7.4–7.5): Q
// orthogonal, T quasi-upper-triangular, with 1×1 diagonal blocks for the real eigenvalues and 2×2
// blocks for the complex-conjugate pairs. Two stages, as in LAPACK's dgehrd + dhseqr (small-matrix
// path dlahqr), written here from those algorithms:
// 1. Householder reduction to upper Hessenberg form, H = Q₀ᵀ·A·Q₀;
// 2. Francis' implicit double-shift QR on H, with the Ahues–Tisseur deflation test and LAPACK's
//    exceptional shifts every 10 iterations without a deflation, the reflections accumulated into Q;
//    each 2×2 block that splits off is put in standard form (dlanv2): upper triangular when its
//    eigenvalues are real, [[a, b], [c, a]] with b·c < 0 when they are complex.
// Backward stable: Q·T·Qᵀ = A + E with ‖E‖ and ‖QᵀQ − I‖ a modest multiple of ε·‖A‖ and ε. The matrix
// is first scaled by a power of two that brings its largest entry into [1, 2) (exact), so no
// intermediate overflows or underflows for extreme scales; T is scaled back at the end.
// With `balance` (sqrtm, logm), A is first balanced (linalg/balance.ts, LAPACK's dgebal): the
// decomposition is then A = X·Q·T·Qᵀ·X⁻¹ with X a permutation times a diagonal of powers of two, the
// backward error at the scale of X⁻¹·A·X (for a graded A, far below ε·‖A‖), and the isolated
// eigenvalues taken as they are, without QR iterations.
import { balance } from './balance.js';

const ULP = 2 ** -52;
const SAFE_MIN = 2 ** -1022;
/** dlanv2's rescaling bounds for the 2×2 standardization (about √(SAFE_MIN/ULP) and its inverse). */
const SAFE_MIN2 = 2 ** -485, SAFE_MAX2 = 2 ** 485;
/** LAPACK's exceptional-shift period and constants (dlahqr: KEXSH, DAT1, DAT2). */
const EXCEPTIONAL = 10, DAT1 = 0.75, DAT2 = -0.4375;

/** √(x² + y²) without overflow or underflow (Math.hypot is several times slower in V8). */
function hypot(x: number, y: number): number {
  const ax = Math.abs(x), ay = Math.abs(y);
  const big = Math.max(ax, ay), small = Math.min(ax, ay);
  if (big === 0 || big === Infinity) return big;
  const r = small / big;
  return big * Math.sqrt(1 + r * r);
}

/**
 * The real Schur form of a matrix: A = X·Q·T·Qᵀ·X⁻¹ (row-major n×n), X = P·D the balancing (the
 * identity without the `balance` option): A[perm[i]][perm[j]] = scale[i]·(Q·T·Qᵀ)[i][j]/scale[j].
 */
export interface RealSchur {
  /** Quasi-upper-triangular, its 2×2 diagonal blocks standardized: [[a, b], [c, a]], b·c < 0. */
  readonly t: Float64Array;
  /** Orthogonal. */
  readonly q: Float64Array;
  /** X's permutation: its column j is scale[j]·e_{perm[j]}. */
  readonly perm: Int32Array;
  /** X's diagonal scaling, powers of two. */
  readonly scale: Float64Array;
}

export interface RealSchurOptions {
  /**
   * The QR iterations allowed for each eigenvalue or pair to split off (default LAPACK's
   * 30·max(10, n)); past it the decomposition gives up (null). Far more than any matrix needs
   * (about 2–4 per eigenvalue); a cap so that no input can loop forever.
   */
  readonly maxIterations?: number;
  /**
   * Balance A first (default false): permute to isolate eigenvalues and scale rows and columns by
   * powers of two (LAPACK's dgebal), so that the result is A = X·Q·T·Qᵀ·X⁻¹, no longer an orthogonal
   * similarity, and accurate for graded matrices.
   */
  readonly balance?: boolean;
}

/**
 * The real Schur decomposition A = Q·T·Qᵀ of one real n×n matrix (row-major, not modified): Q
 * orthogonal, T quasi-upper-triangular with 1×1 blocks (real eigenvalues) and standardized 2×2 blocks
 * [[a, b], [c, a]], b·c < 0 (the eigenvalues a ± i·√(−bc)); the eigenvalues appear in no particular
 * order. Householder Hessenberg reduction, then Francis double-shift QR (LAPACK's dlahqr); with
 * `balance`, of the balanced matrix: A = X·Q·T·Qᵀ·X⁻¹ ({@link RealSchur}). Null if the QR iteration
 * has not converged within `maxIterations` for some eigenvalue (never seen in practice) or A holds NaN
 * or ±∞.
 *
 * @example
 * ```ts
 * const { t, q } = realSchur(Float64Array.of(0, 1, -2, 3), 2)!;  // eigenvalues 1 and 2: T triangular
 * ```
 */
export function realSchur(a: Float64Array, n: number, options: RealSchurOptions = {}): RealSchur | null {
  for (let k = 0; k < n * n; k++) if (!Number.isFinite(a[k])) return null;
  const split = splitBlocks(a, n, options);
  if (split !== undefined) return split;
  const maxIterations = options.maxIterations ?? 30 * Math.max(10, n);
  if (!options.balance) {
    const s = francisSchur(a, n, maxIterations);
    return s && { ...s, perm: Int32Array.from({ length: n }, (_, i) => i), scale: new Float64Array(n).fill(1) };
  }
  const { b, perm, scale, lo, hi } = balance(a, n);
  const s = lo === 0 && hi === n ? francisSchur(b, n, maxIterations) : isolatedSchur(b, n, lo, hi, maxIterations);
  return s && { ...s, perm, scale };
}

/** A = Q·T·Qᵀ by Hessenberg reduction and Francis QR, at a power-of-two scale that keeps them safe. */
function francisSchur(a: Float64Array, n: number, maxIterations: number): { t: Float64Array; q: Float64Array } | null {
  let largest = 0;
  for (let k = 0; k < n * n; k++) largest = Math.max(largest, Math.abs(a[k]));
  // 2^−e with largest·2^−e in [1, 2), applied as two factors so that 2^±1074 stays representable.
  const e = largest === 0 ? 0 : Math.floor(Math.log2(largest));
  const down1 = 2 ** -Math.trunc(e / 2), down2 = 2 ** -(e - Math.trunc(e / 2));
  const h = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) h[k] = a[k] * down1 * down2;
  // Qᵀ as it builds up (its updates then run along rows).
  const qt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) qt[i * n + i] = 1;
  hessenberg(h, qt, n);
  if (!francisQr(h, qt, n, maxIterations)) return null;
  const up1 = 1 / down1, up2 = 1 / down2;
  for (let k = 0; k < n * n; k++) h[k] = h[k] * up1 * up2;
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) q[i * n + j] = qt[j * n + i];
  return { t: h, q };
}

/**
 * The Schur form of a balanced B = [[T₁, B₁₂, B₁₃], [0, M, B₂₃], [0, 0, T₂]] (T₁ and T₂ upper
 * triangular, M in rows and columns lo…hi−1) from M's alone, M = Q_M·T_M·Q_Mᵀ: Q = diag(I, Q_M, I),
 * T = [[T₁, B₁₂·Q_M, B₁₃], [0, T_M, Q_Mᵀ·B₂₃], [0, 0, T₂]] (LAPACK's dhseqr with ILO and IHI). The
 * isolated eigenvalues are exact, even where M's scale would flush them to zero.
 */
function isolatedSchur(b: Float64Array, n: number, lo: number, hi: number, maxIterations: number): { t: Float64Array; q: Float64Array } | null {
  const m = hi - lo;
  const middle = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) middle[i * m + j] = b[(lo + i) * n + lo + j];
  const s = francisSchur(middle, m, maxIterations);
  if (s === null) return null;
  const t = b.slice(), q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) if (i < lo || i >= hi) q[i * n + i] = 1;
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
    t[(lo + i) * n + lo + j] = s.t[i * m + j];
    q[(lo + i) * n + lo + j] = s.q[i * m + j];
  }
  // Rows 0…lo−1 of columns lo…hi−1 times Q_M; Q_Mᵀ times rows lo…hi−1 of columns hi…n−1.
  for (let i = 0; i < lo; i++) for (let j = 0; j < m; j++) {
    let sum = 0;
    for (let k = 0; k < m; k++) sum += b[i * n + lo + k] * s.q[k * m + j];
    t[i * n + lo + j] = sum;
  }
  for (let i = 0; i < m; i++) for (let j = hi; j < n; j++) {
    let sum = 0;
    for (let k = 0; k < m; k++) sum += s.q[k * m + i] * b[(lo + k) * n + j];
    t[(lo + i) * n + j] = sum;
  }
  return { t, q };
}

/**
 * The Schur form of a block upper triangular A = [[A₁, E], [0, A₂]] (n even, halves of n/2, the lower
 * left block exactly zero) from those of A₁ and A₂: Q = diag(Q₁, Q₂), T = [[T₁, Q₁ᵀ·E·Q₂], [0, T₂]];
 * likewise a block lower triangular A with its halves swapped; undefined for any other A. The derivatives' blocks [[A, E], [0, A]] (matrix-function.ts) are such,
 * nested at higher orders, and transposed by the reverse rules: a QR iteration on the whole would meet each eigenvalue of A twice (or 2^k
 * times) in a Jordan-like chain and split it by ε^(1/2^k)·‖A‖ (at third order, a non-normal A with
 * eigenvalues 1, 1.2 and 1.4 had some made negative: NaN), while here both halves are A's own Schur
 * form, their eigenvalues identical. With `balance`, each half is balanced on its own (X = diag(X₁, X₂),
so both halves of [[A, E], [0, A]] alike) and E taken in their frame, X₁⁻¹·E·X₂.
 */
function splitBlocks(a: Float64Array, n: number, options: RealSchurOptions): RealSchur | null | undefined {
  if (n < 2 || n % 2 !== 0) return undefined;
  const h = n / 2;
  const zero = (r0: number, c0: number) => {
    for (let i = r0; i < r0 + h; i++) for (let j = c0; j < c0 + h; j++) if (a[i * n + j] !== 0) return false;
    return true;
  };
  if (!zero(h, 0)) {
    if (!zero(0, h)) return undefined;
    // Block lower triangular (a transposed block, as the reverse rules make): P·A·Pᵀ, with P swapping
    // the halves, is block upper triangular, and A = (Pᵀ·Q)·T·(Pᵀ·Q)ᵀ.
    const swapped = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) swapped[((i + h) % n) * n + ((j + h) % n)] = a[i * n + j];
    const s = splitBlocks(swapped, n, options);
    if (!s) return s ?? null;
    // With σ(i) = (i + h) mod n, the rows of Q and the rows and columns of X go back through σ.
    const q = new Float64Array(n * n);
    for (let i = 0; i < n; i++) q.set(s.q.subarray(((i + h) % n) * n, ((i + h) % n + 1) * n), i * n);
    const perm = s.perm.map((_, i) => (s.perm[(i + h) % n] + h) % n), scale = s.scale.map((_, i) => s.scale[(i + h) % n]);
    return { t: s.t, q, perm, scale };
  }
  const half = (r0: number, c0: number) => {
    const m = new Float64Array(h * h);
    for (let i = 0; i < h; i++) for (let j = 0; j < h; j++) m[i * h + j] = a[(r0 + i) * n + c0 + j];
    return m;
  };
  const s1 = realSchur(half(0, 0), h, options);
  if (s1 === null) return null;
  const s2 = realSchur(half(h, h), h, options);
  if (s2 === null) return null;
  // X₁⁻¹·E·X₂ (E itself without balancing): with X = diag(X₁, X₂), A's top right block in X's frame.
  const e = new Float64Array(h * h);
  for (let i = 0; i < h; i++) for (let j = 0; j < h; j++) e[i * h + j] = (a[s1.perm[i] * n + h + s2.perm[j]] / s1.scale[i]) * s2.scale[j];
  const eq = new Float64Array(h * h), t = new Float64Array(n * n), q = new Float64Array(n * n);
  // Q₁ᵀ·E·Q₂: first E·Q₂, then Q₁ᵀ times it.
  for (let i = 0; i < h; i++) for (let k = 0; k < h; k++) {
    const x = e[i * h + k];
    if (x !== 0) for (let j = 0; j < h; j++) eq[i * h + j] += x * s2.q[k * h + j];
  }
  for (let k = 0; k < h; k++) for (let i = 0; i < h; i++) {
    const x = s1.q[k * h + i];
    if (x !== 0) for (let j = 0; j < h; j++) t[i * n + h + j] += x * eq[k * h + j];
  }
  for (let i = 0; i < h; i++) for (let j = 0; j < h; j++) {
    t[i * n + j] = s1.t[i * h + j];
    t[(h + i) * n + h + j] = s2.t[i * h + j];
    q[i * n + j] = s1.q[i * h + j];
    q[(h + i) * n + h + j] = s2.q[i * h + j];
  }
  const perm = new Int32Array(n), scale = new Float64Array(n);
  for (let i = 0; i < h; i++) {
    perm[i] = s1.perm[i];
    perm[h + i] = h + s2.perm[i];
    scale[i] = s1.scale[i];
    scale[h + i] = s2.scale[i];
  }
  return { t, q, perm, scale };
}

/** The starts of the diagonal blocks of a quasi-upper-triangular T (2×2 where t[k+1][k] ≠ 0), then n. */
export function diagonalBlocks(t: Float64Array, n: number): number[] {
  const starts: number[] = [];
  for (let k = 0; k < n; k += k + 1 < n && t[(k + 1) * n + k] !== 0 ? 2 : 1) starts.push(k);
  starts.push(n);
  return starts;
}

/**
 * The 2×2 diagonal block of T at (k, k), [[a, b], [c, d]], with its complex pair θ ± iμ: θ = (a + d)/2,
 * p = (a − d)/2 and μ = √(−(p² + bc)), as √|b|·√|c| for a standardized block (p = 0), which cannot
 * overflow in the product. NaN μ where the block has real eigenvalues.
 */
export function complexPair(t: Float64Array, n: number, k: number): { a: number; b: number; c: number; d: number; theta: number; p: number; mu: number } {
  const a = t[k * n + k], b = t[k * n + k + 1], c = t[(k + 1) * n + k], d = t[(k + 1) * n + k + 1];
  const theta = (a + d) / 2, p = (a - d) / 2;
  const mu = p === 0 ? Math.sqrt(Math.abs(b)) * Math.sqrt(Math.abs(c)) : Math.sqrt(-(p * p + b * c));
  return { a, b, c, d, theta, p, mu };
}

/**
 * The eigenvalues of a quasi-upper-triangular T from {@link realSchur} (its diagonal blocks), in
 * T's order: re and im, a complex pair as (θ, +μ), (θ, −μ) ({@link complexPair}; μ = 0 where
 * rounding leaves a pair's −(p² + bc) below 0).
 */
export function quasiTriangularEigenvalues(t: Float64Array, n: number): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(n), im = new Float64Array(n);
  const starts = diagonalBlocks(t, n);
  for (let b = 0; b + 1 < starts.length; b++) {
    const k = starts[b];
    if (starts[b + 1] - k === 1) {
      re[k] = t[k * n + k];
      continue;
    }
    const { theta, mu } = complexPair(t, n, k);
    re[k] = re[k + 1] = theta;
    im[k] = mu === mu ? mu : 0;
    im[k + 1] = -im[k];
  }
  return { re, im };
}

/** H ← Q₀ᵀ·H·Q₀ upper Hessenberg by Householder reflections, and Qᵀ ← Q₀ᵀ·Qᵀ (both row-major n×n). */
function hessenberg(h: Float64Array, qt: Float64Array, n: number): void {
  const v = new Float64Array(n), w = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    // The reflector I − τ·v·vᵀ (v[k+1] = 1) that zeroes column k below the subdiagonal.
    let size = 0;
    for (let i = k + 2; i < n; i++) size = Math.max(size, Math.abs(h[i * n + k]));
    if (size === 0) continue; // already zero: the reflector is I
    const alpha = h[(k + 1) * n + k];
    size = Math.max(size, Math.abs(alpha));
    let sum = 0;
    for (let i = k + 1; i < n; i++) sum += (h[i * n + k] / size) ** 2;
    // beta = −sign(alpha)·‖x‖ keeps alpha − beta free of cancellation.
    const beta = (alpha >= 0 ? -1 : 1) * size * Math.sqrt(sum);
    const tau = (beta - alpha) / beta;
    // Divided, not multiplied by a reciprocal: alpha − beta may be subnormal, its reciprocal infinite.
    const divisor = alpha - beta;
    v[k + 1] = 1;
    for (let i = k + 2; i < n; i++) {
      v[i] = h[i * n + k] / divisor;
      h[i * n + k] = 0;
    }
    h[(k + 1) * n + k] = beta;
    // From the left, rows k+1… of columns k+1… of H and of every column of Qᵀ: M ← M − τ·v·(vᵀM).
    for (const [m, from] of [[h, k + 1], [qt, 0]] as const) {
      w.fill(0, from);
      for (let i = k + 1; i < n; i++) {
        const vi = v[i];
        for (let j = from; j < n; j++) w[j] += vi * m[i * n + j];
      }
      for (let i = k + 1; i < n; i++) {
        const f = tau * v[i];
        for (let j = from; j < n; j++) m[i * n + j] -= f * w[j];
      }
    }
    // From the right, columns k+1… of every row of H: H ← H − τ·(Hv)·vᵀ.
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = k + 1; j < n; j++) s += h[i * n + j] * v[j];
      s *= tau;
      for (let j = k + 1; j < n; j++) h[i * n + j] -= s * v[j];
    }
  }
}

/**
 * H (upper Hessenberg) ← its real Schur form by Francis double-shift QR, Z ← Z·(the transformations),
 * kept as Zᵀ so that its updates run along rows (LAPACK's dlahqr with WANTT and WANTZ, 0-based). False if an eigenvalue has not split off within
 * `maxIterations` iterations.
 */
function francisQr(h: Float64Array, zt: Float64Array, n: number, maxIterations: number): boolean {
  const smallNumber = SAFE_MIN * (n / ULP);
  let deflationCount = 0;
  let i = n - 1;
  while (i >= 0) {
    // The active block is rows and columns l…i; everything below i has converged.
    let l = 0;
    let split = false;
    for (let its = 0; its <= maxIterations; its++) {
      // A negligible subdiagonal entry h[k][k−1] (the conservative test of Ahues & Tisseur).
      let k = i;
      for (; k > l; k--) {
        const sub = Math.abs(h[k * n + k - 1]);
        if (sub <= smallNumber) break;
        let test = Math.abs(h[(k - 1) * n + k - 1]) + Math.abs(h[k * n + k]);
        if (test === 0) {
          if (k - 2 >= 0) test += Math.abs(h[(k - 1) * n + k - 2]);
          if (k + 1 < n) test += Math.abs(h[(k + 1) * n + k]);
        }
        if (sub <= ULP * test) {
          const sup = Math.abs(h[(k - 1) * n + k]);
          const ab = Math.max(sub, sup), ba = Math.min(sub, sup);
          const diff = Math.abs(h[(k - 1) * n + k - 1] - h[k * n + k]), hkk = Math.abs(h[k * n + k]);
          const aa = Math.max(hkk, diff), bb = Math.min(hkk, diff);
          const s = aa + ab;
          if (ba * (ab / s) <= Math.max(smallNumber, ULP * (bb * (aa / s)))) break;
        }
      }
      l = k;
      if (l > 0) h[l * n + l - 1] = 0;
      if (l >= i - 1) {
        split = true; // a 1×1 or 2×2 block has split off
        break;
      }
      deflationCount++;

      // The shifts: the eigenvalues of the trailing 2×2 (Francis), or an exceptional pair.
      let h11: number, h12: number, h21: number, h22: number;
      if (deflationCount % (2 * EXCEPTIONAL) === 0) {
        const s = Math.abs(h[i * n + i - 1]) + Math.abs(h[(i - 1) * n + i - 2]);
        h11 = DAT1 * s + h[i * n + i];
        h12 = DAT2 * s;
        h21 = s;
        h22 = h11;
      } else if (deflationCount % EXCEPTIONAL === 0) {
        const s = Math.abs(h[(l + 1) * n + l]) + Math.abs(h[(l + 2) * n + l + 1]);
        h11 = DAT1 * s + h[l * n + l];
        h12 = DAT2 * s;
        h21 = s;
        h22 = h11;
      } else {
        h11 = h[(i - 1) * n + i - 1];
        h21 = h[i * n + i - 1];
        h12 = h[(i - 1) * n + i];
        h22 = h[i * n + i];
      }
      let rt1r = 0, rt1i = 0, rt2r = 0, rt2i = 0;
      const s = Math.abs(h11) + Math.abs(h12) + Math.abs(h21) + Math.abs(h22);
      if (s !== 0) {
        h11 /= s;
        h21 /= s;
        h12 /= s;
        h22 /= s;
        const tr = (h11 + h22) / 2;
        const det = (h11 - tr) * (h22 - tr) - h12 * h21;
        const rtdisc = Math.sqrt(Math.abs(det));
        if (det >= 0) {
          // A complex-conjugate pair.
          rt1r = rt2r = tr * s;
          rt1i = rtdisc * s;
          rt2i = -rt1i;
        } else {
          // Two real shifts: use the one closer to h22, twice.
          const r1 = tr + rtdisc, r2 = tr - rtdisc;
          rt1r = rt2r = (Math.abs(r1 - h22) <= Math.abs(r2 - h22) ? r1 : r2) * s;
        }
      }

      // Where to start: two consecutive small subdiagonal entries let the step begin at row m > l.
      let m = i - 2;
      let v0 = 0, v1 = 0, v2 = 0;
      for (; m >= l; m--) {
        const hmm = h[m * n + m];
        let h21s = h[(m + 1) * n + m];
        let scale = Math.abs(hmm - rt2r) + Math.abs(rt2i) + Math.abs(h21s);
        h21s /= scale;
        v0 = h21s * h[m * n + m + 1] + (hmm - rt1r) * ((hmm - rt2r) / scale) - rt1i * (rt2i / scale);
        v1 = h21s * (hmm + h[(m + 1) * n + m + 1] - rt1r - rt2r);
        v2 = h21s * h[(m + 2) * n + m + 1];
        scale = Math.abs(v0) + Math.abs(v1) + Math.abs(v2);
        v0 /= scale;
        v1 /= scale;
        v2 /= scale;
        if (m === l) break;
        const h00 = Math.abs(v0) * (Math.abs(h[(m - 1) * n + m - 1]) + Math.abs(hmm) + Math.abs(h[(m + 1) * n + m + 1]));
        const h01 = Math.abs(h[m * n + m - 1]) * (Math.abs(v1) + Math.abs(v2));
        if (h01 <= ULP * h00) break;
      }

      // The double-shift step: a reflection from v makes a bulge, the next ones chase it down.
      for (let k = m; k <= i - 1; k++) {
        const size = Math.min(3, i - k + 1);
        if (k > m) {
          v0 = h[k * n + k - 1];
          v1 = h[(k + 1) * n + k - 1];
          v2 = size === 3 ? h[(k + 2) * n + k - 1] : 0;
        }
        // dlarfg: I − τ·u·uᵀ, u = [1, v1, v2], maps [v0, v1, v2] to [beta, 0, 0].
        let t1 = 0;
        const xnorm = size === 3 ? hypot(v1, v2) : Math.abs(v1);
        if (xnorm !== 0) {
          const beta = (v0 >= 0 ? -1 : 1) * hypot(v0, xnorm);
          t1 = (beta - v0) / beta;
          const divisor = v0 - beta; // divided by, as in hessenberg: it may be subnormal
          v1 /= divisor;
          v2 /= divisor;
          v0 = beta;
        }
        if (k > m) {
          h[k * n + k - 1] = v0;
          h[(k + 1) * n + k - 1] = 0;
          if (k < i - 1) h[(k + 2) * n + k - 1] = 0;
        } else if (m > l) {
          // dlahqr's form of h[k][k−1] = −h[k][k−1], safe when v1 and v2 underflow.
          h[k * n + k - 1] *= 1 - t1;
        }
        const t2 = t1 * v1;
        if (size === 3) {
          const t3 = t1 * v2;
          for (let j = k; j < n; j++) {
            const sum = h[k * n + j] + v1 * h[(k + 1) * n + j] + v2 * h[(k + 2) * n + j];
            h[k * n + j] -= sum * t1;
            h[(k + 1) * n + j] -= sum * t2;
            h[(k + 2) * n + j] -= sum * t3;
          }
          const last = Math.min(k + 3, i);
          for (let j = 0; j <= last; j++) {
            const sum = h[j * n + k] + v1 * h[j * n + k + 1] + v2 * h[j * n + k + 2];
            h[j * n + k] -= sum * t1;
            h[j * n + k + 1] -= sum * t2;
            h[j * n + k + 2] -= sum * t3;
          }
          for (let j = 0; j < n; j++) {
            const sum = zt[k * n + j] + v1 * zt[(k + 1) * n + j] + v2 * zt[(k + 2) * n + j];
            zt[k * n + j] -= sum * t1;
            zt[(k + 1) * n + j] -= sum * t2;
            zt[(k + 2) * n + j] -= sum * t3;
          }
        } else {
          for (let j = k; j < n; j++) {
            const sum = h[k * n + j] + v1 * h[(k + 1) * n + j];
            h[k * n + j] -= sum * t1;
            h[(k + 1) * n + j] -= sum * t2;
          }
          for (let j = 0; j <= i; j++) {
            const sum = h[j * n + k] + v1 * h[j * n + k + 1];
            h[j * n + k] -= sum * t1;
            h[j * n + k + 1] -= sum * t2;
          }
          for (let j = 0; j < n; j++) {
            const sum = zt[k * n + j] + v1 * zt[(k + 1) * n + j];
            zt[k * n + j] -= sum * t1;
            zt[(k + 1) * n + j] -= sum * t2;
          }
        }
      }
    }
    if (!split) return false;

    if (l === i - 1) {
      // A 2×2 block has split off: its standard form, the rotation applied to the rest of H and to Z.
      const r = standardize(h[(i - 1) * n + i - 1], h[(i - 1) * n + i], h[i * n + i - 1], h[i * n + i]);
      h[(i - 1) * n + i - 1] = r.a;
      h[(i - 1) * n + i] = r.b;
      h[i * n + i - 1] = r.c;
      h[i * n + i] = r.d;
      const { cs, sn } = r;
      if (cs !== 1 || sn !== 0) {
        for (let j = i + 1; j < n; j++) {
          const x = h[(i - 1) * n + j], y = h[i * n + j];
          h[(i - 1) * n + j] = cs * x + sn * y;
          h[i * n + j] = cs * y - sn * x;
        }
        for (let j = 0; j < i - 1; j++) {
          const x = h[j * n + i - 1], y = h[j * n + i];
          h[j * n + i - 1] = cs * x + sn * y;
          h[j * n + i] = cs * y - sn * x;
        }
        for (let j = 0; j < n; j++) {
          const x = zt[(i - 1) * n + j], y = zt[i * n + j];
          zt[(i - 1) * n + j] = cs * x + sn * y;
          zt[i * n + j] = cs * y - sn * x;
        }
      }
    }
    deflationCount = 0;
    i = l - 1;
  }
  return true;
}

/**
 * The standard form of a real 2×2 [[a, b], [c, d]] (LAPACK's dlanv2): the rotation (cs, sn) with
 * [[a, b], [c, d]] = [[cs, −sn], [sn, cs]]·[[A, B], [C, D]]·[[cs, sn], [−sn, cs]], where C = 0 when
 * the eigenvalues are real and A = D, B·C < 0 when they are complex.
 */
export function standardize(a: number, b: number, c: number, d: number): { a: number; b: number; c: number; d: number; cs: number; sn: number } {
  const sign = (x: number, y: number) => (y >= 0 ? Math.abs(x) : -Math.abs(x)); // Fortran SIGN(x, y)
  let cs = 1, sn = 0;
  if (c === 0) {
    // already upper triangular
  } else if (b === 0) {
    // Swap the rows and columns.
    cs = 0;
    sn = 1;
    [a, d] = [d, a];
    b = -c;
    c = 0;
  } else if (a - d === 0 && Math.sign(b) !== Math.sign(c)) {
    // already standard
  } else {
    let temp = a - d;
    let p = temp / 2;
    const bcmax = Math.max(Math.abs(b), Math.abs(c));
    const bcmis = Math.min(Math.abs(b), Math.abs(c)) * sign(1, b) * sign(1, c);
    let scale = Math.max(Math.abs(p), bcmax);
    let zz = (p / scale) * p + (bcmax / scale) * bcmis;
    if (zz >= 4 * ULP) {
      // Real eigenvalues: A and D, then B and the rotation.
      zz = p + sign(Math.sqrt(scale) * Math.sqrt(zz), p);
      a = d + zz;
      d -= (bcmax / zz) * bcmis;
      const tau = hypot(c, zz);
      cs = zz / tau;
      sn = c / tau;
      b -= c;
      c = 0;
    } else {
      // Complex eigenvalues, or real (almost) equal ones: make the diagonal entries equal.
      let sigma = b + c;
      for (let count = 1; ; count++) {
        scale = Math.max(Math.abs(temp), Math.abs(sigma));
        if (scale >= SAFE_MAX2 && count <= 20) {
          sigma *= SAFE_MIN2;
          temp *= SAFE_MIN2;
          continue;
        }
        if (scale <= SAFE_MIN2 && scale !== 0 && count <= 20) {
          sigma *= SAFE_MAX2;
          temp *= SAFE_MAX2;
          continue;
        }
        break;
      }
      p = temp / 2;
      let tau = hypot(sigma, temp);
      cs = Math.sqrt((1 + Math.abs(sigma) / tau) / 2);
      sn = -(p / (tau * cs)) * sign(1, sigma);
      // [[aa, bb], [cc, dd]] = [[a, b], [c, d]]·[[cs, −sn], [sn, cs]]
      const aa = a * cs + b * sn, bb = -a * sn + b * cs, cc = c * cs + d * sn, dd = -c * sn + d * cs;
      // [[a, b], [c, d]] = [[cs, sn], [−sn, cs]]·[[aa, bb], [cc, dd]]
      a = aa * cs + cc * sn;
      b = bb * cs + dd * sn;
      c = -aa * sn + cc * cs;
      d = -bb * sn + dd * cs;
      temp = (a + d) / 2;
      a = d = temp;
      if (c !== 0) {
        if (b !== 0) {
          if (Math.sign(b) === Math.sign(c)) {
            // Real eigenvalues after all: reduce to upper triangular form.
            const sab = Math.sqrt(Math.abs(b)), sac = Math.sqrt(Math.abs(c));
            p = sign(sab * sac, c);
            tau = 1 / Math.sqrt(Math.abs(b + c));
            a = temp + p;
            d = temp - p;
            b -= c;
            c = 0;
            const cs1 = sab * tau, sn1 = sac * tau;
            temp = cs * cs1 - sn * sn1;
            sn = cs * sn1 + sn * cs1;
            cs = temp;
          }
        } else {
          b = -c;
          c = 0;
          temp = cs;
          cs = -sn;
          sn = temp;
        }
      }
    }
  }
  return { a, b, c, d, cs, sn };
}

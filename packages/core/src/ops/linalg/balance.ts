// Balancing of a real n×n matrix before its Schur form (LAPACK's dgebal with JOB = 'B', written here
// from its algorithm): B = X⁻¹·A·X with X = P·D, P a permutation and D diagonal with powers of two.
// 1. Permute to isolate eigenvalues: a row with no off-diagonal nonzero (within the rows and columns
//    not yet isolated) goes to the bottom, a column with none to the left, repeated while any is found.
//    B is then [[T₁, ·, ·], [0, M, ·], [0, 0, T₂]] with T₁ (rows and columns 0…lo−1) and T₂ (hi…n−1)
//    upper triangular, their diagonals eigenvalues, and only M (lo…hi−1) left for the QR iteration.
// 2. Scale the rows and columns of M by powers of two (row i by 1/f, column i by f) until each row and
//    column have comparable 2-norms: for a graded A = D·C·D⁻¹ (D spanning 1e±8) ‖B‖ is C's size, not
//    1e16 times it, so a backward stable Schur form of B has errors at B's scale (the QR iteration on
//    A itself perturbs its eigenvalues by ε·‖A‖: A with eigenvalues near 3 showed negative ones).
// The scaling is kept only where it at least halves ‖B‖₁ (as Higham's expm balances only where that
// reduces the norm). Powers of two make B exact, and f(A) = X·f(B)·X⁻¹ for any primary matrix function f.

const ULP = 2 ** -52;
const SAFE_MIN = 2 ** -1022;
/** dgebal's bounds on the scale factors (SFMIN1, SFMIN2 and their inverses): no entry over- or underflows. */
const SCALE_MIN = SAFE_MIN / ULP, SCALE_MAX = 1 / SCALE_MIN;
const STEP_MIN = SCALE_MIN * 2, STEP_MAX = 1 / STEP_MIN;
/** A scaling is kept only if it reduces ‖row‖ + ‖column‖ by 5% or more (dgebal's FACTOR). */
const FACTOR = 0.95;

/**
 * The balanced B = X⁻¹·A·X (row-major n×n), X = P·D: B[i][j] = A[perm[i]][perm[j]]·scale[j]/scale[i].
 * Rows and columns outside lo…hi−1 hold isolated eigenvalues (B is upper triangular there).
 */
export interface Balanced {
  readonly b: Float64Array;
  readonly perm: Int32Array;
  readonly scale: Float64Array;
  readonly lo: number;
  readonly hi: number;
}

/**
 * A balanced (permuted and scaled) by an exact similarity, as LAPACK's dgebal('B'): see the top of
 * this file. A is not modified; its entries must be finite.
 *
 * @example
 * ```ts
 * balance(Float64Array.of(1, 2 ** 20, 2 ** -20, 1), 2);  // b [1, 2, 0.5, 1], scale [4096, 1/128]
 * ```
 */
export function balance(a: Float64Array, n: number): Balanced {
  const b = a.slice();
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  const { lo, hi } = isolate(b, perm, n);
  const scale = new Float64Array(n).fill(1);
  const scaled = b.slice();
  scaleRowsAndColumns(scaled, scale, n, lo, hi);
  // Kept only where it at least halves ‖B‖₁: where it changes the norm little it buys nothing and
  // only moves the rounding (ill-conditioned test matrices, eigenvector condition 1e10, came out 3×
  // further from mpmath's sqrtm and logm, though within their conditioning).
  if (2 * norm1(scaled, n) > norm1(b, n)) return { b, perm, scale: scale.fill(1), lo, hi };
  return { b: scaled, perm, scale, lo, hi };
}

/** ‖B‖₁, the largest column sum of magnitudes. */
function norm1(b: Float64Array, n: number): number {
  let largest = 0;
  for (let j = 0; j < n; j++) {
    let column = 0;
    for (let i = 0; i < n; i++) column += Math.abs(b[i * n + j]);
    largest = Math.max(largest, column);
  }
  return largest;
}

/** Rows and columns i and j of B swapped, and the permutation with them. */
function swap(b: Float64Array, perm: Int32Array, n: number, i: number, j: number): void {
  if (i === j) return;
  for (let k = 0; k < n; k++) [b[k * n + i], b[k * n + j]] = [b[k * n + j], b[k * n + i]];
  for (let k = 0; k < n; k++) [b[i * n + k], b[j * n + k]] = [b[j * n + k], b[i * n + k]];
  [perm[i], perm[j]] = [perm[j], perm[i]];
}

/**
 * B permuted in place to [[T₁, ·, ·], [0, M, ·], [0, 0, T₂]] (T₁, T₂ upper triangular), M in lo…hi−1.
 * Full rows and columns are swapped: outside the active range the two swapped lines hold zeros where
 * it matters, so this is dgebal's partial swap.
 */
function isolate(b: Float64Array, perm: Int32Array, n: number): { lo: number; hi: number } {
  let lo = 0, hi = n;
  // A row j of the active range with no off-diagonal nonzero in columns lo…hi−1 (lo is still 0): its
  // diagonal is an eigenvalue; move it to the bottom of the range.
  for (let found = true; found && hi > 0; ) {
    found = false;
    for (let j = hi - 1; j >= lo; j--) {
      let isolated = true;
      for (let k = lo; k < hi && isolated; k++) if (k !== j && b[j * n + k] !== 0) isolated = false;
      if (!isolated) continue;
      swap(b, perm, n, j, hi - 1);
      hi--;
      found = true;
      break;
    }
  }
  // Likewise a column with no off-diagonal nonzero in rows lo…hi−1, moved to the left.
  for (let found = true; found && lo < hi; ) {
    found = false;
    for (let j = lo; j < hi; j++) {
      let isolated = true;
      for (let k = lo; k < hi && isolated; k++) if (k !== j && b[k * n + j] !== 0) isolated = false;
      if (!isolated) continue;
      swap(b, perm, n, j, lo);
      lo++;
      found = true;
      break;
    }
  }
  return { lo, hi };
}

/** The 2-norm of `count` entries of b from `start`, `stride` apart, without overflow or underflow. */
function norm2(b: Float64Array, start: number, stride: number, count: number): number {
  let big = 0;
  for (let k = 0; k < count; k++) big = Math.max(big, Math.abs(b[start + k * stride]));
  if (big === 0) return 0;
  let sum = 0;
  for (let k = 0; k < count; k++) sum += (b[start + k * stride] / big) ** 2;
  return big * Math.sqrt(sum);
}

/** The largest |entry| among `count` entries of b from `start`, `stride` apart. */
function largest(b: Float64Array, start: number, stride: number, count: number): number {
  let big = 0;
  for (let k = 0; k < count; k++) big = Math.max(big, Math.abs(b[start + k * stride]));
  return big;
}

/**
 * dgebal's scaling loop on rows and columns lo…hi−1 (2-norms over the active block, diagonal included,
 * as LAPACK ≥ 3.5.0): for each i, the power of two f that brings ‖column i‖·f and ‖row i‖/f within a
 * factor 2 of each other, applied if it reduces their sum by 5%; sweeps until none is applied. The
 * largest entries of the whole row and column are kept within the safe range.
 */
function scaleRowsAndColumns(b: Float64Array, scale: Float64Array, n: number, lo: number, hi: number): void {
  const m = hi - lo;
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = lo; i < hi; i++) {
      let c = norm2(b, lo * n + i, n, m), r = norm2(b, i * n + lo, 1, m);
      if (c === 0 || r === 0) continue;
      let ca = largest(b, i, n, hi), ra = largest(b, i * n + lo, 1, n - lo);
      const s = c + r;
      let f = 1;
      // Column too small: scale it up (and the row down) by 2 at a time.
      for (let g = r / 2; c < g && Math.max(f, c, ca) < STEP_MAX && Math.min(r, g, ra) > STEP_MIN; g /= 2) {
        f *= 2; c *= 2; ca *= 2; r /= 2; ra /= 2;
      }
      // Column too large: the other way.
      for (let g = c / 2; g >= r && Math.max(r, ra) < STEP_MAX && Math.min(f, c, g, ca) > STEP_MIN; g /= 2) {
        f /= 2; c /= 2; ca /= 2; r *= 2; ra *= 2;
      }
      if (c + r >= FACTOR * s) continue;
      if (f < 1 && scale[i] < 1 && f * scale[i] <= SCALE_MIN) continue;
      if (f > 1 && scale[i] > 1 && scale[i] >= SCALE_MAX / f) continue;
      scale[i] *= f;
      changed = true;
      for (let k = lo; k < n; k++) b[i * n + k] /= f;
      for (let k = 0; k < hi; k++) b[k * n + i] *= f;
    }
  }
}

/** X·Z·X⁻¹ for the X of a balancing: the entry (i, j) of Z, times scale[i]/scale[j], at (perm[i], perm[j]). */
export function unbalance(z: Float64Array, n: number, perm: Int32Array, scale: Float64Array): Float64Array {
  const y = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) y[perm[i] * n + perm[j]] = (z[i * n + j] * scale[i]) / scale[j];
  return y;
}

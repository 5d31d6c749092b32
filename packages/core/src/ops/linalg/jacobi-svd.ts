// The reduced singular value decomposition A = U·diag(σ)·Vᵀ of each m×n matrix of a stack (row-major),
// by one-sided Jacobi (Hestenes 1958): plane rotations applied to the columns of W = A (or of Aᵀ when
// m < n, so that W is tall) until every pair of columns is orthogonal to rounding, accumulating the
// rotations in V. Then σ_j = ‖w_j‖ and u_j = w_j/σ_j. Never forms AᵀA, whose condition number is the
// square of A's and whose small eigenvalues lose the small singular values; one-sided Jacobi finds
// those to high relative accuracy (Demmel & Veselić 1992). O(m·n²) per sweep and about 6–10 sweeps.
//
// A is first scaled by a power of two (exact) so that its largest entry is in [1, 2): no column norm
// squared along the way can overflow or underflow away; σ is scaled back at the end.

const EPSILON = 2 ** -52;
/** Sweeps converge quadratically; far more than any finite matrix needs. */
const MAX_SWEEPS = 100;
/** Components within this relative distance of a column's largest magnitude count as tied with it. */
const SIGN_TIE = 1e-8;

/** U, σ and V of each matrix of a stack, k = min(m, n). */
export interface SingularTriplets {
  /** count·m·k, row-major: column j of each matrix is the left singular vector of σ_j. */
  readonly u: Float64Array;
  /** count·k singular values, each matrix's descending, ≥ 0. */
  readonly s: Float64Array;
  /** count·n·k, row-major: column j of each matrix is the right singular vector of σ_j (V, not Vᵀ). */
  readonly v: Float64Array;
}

/**
 * The reduced SVD of each of `count` m×n matrices of A. Signs: each right singular vector's
 * largest-magnitude component is positive (the first within a relative 1e-8 of the largest, on ties),
 * and u_j follows from A·v_j = σ_j·u_j. A left vector of σ_j = 0 that A does not determine is completed
 * from the unit vectors e₁, e₂, … (Gram–Schmidt against the others), so the result is reproducible. A
 * matrix with a NaN or ±∞ entry gets NaN everywhere.
 */
export function jacobiSvd(A: Float64Array, m: number, n: number, count: number): SingularTriplets {
  const k = Math.min(m, n);
  const u = new Float64Array(count * m * k), s = new Float64Array(count * k), v = new Float64Array(count * n * k);
  // Work on the tall one: W = A (rows × cols = m × n) or Aᵀ (n × m), column-major for the rotations.
  const tall = m >= n, rows = tall ? m : n, cols = k;
  const w = new Float64Array(rows * cols), r = new Float64Array(cols * cols);
  for (let b = 0; b < count; b++) {
    const a = b * m * n;
    let largest = 0;
    for (let e = 0; e < m * n; e++) largest = Math.max(largest, Math.abs(A[a + e])); // NaN stays NaN
    if (!Number.isFinite(largest)) {
      u.fill(NaN, b * m * k, (b + 1) * m * k);
      s.fill(NaN, b * k, (b + 1) * k);
      v.fill(NaN, b * n * k, (b + 1) * n * k);
      continue;
    }
    const scale = largest === 0 ? 1 : powerOfTwoNear(largest);
    // w[j·rows + i] = W_ij.
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const e = A[a + i * n + j] / scale;
        if (tall) w[j * rows + i] = e;
        else w[i * rows + j] = e;
      }
    }
    orthogonalizeColumns(w, r, rows, cols);
    // W·R has orthogonal columns: W = (W·R)·Rᵀ. For the tall case A = W, so U = normalized W·R, V = R;
    // for the wide one Aᵀ = W, so V = normalized W·R, U = R.
    const left = tall ? u.subarray(b * m * k, (b + 1) * m * k) : v.subarray(b * n * k, (b + 1) * n * k);
    const right = tall ? v.subarray(b * n * k, (b + 1) * n * k) : u.subarray(b * m * k, (b + 1) * m * k);
    finish(w, r, rows, cols, scale, s.subarray(b * k, (b + 1) * k), left, right, tall);
  }
  return { u, s, v };
}

/** 2^e with 2^e ≤ x < 2^(e+1): dividing by it is exact (x finite and positive). */
function powerOfTwoNear(x: number): number {
  let e = Math.floor(Math.log2(x));
  if (2 ** e > x) e--;
  else if (2 ** (e + 1) <= x) e++;
  return e < -1022 ? 2 ** -1022 : 2 ** e;
}

/**
 * One-sided Jacobi on the columns of w (column-major, rows × cols), accumulating the rotations in r
 * (set to I first). Pair (p, q) is rotated unless |w_p·w_q| ≤ ε·‖w_p‖·‖w_q‖ (the relative test that
 * keeps small singular values accurate); a sweep that rotates nothing ends the iteration.
 */
function orthogonalizeColumns(w: Float64Array, r: Float64Array, rows: number, cols: number): void {
  r.fill(0);
  for (let j = 0; j < cols; j++) r[j * cols + j] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      for (let q = p + 1; q < cols; q++) {
        let alpha = 0, beta = 0, gamma = 0;
        for (let i = 0; i < rows; i++) {
          const x = w[p * rows + i], y = w[q * rows + i];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= EPSILON * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
        rotated = true;
        // Zero the (p, q) entry of the 2×2 Gram matrix [[α, γ], [γ, β]]: t = tan φ, the smaller root.
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.abs(zeta) > 1e150 ? 1 / (2 * zeta) : Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(zeta * zeta + 1));
        const c = 1 / Math.sqrt(t * t + 1), sn = c * t;
        for (let i = 0; i < rows; i++) {
          const x = w[p * rows + i], y = w[q * rows + i];
          w[p * rows + i] = c * x - sn * y;
          w[q * rows + i] = sn * x + c * y;
        }
        for (let i = 0; i < cols; i++) {
          const x = r[p * cols + i], y = r[q * cols + i];
          r[p * cols + i] = c * x - sn * y;
          r[q * cols + i] = sn * x + c * y;
        }
      }
    }
    if (!rotated) return;
  }
}

/**
 * σ (descending, scaled back), the normalized columns of w into `left` (rows × cols, row-major) and r's
 * columns into `right` (cols × cols, row-major), in σ's order. Zero columns of w are completed to an
 * orthonormal set from e₁, e₂, …; then each column's sign is set by V's rule (V = right when tall,
 * left otherwise), the partner column flipped with it.
 */
function finish(
  w: Float64Array, r: Float64Array, rows: number, cols: number, scale: number,
  s: Float64Array, left: Float64Array, right: Float64Array, tall: boolean,
): void {
  const norms = Array.from({ length: cols }, (_, j) => {
    let sum = 0, big = 0;
    // ‖w_j‖ scaled by its largest entry: no underflow of tiny columns' squares.
    for (let i = 0; i < rows; i++) big = Math.max(big, Math.abs(w[j * rows + i]));
    if (big === 0) return 0;
    for (let i = 0; i < rows; i++) sum += (w[j * rows + i] / big) ** 2;
    return big * Math.sqrt(sum);
  });
  const order = Array.from({ length: cols }, (_, j) => j).sort((i, j) => norms[j] - norms[i] || i - j);
  const zero: number[] = [];
  for (let c = 0; c < cols; c++) {
    const j = order[c];
    s[c] = norms[j] * scale;
    for (let i = 0; i < rows; i++) left[i * cols + c] = norms[j] === 0 ? 0 : w[j * rows + i] / norms[j];
    for (let i = 0; i < cols; i++) right[i * cols + c] = r[j * cols + i];
    if (norms[j] === 0) zero.push(c);
  }
  for (const c of zero) complete(left, rows, cols, c);
  // The sign rule reads V: right when tall, left when wide.
  const v = tall ? right : left, vRows = tall ? cols : rows;
  const partner = tall ? left : right, pRows = tall ? rows : cols;
  for (let c = 0; c < cols; c++) {
    let largest = 0;
    for (let i = 0; i < vRows; i++) largest = Math.max(largest, Math.abs(v[i * cols + c]));
    let top = 0;
    while (top < vRows - 1 && Math.abs(v[top * cols + c]) < largest * (1 - SIGN_TIE)) top++;
    if (v[top * cols + c] < 0) {
      for (let i = 0; i < vRows; i++) v[i * cols + c] = -v[i * cols + c];
      for (let i = 0; i < pRows; i++) partner[i * cols + c] = -partner[i * cols + c];
    }
  }
}

/** Column c of x (rows × cols, row-major) set to the first e_i orthogonal to the others, normalized. */
function complete(x: Float64Array, rows: number, cols: number, c: number): void {
  let best: Float64Array | null = null, bestNorm = 0;
  for (let e = 0; e < rows; e++) {
    const y = new Float64Array(rows);
    y[e] = 1;
    // Twice (Gram–Schmidt with reorthogonalization) against every other nonzero column.
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < cols; j++) {
        if (j === c) continue;
        let d = 0;
        for (let i = 0; i < rows; i++) d += x[i * cols + j] * y[i];
        for (let i = 0; i < rows; i++) y[i] -= d * x[i * cols + j];
      }
    }
    const norm = Math.hypot(...y);
    if (norm > 0.5) { best = y; bestNorm = norm; break; }
    if (norm > bestNorm) { best = y; bestNorm = norm; }
  }
  for (let i = 0; i < rows; i++) x[i * cols + c] = best === null ? 0 : best[i] / bestNorm;
}

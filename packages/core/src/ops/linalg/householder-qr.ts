// The reduced QR decomposition A = Q·R of a stack of m×n matrices (m ≥ n) by Householder reflections,
// in float64: Q m×n with orthonormal columns, R n×n upper triangular with diag(R) ≥ 0. Backward stable
// (‖A − QR‖ and ‖QᵀQ − I‖ at rounding, Golub & Van Loan §5.2.1). Each matrix is first scaled by the
// power of two that brings its largest entry into [1, 2): exact, so no column norm overflows or
// underflows, and A·2^k gives exactly R·2^k and the same Q.

/** Q (count·m·n numbers) and R (count·n·n), row-major; a matrix with a NaN or ±∞ entry gives NaN. */
export function householderQr(a: Float64Array, m: number, n: number, count: number): { q: Float64Array; r: Float64Array } {
  const q = new Float64Array(count * m * n), r = new Float64Array(count * n * n);
  const w = new Float64Array(m * n), v = new Float64Array(m);
  for (let b = 0; b < count; b++) {
    const qb = b * m * n, rb = b * n * n;
    let largest = 0;
    for (let k = 0; k < m * n; k++) largest = Math.max(largest, Math.abs(a[qb + k]));
    if (!Number.isFinite(largest)) { // Math.max passes a NaN on
      q.fill(NaN, qb, qb + m * n);
      r.fill(NaN, rb, rb + n * n);
      continue;
    }
    // 2^−e with largest·2^−e in [1, 2) (1 for a zero matrix); applied as two factors, so 2^±1074 stays representable.
    const e = largest === 0 ? 0 : Math.floor(Math.log2(largest));
    const down1 = 2 ** -Math.trunc(e / 2), down2 = 2 ** -(e - Math.trunc(e / 2));
    for (let k = 0; k < m * n; k++) w[k] = a[qb + k] * down1 * down2;
    // The reflectors stay in w below the diagonal (v_k in column k, rows k…m−1) with their squared
    // norms in beta; R builds up on and above the diagonal.
    const beta = new Float64Array(n), head = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      let norm2 = 0;
      for (let i = k; i < m; i++) norm2 += w[i * n + k] * w[i * n + k];
      const norm = Math.sqrt(norm2);
      const x0 = w[k * n + k];
      // alpha = −sign(x0)·‖x‖ keeps v0 = x0 − alpha free of cancellation.
      const alpha = x0 < 0 ? norm : -norm;
      for (let i = k; i < m; i++) v[i] = w[i * n + k];
      v[k] = x0 - alpha;
      const vv = norm2 - x0 * x0 + v[k] * v[k];
      head[k] = v[k];
      beta[k] = vv;
      if (vv === 0) continue; // a zero column below the diagonal: H = I, r_kk = 0
      // w[k:, k:] ← (I − 2vvᵀ/vᵀv)·w[k:, k:]
      for (let j = k + 1; j < n; j++) {
        let s = 0;
        for (let i = k; i < m; i++) s += v[i] * w[i * n + j];
        const f = (2 * s) / vv;
        for (let i = k; i < m; i++) w[i * n + j] -= f * v[i];
      }
      w[k * n + k] = alpha;
      for (let i = k + 1; i < m; i++) w[i * n + k] = v[i];
    }
    // Q = H_0·H_1·…·H_{n−1}·I[:, :n], applied from the last reflector back.
    const qm = q.subarray(qb, qb + m * n);
    for (let k = 0; k < n; k++) qm[k * n + k] = 1;
    for (let k = n - 1; k >= 0; k--) {
      if (beta[k] === 0) continue;
      v[k] = head[k];
      for (let i = k + 1; i < m; i++) v[i] = w[i * n + k];
      for (let j = k; j < n; j++) {
        let s = 0;
        for (let i = k; i < m; i++) s += v[i] * qm[i * n + j];
        const f = (2 * s) / beta[k];
        for (let i = k; i < m; i++) qm[i * n + j] -= f * v[i];
      }
    }
    // diag(R) ≥ 0: row k of R and column k of Q change sign together, so Q·R is unchanged.
    const up1 = 1 / down1, up2 = 1 / down2;
    for (let k = 0; k < n; k++) {
      const sign = w[k * n + k] < 0 ? -1 : 1;
      for (let j = k; j < n; j++) r[rb + k * n + j] = sign * w[k * n + j] * up1 * up2;
      if (sign < 0) for (let i = 0; i < m; i++) qm[i * n + k] = -qm[i * n + k];
    }
  }
  return { q, r };
}

/**
 * The "what hand-tuned plain JS can do" line: f, ∇f and H·v of the two-layer tanh network with
 * sum-of-squares error (PRML §5.4.6), written directly with Float64Array loops and a register-blocked
 * matrix kernel, no AD. Layout as @dualtape/nn: w1 H×D, b1 H, w2 K×H, b2 K (row-major).
 */

export interface Net {
  readonly D: number;
  readonly H: number;
  readonly K: number;
}
export interface Params {
  readonly w1: Float64Array;
  readonly b1: Float64Array;
  readonly w2: Float64Array;
  readonly b2: Float64Array;
}

/** C (m×n) = A (m×k)·Bᵀ (B is n×k), 2×4 register blocking: 8 running sums, contiguous inner loops. */
export function abt(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = i * k, a1 = a0 + k;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = A[a0 + p], x1 = A[a1 + p];
        const y0 = B[b0 + p], y1 = B[b1 + p], y2 = B[b2 + p], y3 = B[b3 + p];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
      }
      const c0 = i * n + j, c1 = c0 + n;
      C[c0] = s00; C[c0 + 1] = s01; C[c0 + 2] = s02; C[c0 + 3] = s03;
      C[c1] = s10; C[c1 + 1] = s11; C[c1 + 2] = s12; C[c1 + 3] = s13;
    }
    for (; j < n; j++) {
      let s0 = 0, s1 = 0;
      for (let p = 0; p < k; p++) { s0 += A[a0 + p] * B[j * k + p]; s1 += A[a1 + p] * B[j * k + p]; }
      C[i * n + j] = s0; C[(i + 1) * n + j] = s1;
    }
  }
  for (; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A[i * k + p] * B[j * k + p];
      C[i * n + j] = s;
    }
  }
}

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}

/** C = A·B via A·(Bᵀ)ᵀ. */
function ab(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number): void {
  abt(A, transpose(B, k, n), C, m, n, k);
}

/** C = Aᵀ·B (A is k×m, B is k×n). */
function atb(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number): void {
  abt(transpose(A, k, m), transpose(B, k, n), C, m, n, k);
}

function colSums(a: Float64Array, rows: number, cols: number): Float64Array {
  const s = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) s[j] += a[i * cols + j];
  return s;
}

/** E, ∇E and H·v by forward, R-forward, backprop and R-backprop (PRML 5.98–5.111). */
export function gradAndHvpByHand(net: Net, p: Params, v: Params, X: Float64Array, T: Float64Array, N: number) {
  const { D, H, K } = net;
  // Forward (5.98–5.100) and R-forward (5.101–5.103).
  const A1 = new Float64Array(N * H), RA1 = new Float64Array(N * H);
  abt(X, p.w1, A1, N, H, D);
  abt(X, v.w1, RA1, N, H, D);
  const Z = new Float64Array(N * H), RZ = new Float64Array(N * H), dh = new Float64Array(N * H);
  for (let e = 0; e < N * H; e++) {
    const j = e % H;
    const z = Math.tanh(A1[e] + p.b1[j]);
    Z[e] = z;
    dh[e] = 1 - z * z;
    RA1[e] += v.b1[j];
    RZ[e] = dh[e] * RA1[e];
  }
  const Y = new Float64Array(N * K), RY = new Float64Array(N * K), tmp = new Float64Array(N * K);
  abt(Z, p.w2, Y, N, K, H);
  abt(RZ, p.w2, RY, N, K, H);
  abt(Z, v.w2, tmp, N, K, H);
  let value = 0;
  const delta = new Float64Array(N * K);
  for (let e = 0; e < N * K; e++) {
    const k = e % K;
    const y = Y[e] + p.b2[k];
    delta[e] = y - T[e];
    value += 0.5 * delta[e] * delta[e];
    RY[e] += tmp[e] + v.b2[k]; // R{δ_k} = R{y_k} for the linear-output SSE pair
  }
  // Backprop (5.104–5.105) and R-backprop (5.106–5.107).
  const Dz = new Float64Array(N * H), RDz = new Float64Array(N * H), tmpH = new Float64Array(N * H);
  ab(delta, p.w2, Dz, N, H, K);
  ab(RY, p.w2, RDz, N, H, K);
  ab(delta, v.w2, tmpH, N, H, K);
  const d1 = new Float64Array(N * H), Rd1 = new Float64Array(N * H);
  for (let e = 0; e < N * H; e++) {
    d1[e] = dh[e] * Dz[e];
    // h''(a)·R{a}·Σ w δ + h'(a)·(Σ v δ + Σ w R{δ}), with h'' = −2z·h' for tanh.
    Rd1[e] = -2 * Z[e] * RZ[e] * Dz[e] + dh[e] * (RDz[e] + tmpH[e]);
  }
  // Gradients and their R{·} (5.108–5.111).
  const gw2 = new Float64Array(K * H), Rgw2 = new Float64Array(K * H), t2 = new Float64Array(K * H);
  atb(delta, Z, gw2, K, H, N);
  atb(RY, Z, Rgw2, K, H, N);
  atb(delta, RZ, t2, K, H, N);
  for (let e = 0; e < K * H; e++) Rgw2[e] += t2[e];
  const gw1 = new Float64Array(H * D), Rgw1 = new Float64Array(H * D);
  atb(d1, X, gw1, H, D, N);
  atb(Rd1, X, Rgw1, H, D, N);
  return {
    value,
    grad: { w1: gw1, b1: colSums(d1, N, H), w2: gw2, b2: colSums(delta, N, K) },
    hvp: { w1: Rgw1, b1: colSums(Rd1, N, H), w2: Rgw2, b2: colSums(RY, N, K) },
  };
}

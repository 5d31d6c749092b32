// The three numeric products of a convolution, by im2col + GEMM on the matrix kernels:
//
//   forward          y = cols(x)·W                    [R, K]·[K, k]   (R windows, K = fh·fw·C/groups)
//   input adjoint    x̄ = col2im(ḡ·Wᵀ)                 [R, k]·[k, K], then each column added back
//   filter adjoint   W̄ = cols(x)ᵀ·ḡ                   [K, R]·[R, k]
//
// cols(x) holds one row per output position: the window's taps, channels contiguous (NHWC), zeros
// where the window hangs over the padding. Images are taken in chunks so that cols stays under
// ~4 MB whatever the batch (near the caches, and never a copy of the whole batch); a 1×1 convolution with stride 1 and no padding reads x itself as cols.
// Groups convolve channel slices independently, each through its own products.
//
// The loops only copy and add (no per-element callback); every multiplication is in a GEMM, which
// keeps structural zeros (0·∞ = 0, as in every rule's products) when given the tape's algebra and
// an operand holds a non-finite number.
import { NumberAlgebra } from '../algebra/numbers.js';
import { gemm } from '../kernels/backend.js';
import type { ConvGeometry } from './conv-geometry.js';

/** Elements of cols per chunk of images (2²⁰ doubles, 8 MB). */
const COLS_BUDGET = 1 << 20;

function hasNonFinite(xs: Float64Array): boolean {
  for (let k = 0; k < xs.length; k++) if (xs[k] - xs[k] !== 0) return true;
  return false;
}

/** C (m×n) = op(A)·op(B), or +=, on the kernels; through the algebra (structural zeros) when given one. */
function product(
  zeros: NumberAlgebra | null, A: Float64Array, ta: boolean, B: Float64Array, tb: boolean,
  C: Float64Array, m: number, n: number, k: number, accumulate: boolean,
): void {
  if (zeros === null) {
    gemm(A, ta, B, tb, C, m, n, k, accumulate);
    return;
  }
  const part = zeros.matmul(A.subarray(0, m * k), ta ? [k, m] : [m, k], B.subarray(0, k * n), tb ? [n, k] : [k, n], ta, tb);
  if (typeof part === 'number') {
    if (!accumulate) C.fill(0, 0, m * n);
    return;
  }
  if (accumulate) for (let e = 0; e < m * n; e++) C[e] += part[e];
  else C.set(part.subarray(0, m * n));
}

/** The algebra to keep structural zeros with, when an operand needs it; null for IEEE products. */
export function zerosFor(o: unknown, ...operands: Float64Array[]): NumberAlgebra | null {
  return o instanceof NumberAlgebra && operands.some(hasNonFinite) ? o : null;
}

/** Taps per window of one group. */
const tapsOf = (g: ConvGeometry) => g.fh * g.fw * (g.c / g.groups);

/** Images per chunk, so that one group's cols fits the budget, with the batch split evenly. */
function chunkOf(g: ConvGeometry): number {
  const most = Math.max(1, Math.min(g.n, Math.floor(COLS_BUDGET / Math.max(1, g.oh * g.ow * tapsOf(g)))));
  return Math.ceil(g.n / Math.ceil(g.n / most));
}

/** x read as its own cols: a 1×1 window, stride 1, no padding, one group. */
const isPointwise = (g: ConvGeometry) =>
  g.fh === 1 && g.fw === 1 && g.sh === 1 && g.sw === 1 && g.top === 0 && g.left === 0 && g.oh === g.h && g.ow === g.w && g.groups === 1;

/**
 * cols(x) of the whole batch when it fits one chunk and the convolution needs one (one group, not a
 * plain 1×1), else null: for a caller to keep and pass back to convForward and convFilterAdjoint.
 */
export function fullCols(x: Float64Array, g: ConvGeometry): Float64Array | null {
  if (isPointwise(g) || g.groups !== 1 || chunkOf(g) < g.n || g.n * g.oh * g.ow === 0) return null;
  const cols = new Float64Array(g.n * g.oh * g.ow * tapsOf(g));
  im2col(x, g, 0, g.n, 0, cols, false);
  return cols;
}

/**
 * cols for images b0…b1−1 and channel group `group`: row (b, oy, ox), column (i, j, channel). Or,
 * with `add`, the reverse: each column of `cols` added back into x̄ (col2im).
 */
function im2col(x: Float64Array, g: ConvGeometry, b0: number, b1: number, group: number, cols: Float64Array, add: boolean): void {
  const cg = g.c / g.groups, K = tapsOf(g);
  const c0 = group * cg;
  let row = 0;
  for (let b = b0; b < b1; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++, row++) {
        let at = row * K;
        for (let i = 0; i < g.fh; i++) {
          const y = oy * g.sh - g.top + i * g.dh;
          for (let j = 0; j < g.fw; j++, at += cg) {
            const xx = ox * g.sw - g.left + j * g.dw;
            if (y < 0 || y >= g.h || xx < 0 || xx >= g.w) {
              if (!add) cols.fill(0, at, at + cg);
              continue;
            }
            const src = ((b * g.h + y) * g.w + xx) * g.c + c0;
            if (add) for (let ch = 0; ch < cg; ch++) x[src + ch] += cols[at + ch];
            else for (let ch = 0; ch < cg; ch++) cols[at + ch] = x[src + ch];
          }
        }
      }
    }
  }
}

/** Columns `from…from+width−1` of a row-major [rows, cols] matrix, packed; or, with `back`, unpacked into it. */
function columns(m: Float64Array, rows: number, cols: number, from: number, width: number, packed: Float64Array, back: boolean): void {
  for (let r = 0; r < rows; r++) {
    const s = r * cols + from, d = r * width;
    if (back) for (let e = 0; e < width; e++) m[s + e] = packed[d + e];
    else for (let e = 0; e < width; e++) packed[d + e] = m[s + e];
  }
}

/** y = conv(x, W): x [n,h,w,c], W [fh,fw,c/groups,k] → y [n,oh,ow,k]; `known` is fullCols(x) if kept. */
export function convForward(x: Float64Array, W: Float64Array, g: ConvGeometry, zeros: NumberAlgebra | null, known: Float64Array | null = null): Float64Array {
  const R1 = g.oh * g.ow, K = tapsOf(g), kg = g.k / g.groups;
  const y = new Float64Array(g.n * R1 * g.k);
  if (y.length === 0) return y;
  if (isPointwise(g) || known !== null) {
    product(zeros, known ?? x, false, W, false, y, g.n * R1, g.k, K, false);
    return y;
  }
  const chunk = chunkOf(g);
  const cols = new Float64Array(chunk * R1 * K);
  const Wg = g.groups === 1 ? W : new Float64Array(K * kg);
  const yg = g.groups === 1 ? null : new Float64Array(chunk * R1 * kg);
  for (let b0 = 0; b0 < g.n; b0 += chunk) {
    const b1 = Math.min(g.n, b0 + chunk), R = (b1 - b0) * R1;
    for (let group = 0; group < g.groups; group++) {
      im2col(x, g, b0, b1, group, cols, false);
      if (yg === null) {
        product(zeros, cols, false, W, false, y.subarray(b0 * R1 * g.k), R, g.k, K, false);
      } else {
        columns(W, K, g.k, group * kg, kg, Wg, false);
        product(zeros, cols, false, Wg, false, yg, R, kg, K, false);
        columns(y.subarray(b0 * R1 * g.k), R, g.k, group * kg, kg, yg, true);
      }
    }
  }
  return y;
}

/** x̄ = the adjoint of conv in x, contracted with ḡ [n,oh,ow,k] (a transposed convolution). */
export function convInputAdjoint(G: Float64Array, W: Float64Array, g: ConvGeometry, zeros: NumberAlgebra | null): Float64Array {
  const R1 = g.oh * g.ow, K = tapsOf(g), kg = g.k / g.groups;
  const xBar = new Float64Array(g.n * g.h * g.w * g.c);
  if (xBar.length === 0 || G.length === 0) return xBar;
  if (isPointwise(g)) {
    product(zeros, G, false, W, true, xBar, g.n * R1, K, g.k, false);
    return xBar;
  }
  const chunk = chunkOf(g);
  const cols = new Float64Array(chunk * R1 * K);
  const Wg = g.groups === 1 ? W : new Float64Array(K * kg);
  const Gg = g.groups === 1 ? null : new Float64Array(chunk * R1 * kg);
  for (let b0 = 0; b0 < g.n; b0 += chunk) {
    const b1 = Math.min(g.n, b0 + chunk), R = (b1 - b0) * R1;
    const Gc = G.subarray(b0 * R1 * g.k);
    for (let group = 0; group < g.groups; group++) {
      if (Gg === null) product(zeros, Gc, false, W, true, cols, R, K, g.k, false);
      else {
        columns(W, K, g.k, group * kg, kg, Wg, false);
        columns(Gc, R, g.k, group * kg, kg, Gg, false);
        product(zeros, Gg, false, Wg, true, cols, R, K, kg, false);
      }
      im2col(xBar, g, b0, b1, group, cols, true);
    }
  }
  return xBar;
}

/**
 * W̄ = the adjoint of conv in W, contracted with ḡ: Σ over windows of the taps times ḡ (a
 * correlation); `known` is fullCols(x) if kept.
 */
export function convFilterAdjoint(x: Float64Array, G: Float64Array, g: ConvGeometry, zeros: NumberAlgebra | null, known: Float64Array | null = null): Float64Array {
  const R1 = g.oh * g.ow, K = tapsOf(g), kg = g.k / g.groups;
  const wBar = new Float64Array(K * g.k);
  if (wBar.length === 0 || G.length === 0) return wBar;
  if (isPointwise(g) || known !== null) {
    product(zeros, known ?? x, true, G, false, wBar, K, g.k, g.n * R1, false);
    return wBar;
  }
  const chunk = chunkOf(g);
  const cols = new Float64Array(chunk * R1 * K);
  const part = g.groups === 1 ? null : new Float64Array(K * kg);
  const Gg = g.groups === 1 ? null : new Float64Array(chunk * R1 * kg);
  const sums = g.groups === 1 ? null : Array.from({ length: g.groups }, () => new Float64Array(K * kg));
  for (let b0 = 0; b0 < g.n; b0 += chunk) {
    const b1 = Math.min(g.n, b0 + chunk), R = (b1 - b0) * R1;
    const Gc = G.subarray(b0 * R1 * g.k);
    for (let group = 0; group < g.groups; group++) {
      im2col(x, g, b0, b1, group, cols, false);
      if (sums === null) product(zeros, cols, true, Gc, false, wBar, K, g.k, R, b0 > 0);
      else {
        columns(Gc, R, g.k, group * kg, kg, Gg!, false);
        product(zeros, cols, true, Gg!, false, part!, K, kg, R, false);
        const s = sums[group];
        for (let e = 0; e < s.length; e++) s[e] += part![e];
      }
    }
  }
  if (sums !== null) sums.forEach((s, group) => columns(wBar, K, g.k, group * kg, kg, s, true));
  return wBar;
}

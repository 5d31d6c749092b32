// Dense float64 matrix products for the matmul rule: C = op(A)·op(B) with op = identity or transpose.
//
// All four are one computation, C[i][j] = Σ_p X[i][p]·Y[j][p] with X = op(A) (m×k) and
// Y = op(B)ᵀ (n×k), so there is one tuned kernel and thin entry points (the four layouts, and
// `gemm` taking the layout as flags) that differ only in how they copy ("pack") A and B into
// module scratch. Packing lays MR rows of X (NR rows of Y) side
// by side, so the inner loop walks each buffer with one running index. On V8 (Node 20) every
// typed-array load pays an overflow check, a bounds check and an address computation, and sharing
// the index beats reading the caller's rows in place by about 10% even after paying for the copy,
// which is O((m+n)·k) against O(m·n·k) work. Packing also absorbs the transposes: reading a
// transposed operand in place strides through memory and runs at a third to half the speed.
//
// The micro-tile is 2×4: eight accumulators plus six loaded values already overflow what V8's
// register allocator keeps in xmm registers (two accumulators round-trip through the stack);
// 4×4 and 3×4 spill more and come out slower, 4×2 and 3×3 tie, and unrolling over k measured
// slower too. Blocking over k or n for the caches did not help at these sizes (the kernel is
// bound by instruction count, not memory traffic), so there is none.
//
// Products with fewer than NR columns or MR rows (matrix–vector ones) skip packing: there is
// nothing to reuse, and copying the big operand would cost as much as the product.

/** Rows of op(A) per micro-tile. */
const MR = 2;
/** Columns of C per micro-tile. */
const NR = 4;

// Module scratch, grown on demand and never shrunk: an HVP repeats the same shapes, so after the
// first call no product allocates. Two buffers because every call packs both operands; neither is
// ever handed out, so neither can alias the caller's C. Packed copies larger than KEEP_MAX are made
// for the one call and left to the collector, so one huge product does not pin its size for good.
let packedA = new Float64Array(0);
let packedB = new Float64Array(0);
/** Elements of packed scratch kept between calls (16 MiB per buffer). */
const KEEP_MAX = 2 ** 21;

/** Scratch of at least `length`: the kept buffer, grown if it may be kept, else a one-off. */
function scratch(kept: Float64Array, length: number): Float64Array {
  if (kept.length >= length) return kept;
  return new Float64Array(length);
}
/** One MR×NR tile of results, for the rare tiles that hang over the edge of C. */
const edge = new Float64Array(MR * NR);

/**
 * C (m×n) = op(A)·op(B), all row-major: op(A) is m×k, stored as A (m×k), or as its transpose (A is
 * k×m) when `transA`; op(B) is k×n, stored as B (k×n), or as its transpose (B is n×k) when `transB`.
 * With `accumulate` false every entry of C is overwritten (its old contents, even NaN, are never
 * read); with `accumulate` true the product is added to C. C must not overlap A or B.
 */
export function gemm(A: Float64Array, transA: boolean, B: Float64Array, transB: boolean, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  product(A, transA, B, !transB, C, m, n, k, accumulate);
}

/**
 * C (m×n) = A·Bᵀ, where A is m×k and B is n×k, all row-major.
 * With `accumulate` false every entry of C is overwritten (its old contents, even NaN, are never
 * read); with `accumulate` true the product is added to C. C must not overlap A or B.
 */
export function gemmABt(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  product(A, false, B, false, C, m, n, k, accumulate);
}

/**
 * C (m×n) = A·B, where A is m×k and B is k×n, all row-major.
 * `accumulate` as for {@link gemmABt}.
 */
export function gemmAB(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  product(A, false, B, true, C, m, n, k, accumulate);
}

/**
 * C (m×n) = Aᵀ·B, where A is k×m and B is k×n, all row-major.
 * `accumulate` as for {@link gemmABt}.
 */
export function gemmAtB(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  product(A, true, B, true, C, m, n, k, accumulate);
}

/**
 * C (m×n) = Aᵀ·Bᵀ, where A is k×m and B is n×k, all row-major.
 * `accumulate` as for {@link gemmABt}.
 */
export function gemmAtBt(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  product(A, true, B, false, C, m, n, k, accumulate);
}

/**
 * out (cols×rows) = transpose of a (rows×cols), both row-major. `out` must not be `a`.
 */
export function transposeInto(a: Float64Array, rows: number, cols: number, out: Float64Array): void {
  // Strips of 8 rows, walked column by column: each column of a strip is 8 consecutive numbers of
  // `out` (64 bytes written together), and the 8 rows read stay in L1 across the walk. Measured 2–6× faster
  // than 32×32 tiles at the two-layer network's shapes (256×784 to 1024×784), where a tile's 32
  // output rows, each `rows` apart, conflicted in the cache.
  let i = 0;
  for (; i + 8 <= rows; i += 8) {
    const r0 = i * cols;
    for (let j = 0; j < cols; j++) {
      const to = j * rows + i;
      let from = r0 + j;
      out[to] = a[from]; from += cols;
      out[to + 1] = a[from]; from += cols;
      out[to + 2] = a[from]; from += cols;
      out[to + 3] = a[from]; from += cols;
      out[to + 4] = a[from]; from += cols;
      out[to + 5] = a[from]; from += cols;
      out[to + 6] = a[from]; from += cols;
      out[to + 7] = a[from];
    }
  }
  for (; i < rows; i++) {
    const from = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = a[from + j];
  }
}

/**
 * C (m×n) = X·Yᵀ (or += when accumulating), where X = op(A) is m×k and Y = op(B)ᵀ is n×k.
 * `aTransposed` says A holds Xᵀ (k×m) rather than X; `bTransposed` says B holds Yᵀ (k×n).
 */
function product(
  A: Float64Array,
  aTransposed: boolean,
  B: Float64Array,
  bTransposed: boolean,
  C: Float64Array,
  m: number,
  n: number,
  k: number,
  accumulate: boolean,
): void {
  if (m === 0 || n === 0) return;
  if (n < NR) {
    skinny(A, aTransposed, B, bTransposed, C, m, n, k, accumulate);
    return;
  }
  if (m < MR) {
    // C is 1×n, laid out exactly like Cᵀ (n×1) = Y·Xᵀ: swap the roles of the operands.
    skinny(B, bTransposed, A, aTransposed, C, n, m, k, accumulate);
    return;
  }
  const mPadded = Math.ceil(m / MR) * MR;
  const nPadded = Math.ceil(n / NR) * NR;
  if (packedA.length < mPadded * k && mPadded * k <= KEEP_MAX) packedA = new Float64Array(mPadded * k);
  if (packedB.length < nPadded * k && nPadded * k <= KEEP_MAX) packedB = new Float64Array(nPadded * k);
  const pa = scratch(packedA, mPadded * k);
  const pb = scratch(packedB, nPadded * k);
  packPanels(A, m, k, aTransposed, MR, pa);
  packPanels(B, n, k, bTransposed, NR, pb);
  multiplyPacked(pa, pb, C, m, n, k, accumulate);
}

/**
 * Copies X (rows×depth; stored as Xᵀ when `transposed`) into `out` as panels of `width` rows:
 * panel r0 starts at r0·depth and holds X[r0+s][p] at p·width + s. A last panel with fewer than
 * `width` rows is filled out with zero rows, so the kernel never needs a narrower variant.
 */
function packPanels(src: Float64Array, rows: number, depth: number, transposed: boolean, width: number, out: Float64Array): void {
  for (let r0 = 0; r0 < rows; r0 += width) {
    const w = Math.min(width, rows - r0);
    const base = r0 * depth;
    if (transposed) {
      // Xᵀ is depth×rows: the w entries for one p sit next to each other in src.
      for (let p = 0; p < depth; p++) {
        const from = p * rows + r0;
        const to = base + p * width;
        for (let s = 0; s < w; s++) out[to + s] = src[from + s];
      }
    } else {
      for (let s = 0; s < w; s++) {
        const from = (r0 + s) * depth;
        let to = base + s;
        for (let p = 0; p < depth; p++, to += width) out[to] = src[from + p];
      }
    }
    // Padding feeds only accumulators that are never stored, but scratch left over from an
    // earlier call may hold subnormals, which are slow to multiply: make it zeros.
    for (let s = w; s < width; s++) {
      let to = base + s;
      for (let p = 0; p < depth; p++, to += width) out[to] = 0;
    }
  }
}

/** C = X·Yᵀ (or +=) from panels packed by {@link packPanels}: X in MR-row panels, Y in NR-row panels. */
function multiplyPacked(pa: Float64Array, pb: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  for (let i = 0; i < m; i += MR) {
    const aBase = i * k;
    for (let j = 0; j < n; j += NR) {
      let qa = aBase;
      let qb = j * k;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      for (let p = 0; p < k; p++) {
        const y0 = pb[qb], y1 = pb[qb + 1], y2 = pb[qb + 2], y3 = pb[qb + 3];
        const x0 = pa[qa];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        const x1 = pa[qa + 1];
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        qa += MR;
        qb += NR;
      }
      const r0 = i * n + j;
      const r1 = r0 + n;
      if (i + MR <= m && j + NR <= n) {
        if (accumulate) {
          C[r0] += c00; C[r0 + 1] += c01; C[r0 + 2] += c02; C[r0 + 3] += c03;
          C[r1] += c10; C[r1 + 1] += c11; C[r1 + 2] += c12; C[r1 + 3] += c13;
        } else {
          C[r0] = c00; C[r0 + 1] = c01; C[r0 + 2] = c02; C[r0 + 3] = c03;
          C[r1] = c10; C[r1 + 1] = c11; C[r1 + 2] = c12; C[r1 + 3] = c13;
        }
      } else {
        // A tile over the zero padding of the last panels: keep only the entries inside C. The
        // padded lanes are wasted arithmetic, but a step costs mostly loads and checks, so
        // narrower edge kernels measured no faster (slightly slower at n = 10).
        edge[0] = c00; edge[1] = c01; edge[2] = c02; edge[3] = c03;
        edge[4] = c10; edge[5] = c11; edge[6] = c12; edge[7] = c13;
        const h = Math.min(MR, m - i);
        const w = Math.min(NR, n - j);
        for (let r = 0; r < h; r++) {
          for (let s = 0; s < w; s++) {
            const o = r0 + r * n + s;
            C[o] = accumulate ? C[o] + edge[r * NR + s] : edge[r * NR + s];
          }
        }
      }
    }
  }
}

/**
 * C (rows×w) = X·Yᵀ (or +=) for a narrow Y (w < NR rows), without packing X: X is rows×k, stored
 * as Xᵀ when `xTransposed`; Y is w×k, stored as Yᵀ when `yTransposed`.
 */
function skinny(
  X: Float64Array,
  xTransposed: boolean,
  Y: Float64Array,
  yTransposed: boolean,
  C: Float64Array,
  rows: number,
  w: number,
  k: number,
  accumulate: boolean,
): void {
  // Y is at most 3×k. Stored row-major (or transposed with one row, the same layout), its rows are
  // contiguous already; otherwise they are packed into row-major form (panels of one row).
  let y = Y;
  if (yTransposed && w > 1) {
    if (packedB.length < w * k && w * k <= KEEP_MAX) packedB = new Float64Array(w * k);
    y = scratch(packedB, w * k);
    packPanels(Y, w, k, true, 1, y);
  }
  if (xTransposed && rows > 1) {
    // Xᵀ is k×rows: sweep its rows front to back, adding each one, scaled, into column s of C.
    for (let s = 0; s < w; s++) {
      if (!accumulate) for (let r = 0; r < rows; r++) C[r * w + s] = 0;
      for (let p = 0; p < k; p++) {
        const ys = y[s * k + p];
        const from = p * rows;
        for (let r = 0; r < rows; r++) C[r * w + s] += X[from + r] * ys;
      }
    }
  } else {
    for (let r = 0; r < rows; r++) {
      const from = r * k;
      for (let s = 0; s < w; s++) {
        const ys = s * k;
        let c = 0;
        for (let p = 0; p < k; p++) c += X[from + p] * y[ys + p];
        const o = r * w + s;
        C[o] = accumulate ? C[o] + c : c;
      }
    }
  }
}

// Dense float64 matrix products for the matmul rule: C = op(A)·op(B) with op = identity or transpose.
//
// Every product is the same computation, C[i][j] = Σ_p X[i][p]·Y[j][p] with X = op(A) (m×k) and
// Y = op(B)ᵀ (n×k), so there is one tuned kernel and four thin entry points that differ only in how
// they copy ("pack") A and B into module scratch. Packing puts MR rows of X (NR rows of Y) side by side,
// so the inner loop walks two buffers with one running index each. On V8 that beats indexing the
// caller's row-major arrays directly (about 4.1 against 3.6 GFLOP/s for the 256×1024×784 products
// of an HVP; each of the six loads per step pays an overflow check, a bounds check and an address
// computation, and with packing those share two running indices). Packing costs O((m+n)·k)
// against O(m·n·k) work, and it absorbs the transposes for free.
//
// The micro-tile is 2×4: eight accumulators plus six loaded values is all the xmm registers V8
// will give us; 4×4 and 3×4 spill and come out slower, 4×2 and 3×3 tie. Cache blocking over k
// or n was measured and did not help at these sizes (the kernel is bound by instruction count,
// not memory), so there is none.

/** Rows of op(A) per micro-tile. */
const MR = 2;
/** Columns of C per micro-tile. */
const NR = 4;

// Module scratch, grown on demand and never shrunk: an HVP repeats the same shapes, so after the
// first call no product allocates. Two buffers because every call packs both operands; neither is
// ever handed out, so neither can alias the caller's C.
let packedA = new Float64Array(0);
let packedB = new Float64Array(0);

/**
 * C (m×n) = A·Bᵀ, where A is m×k and B is n×k, all row-major.
 * With `accumulate` false every entry of C is overwritten (its old contents, even NaN, are never
 * read); with `accumulate` true the product is added to C.
 */
export function gemmABt(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  gemm(A, false, B, false, C, m, n, k, accumulate);
}

/**
 * C (m×n) = A·B, where A is m×k and B is k×n, all row-major.
 * `accumulate` as for {@link gemmABt}.
 */
export function gemmAB(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  gemm(A, false, B, true, C, m, n, k, accumulate);
}

/**
 * C (m×n) = Aᵀ·B, where A is k×m and B is k×n, all row-major.
 * `accumulate` as for {@link gemmABt}.
 */
export function gemmAtB(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  gemm(A, true, B, true, C, m, n, k, accumulate);
}

/**
 * C (m×n) = Aᵀ·Bᵀ, where A is k×m and B is n×k, all row-major.
 * `accumulate` as for {@link gemmABt}.
 */
export function gemmAtBt(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  gemm(A, true, B, false, C, m, n, k, accumulate);
}

/**
 * out (cols×rows) = transpose of a (rows×cols), both row-major. `out` must not be `a`.
 */
export function transposeInto(a: Float64Array, rows: number, cols: number, out: Float64Array): void {
  // Square tiles keep both the rows read and the rows written in L1; a plain double loop strides
  // through one of the two arrays a cache line per element.
  const T = 32;
  for (let i0 = 0; i0 < rows; i0 += T) {
    const i1 = Math.min(i0 + T, rows);
    for (let j0 = 0; j0 < cols; j0 += T) {
      const j1 = Math.min(j0 + T, cols);
      for (let i = i0; i < i1; i++) {
        const from = i * cols;
        for (let j = j0; j < j1; j++) out[j * rows + i] = a[from + j];
      }
    }
  }
}

/**
 * C (m×n) = X·Yᵀ (or += when accumulating), where X = op(A) is m×k and Y = op(B)ᵀ is n×k.
 * `aTransposed` says A holds Xᵀ (k×m) rather than X; `bTransposed` says B holds Yᵀ (k×n).
 */
function gemm(
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
  if (packedA.length < m * k) packedA = new Float64Array(m * k);
  if (packedB.length < n * k) packedB = new Float64Array(n * k);
  packPanels(A, m, k, aTransposed, MR, packedA);
  packPanels(B, n, k, bTransposed, NR, packedB);
  multiplyPacked(packedA, packedB, C, m, n, k, accumulate);
}

/**
 * Copies X (rows×depth; stored as Xᵀ when `transposed`) into `out` as panels of `width` rows.
 * Panel r0 starts at r0·depth and holds X[r0+s][p] at p·w + s, where w = width except for a
 * shorter last panel, which is packed at its true width so no work is spent on padding.
 */
function packPanels(src: Float64Array, rows: number, depth: number, transposed: boolean, width: number, out: Float64Array): void {
  for (let r0 = 0; r0 < rows; r0 += width) {
    const w = Math.min(width, rows - r0);
    const base = r0 * depth;
    if (transposed) {
      // Xᵀ is depth×rows: the w entries for one p sit next to each other in src.
      for (let p = 0; p < depth; p++) {
        const from = p * rows + r0;
        const to = base + p * w;
        for (let s = 0; s < w; s++) out[to + s] = src[from + s];
      }
    } else {
      for (let s = 0; s < w; s++) {
        const from = (r0 + s) * depth;
        let to = base + s;
        for (let p = 0; p < depth; p++, to += w) out[to] = src[from + p];
      }
    }
  }
}

/** C = X·Yᵀ (or +=) from panels packed by {@link packPanels}: X in MR-row panels, Y in NR-row panels. */
function multiplyPacked(pa: Float64Array, pb: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  const mFull = m - (m % MR);
  const nFull = n - (n % NR);
  for (let i = 0; i < mFull; i += MR) {
    const aBase = i * k;
    for (let j = 0; j < nFull; j += NR) {
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
      if (accumulate) {
        C[r0] += c00; C[r0 + 1] += c01; C[r0 + 2] += c02; C[r0 + 3] += c03;
        C[r1] += c10; C[r1 + 1] += c11; C[r1 + 2] += c12; C[r1 + 3] += c13;
      } else {
        C[r0] = c00; C[r0 + 1] = c01; C[r0 + 2] = c02; C[r0 + 3] = c03;
        C[r1] = c10; C[r1 + 1] = c11; C[r1 + 2] = c12; C[r1 + 3] = c13;
      }
    }
    if (nFull < n) edgeColumns(pa, pb, C, i, nFull, n, k, accumulate);
  }
  if (mFull < m) {
    for (let j = 0; j < n; j += NR) lastRow(pa, pb, C, mFull, j, Math.min(NR, n - j), n, k, accumulate);
  }
}

// The two edge kernels below cover the last n mod NR columns and the last m mod MR (= 1) row. In
// a big product they are a sliver of the work; in a matrix–vector product (n = 1 or m = 1) they
// are all of it, which is why they keep MR rows or NR columns in registers too, instead of
// doing one dot product per entry.

/** C columns j..n-1 (fewer than NR of them) of the MR = 2 rows at i, from the last, narrow Y panel. */
function edgeColumns(pa: Float64Array, pb: Float64Array, C: Float64Array, i: number, j: number, n: number, k: number, accumulate: boolean): void {
  const w = n - j;
  for (let s = 0; s < w; s++) {
    let qa = i * k;
    let qb = j * k + s;
    let c0 = 0, c1 = 0;
    for (let p = 0; p < k; p++) {
      const y = pb[qb];
      c0 += pa[qa] * y;
      c1 += pa[qa + 1] * y;
      qa += MR;
      qb += w;
    }
    const o0 = i * n + j + s;
    const o1 = o0 + n;
    if (accumulate) {
      C[o0] += c0; C[o1] += c1;
    } else {
      C[o0] = c0; C[o1] = c1;
    }
  }
}

/** C row i (the last one, alone in its X panel), columns j..j+w-1, from one Y panel of width w. */
function lastRow(pa: Float64Array, pb: Float64Array, C: Float64Array, i: number, j: number, w: number, n: number, k: number, accumulate: boolean): void {
  const aBase = i * k;
  const bBase = j * k;
  const o = i * n + j;
  if (w === NR) {
    let qb = bBase;
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    for (let p = 0; p < k; p++) {
      const x = pa[aBase + p];
      c0 += x * pb[qb]; c1 += x * pb[qb + 1]; c2 += x * pb[qb + 2]; c3 += x * pb[qb + 3];
      qb += NR;
    }
    if (accumulate) {
      C[o] += c0; C[o + 1] += c1; C[o + 2] += c2; C[o + 3] += c3;
    } else {
      C[o] = c0; C[o + 1] = c1; C[o + 2] = c2; C[o + 3] = c3;
    }
    return;
  }
  for (let s = 0; s < w; s++) {
    let qb = bBase + s;
    let c = 0;
    for (let p = 0; p < k; p++, qb += w) c += pa[aBase + p] * pb[qb];
    C[o + s] = accumulate ? C[o + s] + c : c;
  }
}

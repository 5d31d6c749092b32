// Float64 matrix products for WebAssembly with 128-bit SIMD (f64x2), compiled by AssemblyScript
// (`pnpm run build:wasm` → src/kernels/generated/gemm-wasm.ts; see scripts/build-wasm.mjs).
//
// One computation serves every layout: C (m×n) = Σ_t X_t·Y_tᵀ (or +=), with X_t = op(A_t) (m×k) and
// Y_t = op(B_t)ᵀ (n×k), as in src/kernels/gemm.ts; a single product is a table of one term. A sum of
// terms is one product with a longer depth ([X_1 X_2]·[Y_1 Y_2]ᵀ), so C is written once and the
// threads split it once. The JS side (src/kernels/wasm.ts) copies the operands (and C when
// accumulating) into this module's linear memory and passes their addresses in the term table; this
// module never allocates: all scratch comes from the caller, so several threads can share one
// memory, each with its own scratch, each computing a block of C.
//
// Blocking is the usual Goto/BLIS scheme, with sizes measured on the 2-core machines this was tuned
// on (AMD EPYC, L1d 32 KiB, L2 0.5–1 MiB per core):
//   for jc over columns of C in steps of NC
//     for each term t, for pc over the depth in steps of KC   pack Y_t[jc:jc+NC, pc:pc+KC] (4-row panels)
//       for ic over rows of C in steps of MC                  pack X_t[ic:ic+MC, pc:pc+KC] (4-row panels)
//         for jr over 4-column strips                         a KC×4 panel of Y stays in L1
//           for ir over 4-row strips                          the MC×KC block of X streams from L2
//             4×4 micro-kernel: eight f64x2 accumulators; one k step = 8 multiply-adds and
//             either 4 splat loads of X and 2 vector loads of Y, or 2 vector loads of each and 2
//             swaps of Y's pairs (see micro: whichever V8 runs faster in that build).
// The micro-tile is the largest V8's register allocator keeps in the 15 xmm registers it hands out:
// 6×4, 4×6, 8×4 and 4×8 spill and run slower, and so does unrolling over k (TurboFan hoists every
// load of the unrolled steps to the top and spills the accumulators; tried again with the swapped
// pairs: 12.5 against 18.8 GFLOP/s). 5×4 (10 accumulators, 7 loads and 20 arithmetic instructions a
// step, x broadcast) ran 12% slower on one thread: 14.4 against 16.5 GFLOP/s (2026-12-05). The plain
// 4×4 kernel runs 18.7–19.2 GFLOP/s on one thread in both builds (a 3.16 GHz Zen 3 EPYC: 6 of the 8
// flops a cycle that separate mul and add can issue), the FMA build 22.7–24.
//
// Two builds from this source (scripts/build-wasm.mjs): without relaxed SIMD each product is rounded
// and then added to a running sum that starts at zero and walks k in order, exactly as in the plain-JS
// kernel, so for k ≤ KC the results are the JS kernel's bit for bit (for k > KC the running sum is
// stored into C after each block of KC and the next block's sum added to it: the association differs,
// by round-off); with relaxed SIMD (ASC_FEATURE_RELAXED_SIMD) each step is f64x2.relaxed_madd, one
// fused multiply-add where the hardware has it (x86 FMA3, every ARMv8): 8 instead of 16 arithmetic
// instructions per step (the inner loop alone 20% faster, the kernel 15–20%), and each step rounds once.

/** Rows of X per micro-tile. */
const MR: i32 = 4;
/** Columns of C (rows of Y) per micro-tile. */
const NR: i32 = 4;

/** The first byte after this module's static data: the caller's buffers start at or after it. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * Copies rows r0 … r0+rows−1, columns p0 … p0+depth−1 of a matrix Z into `out` as panels of `W`
 * rows: panel q holds Z[r0+qW+s][p0+p] at q·W·depth + p·W + s. Z[r][p] is at
 * src + 8·(r·ld + p), or src + 8·(p·ld + r) when `transposed`. A last panel with fewer than W rows
 * is padded with zero rows (the tile over them is computed and dropped).
 */
function pack(src: usize, ld: i32, transposed: bool, r0: i32, rows: i32, p0: i32, depth: i32, out: usize): void {
  const W = MR; // == NR
  const stride = <usize>(W * depth) << 3;
  for (let q = 0; q < rows; q += W) {
    const w = min(W, rows - q);
    const base = out + (<usize>(q / W) * stride);
    if (transposed) {
      // Z is stored transposed: the w entries for one p are adjacent in memory.
      let from = src + ((<usize>p0 * ld + r0 + q) << 3);
      let to = base;
      const step = <usize>ld << 3;
      if (w == W) {
        for (let p = 0; p < depth; p++) {
          v128.store(to, v128.load(from));
          v128.store(to, v128.load(from, 16), 16);
          from += step;
          to += <usize>W << 3;
        }
      } else {
        for (let p = 0; p < depth; p++) {
          for (let s = 0; s < W; s++) store<f64>(to + (<usize>s << 3), s < w ? load<f64>(from + (<usize>s << 3)) : 0.0);
          from += step;
          to += <usize>W << 3;
        }
      }
    } else {
      // Z is row-major: read W rows side by side.
      if (w == W) {
        const rowStep = <usize>ld << 3;
        let f0 = src + ((<usize>(r0 + q) * ld + p0) << 3);
        let to = base;
        // Two steps of depth at a time: a pair from each row, transposed by four shuffles (half the
        // loads and stores of one number at a time).
        let p = 0;
        for (; p + 1 < depth; p += 2) {
          const x0 = v128.load(f0);
          const x1 = v128.load(f0 + rowStep);
          const x2 = v128.load(f0 + 2 * rowStep);
          const x3 = v128.load(f0 + 3 * rowStep);
          v128.store(to, v128.shuffle<f64>(x0, x1, 0, 2));
          v128.store(to, v128.shuffle<f64>(x2, x3, 0, 2), 16);
          v128.store(to, v128.shuffle<f64>(x0, x1, 1, 3), 32);
          v128.store(to, v128.shuffle<f64>(x2, x3, 1, 3), 48);
          f0 += 16;
          to += <usize>(2 * W) << 3;
        }
        if (p < depth) {
          store<f64>(to, load<f64>(f0));
          store<f64>(to, load<f64>(f0 + rowStep), 8);
          store<f64>(to, load<f64>(f0 + 2 * rowStep), 16);
          store<f64>(to, load<f64>(f0 + 3 * rowStep), 24);
        }
      } else {
        for (let s = 0; s < W; s++) {
          let to = base + (<usize>s << 3);
          if (s < w) {
            let from = src + ((<usize>(r0 + q + s) * ld + p0) << 3);
            for (let p = 0; p < depth; p++) {
              store<f64>(to, load<f64>(from));
              from += 8;
              to += <usize>W << 3;
            }
          } else {
            // Zeros, not leftovers: stale scratch could hold subnormals (slow) or NaN (harmless, as
            // the lanes are dropped, but zeros keep the padded tile's arithmetic ordinary).
            for (let p = 0; p < depth; p++) {
              store<f64>(to, 0.0);
              to += <usize>W << 3;
            }
          }
        }
      }
    }
  }
}

/** x·y + acc per lane: fused where the build has relaxed SIMD, else multiply, round, add. */
// @ts-ignore: decorator
@inline
function madd(x: v128, y: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(x, y, acc);
  return f64x2.add(acc, f64x2.mul(x, y));
}

/** Whether this build fuses its multiply-adds (the relaxed-SIMD build). */
export function fused(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}

/**
 * C[0:4][0:4] (row stride ldc bytes) = (mode 0) or += (mode 1) the product of a 4×kc panel of X and a
 * 4×kc panel of Y, both packed by {@link pack}.
 *
 * Two ways through the depth, with the same numbers bit for bit (each entry is the running sum of
 * its own products in the order of k):
 * - broadcast: each step splats x0 … x3 and multiplies them by the pairs (y0, y1), (y2, y3); the
 *   accumulators are the tile's rows.
 * - swapped pairs: each step multiplies (x0, x1), (x2, x3) by (y0, y1), (y2, y3) and by those pairs
 *   swapped, so the accumulators hold the diagonal (p) and anti-diagonal (q) of each 2×2 quarter,
 *   put back in rows once, at the store: 4 vector loads and 2 swaps a step instead of 6 loads.
 * Which is faster depends on how V8 lays out the loop, not on the arithmetic: on Node 20 (V8 11.3)
 * it unrolls the loop of the shared-memory build twice and that of the ordinary one three times, and
 * the broadcast form ran 18.9 GFLOP/s in the first and 16.8 in the second, the swapped form 17.8 and
 * 18.9 (one thread, the 784-256 network's products, 2026-12-05; the FMA builds 23–24 either way). So
 * each build takes its faster form (re-measure with `pnpm bench:kernels` when V8 changes).
 */
// @ts-ignore: decorator
@inline
function micro(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, mode: i32): void {
  let c00 = f64x2.splat(0);
  let c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0);
  let c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0);
  let c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0);
  let c31 = f64x2.splat(0);
  // The loops run on the pointer, not a counter: one register and one compare fewer per step.
  const end = pb + (<usize>kc << 5);
  if (ASC_FEATURE_THREADS) {
    while (pb < end) {
      const b0 = v128.load(pb);
      const b1 = v128.load(pb, 16);
      const a0 = v128.load64_splat(pa);
      c00 = madd(a0, b0, c00);
      c01 = madd(a0, b1, c01);
      const a1 = v128.load64_splat(pa, 8);
      c10 = madd(a1, b0, c10);
      c11 = madd(a1, b1, c11);
      const a2 = v128.load64_splat(pa, 16);
      c20 = madd(a2, b0, c20);
      c21 = madd(a2, b1, c21);
      const a3 = v128.load64_splat(pa, 24);
      c30 = madd(a3, b0, c30);
      c31 = madd(a3, b1, c31);
      pa += 32;
      pb += 32;
    }
  } else {
    let p00 = f64x2.splat(0); // (C00, C11)
    let q00 = f64x2.splat(0); // (C01, C10)
    let p01 = f64x2.splat(0); // (C02, C13)
    let q01 = f64x2.splat(0); // (C03, C12)
    let p10 = f64x2.splat(0); // (C20, C31)
    let q10 = f64x2.splat(0); // (C21, C30)
    let p11 = f64x2.splat(0); // (C22, C33)
    let q11 = f64x2.splat(0); // (C23, C32)
    while (pb < end) {
      const x01 = v128.load(pa);
      const x23 = v128.load(pa, 16);
      const y01 = v128.load(pb);
      const y10 = v128.shuffle<f64>(y01, y01, 1, 0);
      p00 = madd(x01, y01, p00);
      q00 = madd(x01, y10, q00);
      p10 = madd(x23, y01, p10);
      q10 = madd(x23, y10, q10);
      const y23 = v128.load(pb, 16);
      const y32 = v128.shuffle<f64>(y23, y23, 1, 0);
      p01 = madd(x01, y23, p01);
      q01 = madd(x01, y32, q01);
      p11 = madd(x23, y23, p11);
      q11 = madd(x23, y32, q11);
      pa += 32;
      pb += 32;
    }
    // Rows from quarters: row 0 = (p00.0, q00.0, p01.0, q01.0), row 1 = (q00.1, p00.1, q01.1, p01.1).
    c00 = v128.shuffle<f64>(p00, q00, 0, 2);
    c01 = v128.shuffle<f64>(p01, q01, 0, 2);
    c10 = v128.shuffle<f64>(q00, p00, 1, 3);
    c11 = v128.shuffle<f64>(q01, p01, 1, 3);
    c20 = v128.shuffle<f64>(p10, q10, 0, 2);
    c21 = v128.shuffle<f64>(p11, q11, 0, 2);
    c30 = v128.shuffle<f64>(q10, p10, 1, 3);
    c31 = v128.shuffle<f64>(q11, p11, 1, 3);
  }
  const r1 = c + ldc;
  const r2 = r1 + ldc;
  const r3 = r2 + ldc;
  if (mode != 0) {
    c00 = f64x2.add(v128.load(c), c00);
    c01 = f64x2.add(v128.load(c, 16), c01);
    c10 = f64x2.add(v128.load(r1), c10);
    c11 = f64x2.add(v128.load(r1, 16), c11);
    c20 = f64x2.add(v128.load(r2), c20);
    c21 = f64x2.add(v128.load(r2, 16), c21);
    c30 = f64x2.add(v128.load(r3), c30);
    c31 = f64x2.add(v128.load(r3, 16), c31);
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(r1, c10);
  v128.store(r1, c11, 16);
  v128.store(r2, c20);
  v128.store(r2, c21, 16);
  v128.store(r3, c30);
  v128.store(r3, c31, 16);
  // NaN is the only value unequal to itself: one test per tile tells the caller whether C needs the
  // structural-zero check, instead of a pass over all of C afterwards.
  const nan = v128.or(
    v128.or(v128.or(f64x2.ne(c00, c00), f64x2.ne(c01, c01)), v128.or(f64x2.ne(c10, c10), f64x2.ne(c11, c11))),
    v128.or(v128.or(f64x2.ne(c20, c20), f64x2.ne(c21, c21)), v128.or(f64x2.ne(c30, c30), f64x2.ne(c31, c31))),
  );
  if (v128.any_true(nan)) sawNaN = 1;
}

/**
 * Whether a NaN was stored into C since the current gemm() call began. A global of this instance:
 * each thread has an instance of its own (they share only the memory).
 */
let sawNaN: i32 = 0;

/** Bytes of one record of the term table: a, aT, b, bT as u32. */
const TERM_BYTES: usize = 16;

/**
 * Rows i0 … i1−1, columns j0 … j1−1 of C (m×n, row-major at `c`) = (or += when `acc`) Σ_t X_t·Y_tᵀ
 * over the `count` terms of the table at `terms` (16 bytes each: a, aT, b, bT as u32), with
 * X_t = op(A_t) (m×k): A_t at `a` is m×k, or k×m when `aT`; Y_t = op(B_t)ᵀ (n×k): B_t at `b` is n×k,
 * or k×n when `bT`. With `acc` 0, entries of the block are overwritten and their old contents never
 * read. `scratch` must hold scratchBytes(min(MC, i1−i0), min(NC, j1−j0), min(KC, k)) bytes (see
 * src/kernels/wasm.ts), 16-aligned; MC, NC, KC are the block sizes (rows of X, columns of C and depth per packed block).
 * Returns 1 if it stored a NaN into the block (or, with `acc` and no terms, left C as it was), else 0:
 * 0 means the block holds no NaN.
 */
export function gemm(
  terms: usize, count: i32, c: usize,
  m: i32, n: i32, k: i32, acc: i32,
  i0: i32, i1: i32, j0: i32, j1: i32,
  scratch: usize, MC: i32, NC: i32, KC: i32,
): i32 {
  sawNaN = 0;
  if (i1 <= i0 || j1 <= j0) return 0;
  const ldc = <usize>n << 3;
  if (k <= 0 || count <= 0) {
    if (acc == 0) for (let i = i0; i < i1; i++) memory.fill(c + ((<usize>i * n + j0) << 3), 0, <usize>(j1 - j0) << 3);
    return acc;
  }
  const mcMax = min(MC, i1 - i0);
  const kcMax = min(KC, k);
  const packA = scratch;
  const packB = packA + ((<usize>((mcMax + MR - 1) / MR * MR) * kcMax) << 3);
  const ncMax = min(NC, j1 - j0);
  const tile = packB + ((<usize>((ncMax + NR - 1) / NR * NR) * kcMax) << 3);
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    for (let t = 0; t < count; t++) {
      const record = terms + <usize>t * TERM_BYTES;
      const a = <usize>load<u32>(record);
      const aT = load<u32>(record, 4) != 0;
      const b = <usize>load<u32>(record, 8);
      const bT = load<u32>(record, 12) != 0;
      const lda = aT ? m : k;
      const ldb = bT ? n : k;
      for (let pc = 0; pc < k; pc += KC) {
        const kc = min(KC, k - pc);
        const mode = t == 0 && pc == 0 && acc == 0 ? 0 : 1;
        pack(b, ldb, bT, jc, nc, pc, kc, packB);
        for (let ic = i0; ic < i1; ic += MC) {
          const mc = min(MC, i1 - ic);
          pack(a, lda, aT, ic, mc, pc, kc, packA);
          block(packA, packB, mc, nc, kc, c + ((<usize>ic * n + jc) << 3), ldc, mode, tile);
        }
      }
    }
  }
  return sawNaN;
}

/**
 * The mc×nc block of C at `c` (row stride ldc bytes) = (mode 0) or += (mode 1) the product of the
 * packed blocks: micro-tiles over the whole 4×4 tiles, and over the ragged edge a tile computed whole
 * into `tile` of which only the entries inside C are kept.
 */
function block(packA: usize, packB: usize, mc: i32, nc: i32, kc: i32, c: usize, ldc: usize, mode: i32, tile: usize): void {
  const panelBytes = <usize>(kc * MR) << 3;
  for (let jr = 0; jr < nc; jr += NR) {
    const pb = packB + <usize>(jr / NR) * panelBytes;
    const w = min(NR, nc - jr);
    for (let ir = 0; ir < mc; ir += MR) {
      const pa = packA + <usize>(ir / MR) * panelBytes;
      const h = min(MR, mc - ir);
      const cp = c + (<usize>ir * ldc) + (<usize>jr << 3);
      if (h == MR && w == NR) {
        micro(pa, pb, kc, cp, ldc, mode);
      } else {
        // The tile's padding lanes may hold NaN (0·∞ against the zero padding): only the entries
        // kept are tested.
        const seen = sawNaN;
        micro(pa, pb, kc, tile, <usize>NR << 3, 0);
        sawNaN = seen;
        for (let r = 0; r < h; r++) {
          for (let s = 0; s < w; s++) {
            const o = cp + (<usize>r * ldc) + (<usize>s << 3);
            const v = load<f64>(tile + ((<usize>(r * NR + s)) << 3));
            const stored = mode == 0 ? v : load<f64>(o) + v;
            store<f64>(o, stored);
            if (stored != stored) sawNaN = 1;
          }
        }
      }
    }
  }
}

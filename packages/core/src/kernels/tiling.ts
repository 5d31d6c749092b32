// How a product is cut into blocks that fit the WebAssembly memory, and the copies of those blocks.
//
// A wasm32 memory addresses at most 4 GiB, and a memory never shrinks, so a product whose operands
// do not fit under the kernels' byte limit (MEMORY_LIMIT in ./wasm.ts) runs block by block: C is cut
// into row and column blocks and the depth into slices, each block's slices of the operands are
// copied in, multiplied into the block of C, and the block is copied out. Cutting the depth in
// multiples of the kernel's KC leaves the order of the additions exactly as in one uncut call.
//
// All offsets here are plain numbers: byte offsets of a 4 GiB memory do not fit the 32-bit signed
// arithmetic of JavaScript's bitwise operators (the bug behind products of 2 GiB and more).

/** Rounds a byte count up to a multiple of 64 (a cache line), exactly for any size below 2⁵³. */
export function alignBytes(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

/** Rows, columns and depth of one block of a product. */
export interface BlockShape {
  readonly mb: number;
  readonly nb: number;
  readonly kb: number;
}

/**
 * The largest block, halving the largest of its dimensions until `bytesFor(block)` is at most
 * `limit`; null when even a 1×1×1 block does not fit. The depth is cut only to multiples of `kStep`
 * (the kernel's KC), so that the cut changes no rounding, while rows or columns are left to cut; it
 * goes below `kStep` only for a 1×1 block.
 */
export function planBlocks(m: number, n: number, k: number, kStep: number, limit: number, bytesFor: (b: BlockShape) => number): BlockShape | null {
  let mb = Math.max(m, 1);
  let nb = Math.max(n, 1);
  let kb = Math.max(k, 1);
  for (;;) {
    if (bytesFor({ mb, nb, kb }) <= limit) return { mb, nb, kb };
    if (mb === 1 && nb === 1 && kb === 1) return null;
    if (kb > kStep && kb >= mb && kb >= nb) {
      kb = Math.max(kStep, Math.floor(Math.ceil(kb / 2) / kStep) * kStep);
    } else if (mb > 1 || nb > 1) {
      if (mb >= nb) mb = Math.ceil(mb / 2);
      else nb = Math.ceil(nb / 2);
    } else {
      kb = Math.ceil(kb / 2);
    }
  }
}

/**
 * Copies a rows×cols rectangle: row r of it is src[srcAt + r·srcLd …] to dst[dstAt + r·dstLd …].
 * One memcpy when both sides are contiguous, one per row when rows are long, a loop when they are
 * short (a subarray per row would cost more than its few elements).
 */
export function copyRect(
  src: Float64Array, srcAt: number, srcLd: number,
  dst: Float64Array, dstAt: number, dstLd: number,
  rows: number, cols: number,
): void {
  if (rows === 0 || cols === 0) return;
  if (rows * cols <= 16) {
    // A small block: a loop beats creating a subarray view (the call overhead of small products).
    for (let r = 0; r < rows; r++) {
      const from = srcAt + r * srcLd;
      const to = dstAt + r * dstLd;
      for (let s = 0; s < cols; s++) dst[to + s] = src[from + s];
    }
    return;
  }
  if ((cols === srcLd && cols === dstLd) || rows === 1) {
    dst.set(src.subarray(srcAt, srcAt + (rows - 1) * srcLd + cols), dstAt);
    return;
  }
  if (cols >= 32) {
    for (let r = 0; r < rows; r++) dst.set(src.subarray(srcAt + r * srcLd, srcAt + r * srcLd + cols), dstAt + r * dstLd);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const from = srcAt + r * srcLd;
    const to = dstAt + r * dstLd;
    for (let s = 0; s < cols; s++) dst[to + s] = src[from + s];
  }
}

// Sub-blocks of row-major matrices for the blocked factorizations: copied out to contiguous arrays
// (the gemm kernels take whole matrices), and a product subtracted back in place.
import { gemm } from '../../kernels/backend.js';

/** The rows×cols block of `src` at `offset` (row stride `stride`), as a contiguous array. */
export function copyBlock(src: Float64Array, offset: number, stride: number, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const from = offset + i * stride;
    for (let j = 0; j < cols; j++) out[i * cols + j] = src[from + j];
  }
  return out;
}

/** Writes the contiguous rows×cols `block` into `dst` at `offset` (row stride `stride`). */
export function pasteBlock(block: Float64Array, dst: Float64Array, offset: number, stride: number, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const to = offset + i * stride;
    for (let j = 0; j < cols; j++) dst[to + j] = block[i * cols + j];
  }
}

/**
 * dst[m×n block at `offset`, row stride `stride`] −= op(A)·op(B), with op(A) m×k and op(B) k×n
 * contiguous (transposed in place when `ta`, `tb`), the product on the gemm kernels.
 */
export function subtractProduct(
  dst: Float64Array, offset: number, stride: number,
  A: Float64Array, ta: boolean, B: Float64Array, tb: boolean, m: number, n: number, k: number,
): void {
  if (m === 0 || n === 0 || k === 0) return;
  const product = new Float64Array(m * n);
  gemm(A, ta, B, tb, product, m, n, k, false);
  for (let i = 0; i < m; i++) {
    const to = offset + i * stride;
    for (let j = 0; j < n; j++) dst[to + j] -= product[i * n + j];
  }
}

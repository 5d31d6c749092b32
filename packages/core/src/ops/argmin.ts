// k = the index of the smallest element (no derivative). Ties and NaN as NumPy: the first occurrence
// wins, and a NaN counts as smaller than any number.
import type { Tensor } from '../node.js';
import { argExtremum } from './argmax.js';

/**
 * The index of the smallest element, as NumPy's `argmin`: without `axis`, a plain number, the flat
 * (row-major) index; with `axis` (one axis), an `Int32Array` of indices along it, row-major over x's
 * other axes. Not a node: an index has no derivative. Ties give the first; a NaN wins (the first
 * NaN). An empty reduction is an ArgumentError.
 *
 * @example
 * ```ts
 * const k = argmin(losses);         // a number
 * const nearest = argmin(distances, 1); // Int32Array, one per row
 * ```
 */
export function argmin(x: Tensor): number;
export function argmin(x: Tensor, axis: number): Int32Array;
export function argmin(x: Tensor, axis?: number): number | Int32Array {
  return argExtremum(x, axis, 'argmin', (v, best) => v < best);
}

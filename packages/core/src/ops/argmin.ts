// k = the index of the smallest element (no derivative). Ties and NaN as NumPy: the first occurrence
// wins, and a NaN counts as smaller than any number.
import type { Tensor } from '../node.js';
import { argExtremum } from './argmax.js';
import { noExtraArguments } from './op-args.js';

/**
 * The index of the smallest element, as NumPy's `argmin`: without `axis`, a plain number, the flat
 * (row-major) index; with `axis` (one axis), an `Int32Array` of indices along it, row-major over x's
 * other axes; `keepDims` as {@link argmax}'s. Not a node: an index has no derivative. Ties give the
 * first; a NaN wins (the first NaN). An empty reduction is an ArgumentError. Under `compile`, a
 * replay where the index moves is a branch change.
 *
 * @example
 * ```ts
 * const k = argmin(losses);         // a number
 * const nearest = argmin(distances, 1); // Int32Array, one per row
 * ```
 */
export function argmin(x: Tensor, axis?: undefined, keepDims?: false): number;
export function argmin(x: Tensor, axis: number | undefined, keepDims: true): Int32Array;
export function argmin(x: Tensor, axis: number, keepDims?: boolean): Int32Array;
export function argmin(x: Tensor, axis?: number, keepDims = false): number | Int32Array {
  noExtraArguments('argmin', arguments, 3, 'argmin(x, axis, keepDims)');
  return argExtremum(x, axis, keepDims, 'argmin', (v, best) => v < best);
}

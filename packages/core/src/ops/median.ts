// y = the median of x along an axis (or of x flattened): the 0.5-quantile (./quantile.ts), the mean
// of the two middle elements when their count is even. The derivative is 1 on the middle element, or
// 1/2 on each of the two; NaN in a line gives NaN (NumPy).
import type { Scalar, Tensor } from '../node.js';
import { quantileOf } from './quantile.js';
import { noExtraArguments } from './op-args.js';

/**
 * The median of x along `axis` (one axis, negative from the end), or of x flattened without one (a
 * scalar), as NumPy's and JAX's `median`: the middle element of each sorted line, or the mean of the
 * two middle ones. `keepDims` keeps the reduced axis as 1 (every axis, when `axis` is left out, as
 * NumPy). The derivative goes to the middle element
 * (1) or the two middle ones (1/2 each); a line holding a NaN gives NaN; an empty line is an
 * `ArgumentError`. Built on {@link quantile} (q = 0.5).
 *
 * @example
 * ```ts
 * median(tensor([3, 1, 4, 1, 5])).value;  // 3
 * median(m, 1);                           // the median of each row
 * ```
 */
export function median(x: Tensor, axis?: undefined, keepDims?: false): Scalar;
export function median(x: Tensor, axis: number | undefined, keepDims: true): Tensor;
export function median(x: Tensor, axis: number, keepDims?: boolean): Tensor;
export function median(x: Tensor, axis?: number, keepDims = false): Scalar | Tensor {
  if (arguments.length > 3) noExtraArguments('median', arguments, 3, 'median(x, axis, keepDims)');
  return quantileOf(x, 0.5, axis, keepDims, 'median');
}

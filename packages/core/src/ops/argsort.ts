// The indices that sort x along an axis (NumPy's argsort): the permutation behind sort, as plain
// integers. No derivative: an index is piecewise constant, and it is not a node.
import type { Tensor } from '../node.js';
import { checkOptions } from '../options.js';
import { guardIndices } from './index-guard.js';
import { noExtraArguments, tensorArg } from './op-args.js';
import { SORT_OPTIONS, sortAxis, sortedIndices, type SortOptions } from './sort.js';

/**
 * The indices along `axis` (the last by default) that sort x, in the order {@link sort} puts the
 * elements (stable; NaN larger than every number; `{ descending: true }` for largest first): an
 * `Int32Array` of x's shape, row-major, with `sort(x, axis)` equal to `takeAlongAxis(x,
 * argsort(x, axis), axis)`. Not a node: an index has no derivative. Under `compile`, a replay
 * at values in another order is a branch change.
 *
 * @example
 * ```ts
 * argsort(tensor([30, 10, 20]));                      // Int32Array [1, 2, 0]
 * const order = argsort(scores, -1, { descending: true });
 * takeAlongAxis(labels, order, -1);                    // labels in the order of their scores
 * ```
 */
export function argsort(x: Tensor, axis: number = -1, options?: SortOptions): Int32Array {
  noExtraArguments('argsort', arguments, 3, 'argsort(x, axis, options)');
  const xt = tensorArg(x, 'argsort');
  const a = sortAxis(xt, axis, 'argsort');
  const { descending = false } = checkOptions('argsort', options, SORT_OPTIONS);
  const indicesOf = (values: Float64Array) => sortedIndices(values, xt.shape, a, descending, xt.shape[a]);
  guardIndices(xt, 'argsort', indicesOf);
  return indicesOf(xt.data);
}

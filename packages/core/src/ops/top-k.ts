// The k largest elements along an axis, largest first, and where they were (JAX's lax.top_k, which
// works on the last axis): the first k of a descending stable sort, so a tie goes to the lower index.
// The values are a gather through those positions (sort's rule: linear for fixed positions, so the
// derivative moves with each element and every second derivative is 0); the indices are plain
// integers.
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../node.js';
import { formatShape } from '../shape.js';
import { shown, tensorArg, noExtraArguments } from './op-args.js';
import { sortAxis, sortedIndices, sortedOp } from './sort.js';

/**
 * What {@link topK} returns.
 *
 * @example
 * ```ts
 * const { values, indices }: TopK = topK(tensor([1, 5, 3]), 2); // values [5, 3], indices [1, 2]
 * ```
 */
export interface TopK {
  /** The k largest along the axis, largest first: x's shape with that axis k long. A node. */
  readonly values: Tensor;
  /** Their indices along the axis, row-major over the same shape (not a node: no derivative). */
  readonly indices: Int32Array;
}

/**
 * The `k` largest elements of x along `axis` (the last by default), largest first, with their
 * indices along the axis. Ties go to the lower index; NaN counts as larger than every number (as
 * {@link sort} with `{ descending: true }`, of which these are the first k). k may be 0 (empty
 * results) up to the axis length. The values carry derivatives (each moves with its element); in
 * `compile`, values whose top k or order differ from the recording's are a branch change.
 *
 * @example
 * ```ts
 * const { values, indices } = topK(tensor([1, 5, 3, 5]), 2); // values [5, 5], indices [1, 3]
 * topK(logits, 5).values.sum();                               // the five largest scores of each row
 * ```
 */
export function topK(x: Tensor, k: number, axis: number = -1): TopK {
  if (arguments.length > 3) noExtraArguments('topK', arguments, 3, 'topK(x, k, axis)');
  const xt = tensorArg(x, 'topK');
  const a = sortAxis(xt, axis, 'topK');
  const n = xt.shape[a];
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > n) {
    throw new ArgumentError(`topK: k must be an integer from 0 to ${n} (the length of axis ${a} of shape ${formatShape(xt.shape)}), got ${shown(k)}`);
  }
  const indices = sortedIndices(xt.data, xt.shape, a, true, k);
  return { values: sortedOp(xt, a, true, k, indices), indices };
}

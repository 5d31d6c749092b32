// y = x with `updates` written at `indices` along an axis (JAX's x.at[i].set(u)): the written
// positions of x replaced by −0 (where, by a constant mask: a product by 0 would turn an ∞ or NaN
// there into NaN, and −0 + u is u, −0 included), then scatterAdd of the updates. So y is linear in
// x and in the updates and every derivative comes from where and scatterAdd: x̄ = ȳ off the written
// positions, ūpdates = take(ȳ). Indices must be distinct: which of two writes would win is not
// defined (JAX leaves it to the backend), so a repeat is refused.
import { ArgumentError, DualtapeError } from '../errors.js';
import type { Operand, Tensor } from '../node.js';
import { tensor } from '../node.js';
import { where } from './where.js';
import { scatterAdd } from './scatter-add.js';
import { takeMap } from './take.js';
import { tensorArg, noExtraArguments } from './op-args.js';

/**
 * x with `updates` written at `indices` along `axis` (JAX's `x.at[i].set(u)`, PyTorch's
 * `index_copy`): the shape of `updates` is x's with that axis's length replaced by the number of
 * indices (dropped for a single number index), and a smaller `updates` (or a number) broadcasts to
 * it. Negative indices count from the end; an index out of range, or one given twice, is an
 * `ArgumentError`. Without `axis`, the indices index x flattened and the result keeps x's shape.
 * Differentiable in x (zero at the written positions) and in the updates, to any order.
 *
 * @example
 * ```ts
 * scatterSet(tensor([1, 2, 3]), [0, 2], tensor([9, 8])).value; // [9, 2, 8]
 * scatterSet(m, [1], 0, 0);                                      // row 1 of m set to 0
 * ```
 */
export function scatterSet(x: Tensor, indices: number | ArrayLike<number>, updates: Operand, axis?: number): Tensor {
  if (arguments.length > 4) noExtraArguments('scatterSet', arguments, 4, 'scatterSet(x, indices, updates, axis)');
  const xt = tensorArg(x, 'scatterSet');
  takeMap(xt, indices, axis, 'scatterSet'); // the indices checked, and named, before they are used
  // How often each position is written: 1 where once, 2 or more where an index repeats.
  const writes = scatterAdd(tensor(new Float64Array(xt.size), xt.shape), indices, 1, axis).value;
  const twice = writes.findIndex((w) => w > 1);
  if (twice >= 0) {
    throw new ArgumentError(`scatterSet: an index is given more than once (element ${twice} of x, row-major, is written twice); which write wins is not defined: give each index once`);
  }
  try {
    return scatterAdd(where(tensor(writes, xt.shape), -0, xt), indices, updates, axis);
  } catch (error) {
    // The updates' checks are scatterAdd's: named for the function the caller called.
    if (error instanceof DualtapeError && error.message.startsWith('scatterAdd:')) {
      throw new (error.constructor as new (message: string) => DualtapeError)(`scatterSet:${error.message.slice('scatterAdd:'.length)}`);
    }
    throw error;
  }
}

// y = the n-th forward difference of x along an axis (NumPy's diff): y_k = x_{k+1} − x_k, n times.
// A composition of slice and sub, so its rules are theirs: linear, with exact derivatives of every order.
import { ArgumentError } from '../errors.js';
import { normalizeAxis } from '../shape.js';
import { integerArg, noExtraArguments, tensorArg } from './op-args.js';
import { slice } from './slice.js';
import { sub } from './sub.js';
import type { Tensor } from '../node.js';

/**
 * The n-th discrete difference along `axis` (the last by default), as NumPy's `diff`: each pass
 * replaces x by x[1:] − x[:−1], so the axis gets n shorter (empty once n reaches its length). n = 0
 * gives x.
 *
 * @example
 * ```ts
 * diff(tensor([1, 4, 9, 16])).value;    // [3, 5, 7]
 * diff(tensor([1, 4, 9, 16]), 2).value; // [2, 2]
 * diff(m, 1, 0);                        // differences of the rows of a matrix
 * ```
 */
export function diff(x: Tensor, n = 1, axis = -1): Tensor {
  noExtraArguments('diff', arguments, 3, 'diff(x, n, axis)');
  tensorArg(x, 'diff');
  integerArg(n, 'n', 'diff', 0);
  if (x.shape.length === 0) throw new ArgumentError('diff: a 0-d tensor has no axis to difference; give a tensor of at least one axis');
  const a = normalizeAxis(axis, x.shape, 'diff');
  let y = x;
  for (let pass = 0; pass < n && y.shape[a] > 0; pass++) {
    const length = y.shape[a];
    y = sub(slice(y, 1, length, a), slice(y, 0, length - 1, a)) as Tensor;
  }
  return y;
}

// y = x with two axes exchanged: a transpose, so R{y} swaps R{x} and x̄ += ȳ swapped back (the swap
// is its own inverse), and likewise R{x̄}.
import type { Tensor } from '../node.js';
import { normalizeAxis } from '../shape.js';
import { tensorArg, noExtraArguments } from './op-args.js';
import { transpose } from './transpose.js';

/**
 * x with axes `a` and `b` exchanged (negative axes count from the end), as NumPy's `swapaxes`.
 *
 * @example
 * ```ts
 * swapAxes(batch, -1, -2); // the last two axes: a batch of matrices transposed
 * x.swapAxes(0, 2);
 * ```
 */
export function swapAxes(x: Tensor, a: number, b: number): Tensor {
  if (arguments.length > 3) noExtraArguments('swapAxes', arguments, 3, 'swapAxes(x, a, b)');
  const xt = tensorArg(x, 'swapAxes');
  const i = normalizeAxis(a, xt.shape, 'swapAxes'), j = normalizeAxis(b, xt.shape, 'swapAxes');
  const perm = xt.shape.map((_, k) => (k === i ? j : k === j ? i : k));
  return transpose(xt, perm);
}

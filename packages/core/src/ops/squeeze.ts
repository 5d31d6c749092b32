// y = x without axes of length 1: a reshape (same elements, same order), so R{y} = R{x} and
// x̄ += ȳ, each reshaped, and likewise R{x̄}.
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../node.js';
import { formatShape, normalizeAxes } from '../shape.js';
import { tensorArg, noExtraArguments } from './op-args.js';
import { reshape } from './reshape.js';

/**
 * Removes axes of length 1: those listed in `axis` (a number or a list; each must have length 1), or
 * every one of them when `axis` is left out (NumPy's `squeeze`).
 *
 * @example
 * ```ts
 * squeeze(column);       // [3, 1] → [3]
 * x.squeeze(0);          // [1, 2, 1] → [2, 1]
 * ```
 */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  if (arguments.length > 2) noExtraArguments('squeeze', arguments, 2, 'squeeze(x, axis)', 'several axes are one array: squeeze(x, [0, 1])');
  const xt = tensorArg(x, 'squeeze');
  const axes = axis === undefined
    ? xt.shape.flatMap((d, k) => (d === 1 ? [k] : []))
    : normalizeAxes(axis, xt.shape, 'squeeze');
  for (const a of axes) {
    if (xt.shape[a] !== 1) {
      throw new ArgumentError(`squeeze: axis ${a} of shape ${formatShape(xt.shape)} has length ${xt.shape[a]}, not 1; only axes of length 1 can be removed`);
    }
  }
  return axes.length === 0 ? xt : reshape(xt, xt.shape.filter((_, k) => !axes.includes(k)));
}

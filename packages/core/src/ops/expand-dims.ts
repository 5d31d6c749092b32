// y = x with new axes of length 1: a reshape, so R{y} = R{x} and x̄ += ȳ, each reshaped, and
// likewise R{x̄}.
import { ArgumentError } from '../errors.js';
import { Scalar, type Tensor } from '../node.js';
import { promote } from '../elementwise/operands.js';
import { checkRank, formatShape } from '../shape.js';
import { integerList, noExtraArguments, tensorArg } from './op-args.js';
import { reshape } from './reshape.js';
import { shown } from '../shown.js';

/**
 * Inserts axes of length 1 so that they sit at positions `axis` of the result (a number or a list;
 * negative positions count from the end of the result), as NumPy's `expand_dims`.
 *
 * @example
 * ```ts
 * expandDims(x, 0);        // [3] → [1, 3]
 * x.expandDims([-1, 0]);   // [3] → [1, 3, 1]
 * ```
 */
export function expandDims(x: Tensor | Scalar, axis: number | readonly number[]): Tensor {
  noExtraArguments('expandDims', arguments, 2, 'expandDims(x, axis)', 'for several new axes give them as one array: expandDims(x, [0, 2])');
  // A scalar node is a 0-d tensor here (NumPy's expand_dims of a 0-d array).
  const xt = tensorArg(x instanceof Scalar ? promote(x) : x, 'expandDims');
  const list = integerList(axis, 'axis', 'expandDims');
  const rank = xt.shape.length + list.length;
  const positions = list.map((a) => (a < 0 ? a + rank : a));
  if (positions.some((p) => p < 0 || p >= rank) || new Set(positions).size !== positions.length) {
    throw new ArgumentError(
      `expandDims: axis ${shown(axis)} must name distinct positions in [${-rank}, ${rank}) of the rank-${rank} result (x has shape ${formatShape(xt.shape)})`,
    );
  }
  const dims = [...xt.shape];
  const shape = Array.from({ length: rank }, (_, k) => (positions.includes(k) ? 1 : dims.shift() as number));
  return reshape(xt, checkRank(shape, 'expandDims'));
}

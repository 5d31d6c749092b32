// y_ij = a_i·b_j (NumPy's outer: both operands flattened first).
// A product with broadcasting, so its rules are mul's: ∂y_ij/∂a_i = b_j, ∂²y/∂a∂b = 1.
import { ArgumentError } from '../errors.js';
import { Tensor, describeValue } from '../node.js';
import { checkedSize } from '../shape.js';
import { commonTape } from '../tape.js';
import { mul } from './mul.js';
import { reshape } from './reshape.js';
import { noExtraArguments } from './op-args.js';

/**
 * Outer product of two tensors, each flattened first (as NumPy's `outer`): [m]·[n] → [m, n].
 *
 * @example
 * ```ts
 * outer(u, w);   // u_i·w_j
 * u.outer(w);
 * ```
 */
export function outer(a: Tensor, b: Tensor): Tensor {
  if (arguments.length > 2) noExtraArguments('outer', arguments, 2, 'outer(a, b)');
  if (!(a instanceof Tensor)) throw new ArgumentError(`outer: the first operand is ${describeValue(a)}; expected a tensor`);
  if (!(b instanceof Tensor)) throw new ArgumentError(`outer: the second operand is ${describeValue(b)}; expected a tensor`);
  // Checked here, or reshape (the first op below) names itself for a node of a finished call.
  commonTape(a.tape, b.tape, 'outer');
  checkedSize([a.size, b.size], 'outer', 'use a product with the vectors instead of forming it'); // or mul would name itself
  return mul(reshape(a, [a.size, 1]), reshape(b, [1, b.size])) as Tensor;
}

// c = a × b for 3-vectors along an axis (NumPy's cross): c₀ = a₁b₂ − a₂b₁, c₁ = a₂b₀ − a₀b₂,
// c₂ = a₀b₁ − a₁b₀, the other axes broadcast. A composition of take, mul, sub and stack: exact
// derivatives of every order (∂c/∂a is the skew matrix of −b, ∂²c/∂a∂b constant).
import { ArgumentError, ShapeError } from '../errors.js';
import { Tensor, describeValue } from '../node.js';
import { broadcastShapes, formatShape, normalizeAxis } from '../shape.js';
import { commonTape } from '../tape.js';
import { mul } from './mul.js';
import { stack } from './stack.js';
import { sub } from './sub.js';
import { take } from './take.js';
import { noExtraArguments } from './op-args.js';

/**
 * The cross product of 3-vectors along `axis` (the last by default) of a and b, as NumPy's `cross`:
 * both have length 3 there, and the other axes broadcast. (NumPy's 2-vector form, deprecated there,
 * is not provided: append a zero component.)
 *
 * @example
 * ```ts
 * cross(tensor([1, 0, 0]), tensor([0, 1, 0])).value; // [0, 0, 1]
 * cross(forces, arms);                               // [n, 3] × [n, 3] → torques [n, 3]
 * ```
 */
export function cross(a: Tensor, b: Tensor, axis = -1): Tensor {
  noExtraArguments('cross', arguments, 3, 'cross(a, b, axis)');
  if (!(a instanceof Tensor)) throw new ArgumentError(`cross: the first operand is ${describeValue(a)}; expected a tensor`);
  if (!(b instanceof Tensor)) throw new ArgumentError(`cross: the second operand is ${describeValue(b)}; expected a tensor`);
  // Checked here, or take (the first op below) would name itself.
  commonTape(a.tape, b.tape, 'cross');
  const ia = normalizeAxis(axis, a.shape, 'cross'), ib = normalizeAxis(axis, b.shape, 'cross');
  if (a.shape[ia] !== 3 || b.shape[ib] !== 3) {
    throw new ShapeError(`cross: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} must both have length 3 along axis ${axis}; for 2-vectors append a zero component`);
  }
  // The other axes must broadcast: checked here, or mul would name itself.
  broadcastShapes(a.shape.filter((_, k) => k !== ia), b.shape.filter((_, k) => k !== ib), 'cross');
  const [a0, a1, a2] = [0, 1, 2].map((k) => take(a, k, ia));
  const [b0, b1, b2] = [0, 1, 2].map((k) => take(b, k, ib));
  const parts = [sub(mul(a1, b2), mul(a2, b1)), sub(mul(a2, b0), mul(a0, b2)), sub(mul(a0, b1), mul(a1, b0))] as Tensor[];
  // The result's axis sits where it is in the operand of higher rank (NumPy, for a negative axis).
  const rank = parts[0].shape.length + 1;
  return stack(parts, axis < 0 ? axis + rank : Math.min(axis, rank - 1));
}

// y = x repeated along broadcast dimensions (NumPy rules). Linear: R{y} is R{x} broadcast the same
// way; x̄ += ȳ summed over the broadcast dimensions, and likewise R{x̄}.
import { ArgumentError } from '../errors.js';
import { shapeOf } from '../lanes.js';
import { Scalar, Tensor, describeValue, newTensor } from '../node.js';
import { promote } from '../elementwise/operands.js';
import { broadcastShapes, checkRank, formatShape, listOf, sameShape, type Shape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule } from '../tape.js';
import { shown } from '../shown.js';
import { noExtraArguments } from './op-args.js';

const rule: OpRule = {
  linear: true,
  name: 'broadcastTo',
  tangent(o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    L.setDot(i, o.broadcastTo(L.dot(x), shapeOf(t, x), shapeOf(t, i)));
  },
  backward(o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    const xs = shapeOf(t, x), ys = shapeOf(t, i);
    if (L.sweepBar) L.addBar(x, o.sumTo(L.bar(i), ys, xs));
    if (L.sweepBarDot) L.addBarDot(x, o.sumTo(L.barDot(i), ys, xs));
  },
};
const BROADCAST_TO = registerRule(rule);

/**
 * x repeated to `shape` by NumPy's broadcasting rules (trailing dimensions align; a dimension of 1
 * stretches).
 *
 * @example
 * ```ts
 * broadcastTo(tensor([1, 2]), [3, 2]).value; // [1, 2, 1, 2, 1, 2]
 * ```
 */
export function broadcastTo(xIn: Tensor | Scalar, given: Shape): Tensor {
  noExtraArguments('broadcastTo', arguments, 2, 'broadcastTo(x, shape)', 'give the shape as one array: broadcastTo(x, [2, 3])');
  const shape = (listOf(given) ?? given) as Shape;
  // A scalar node is a 0-d tensor here (NumPy's broadcast_to of a 0-d array).
  const x = xIn instanceof Scalar ? promote(xIn) : xIn;
  if (!(x instanceof Tensor)) throw new ArgumentError(`broadcastTo: expected a tensor, got ${describeValue(x)}`);
  const t = checkLive(x.tape, 'broadcastTo');
  // Each dimension at most 2³¹, as tensor() allows: an empty tensor would otherwise take [1e12, 0].
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0 || d > 2 ** 31)) {
    throw new ArgumentError(`broadcastTo: the shape must be an array of non-negative integers up to 2³¹, got ${shown(shape)}`);
  }
  checkRank(shape, 'broadcastTo');
  if (!sameShape(broadcastShapes(x.shape, shape, 'broadcastTo'), shape)) {
    throw new ArgumentError(`broadcastTo: shape ${formatShape(x.shape)} does not broadcast to ${formatShape(shape)}`);
  }
  if (sameShape(x.shape, shape)) return x;
  const active = t.active[x.id] === 1;
  // numbers(): the algebra may leave a repeat for a fused loop to read; a node's value is written out.
  const data = t.o.numbers(t.o.broadcastTo(x.data, x.shape, shape)) as Float64Array;
  const y = newTensor(t, BROADCAST_TO, x.id, NO_INPUT, active, [...shape], data, null);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return y;
}

// y = x with another shape; same elements in the same row-major order.
// R{y} = R{x}; x̄ += ȳ; R{x̄} += R{ȳ}, each reshaped. The primal array is shared, never copied.
import { ArgumentError, ShapeError } from '../errors.js';
import { shapeOf } from '../lanes.js';
import { Scalar, Tensor, describeValue, newTensor } from '../node.js';
import { promote } from '../elementwise/operands.js';
import { checkRank, formatShape, listOf, sizeOf, type Shape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule } from '../tape.js';
import { noExtraArguments } from './op-args.js';

const rule: OpRule = {
  linear: true,
  name: 'reshape',
  handsOnAdjoint: true,
  tangent(o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    L.setDot(i, o.reshape(L.dot(x), shapeOf(t, x), shapeOf(t, i)));
  },
  backward(o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    const xs = shapeOf(t, x), ys = shapeOf(t, i);
    if (L.sweepBar) L.addBar(x, o.reshape(L.bar(i), ys, xs));
    if (L.sweepBarDot) L.addBarDot(x, o.reshape(L.barDot(i), ys, xs));
  },
};
const RESHAPE = registerRule(rule);

/**
 * The same elements in a new shape; one dimension may be −1 (inferred).
 *
 * @example
 * ```ts
 * reshape(tensor([1, 2, 3, 4, 5, 6]), [-1, 2]).shape; // [3, 2]
 * ```
 */
export function reshape(xIn: Tensor | Scalar, shape: Shape): Tensor {
  if (arguments.length > 2) noExtraArguments('reshape', arguments, 2, 'reshape(x, shape)', 'the new shape is one array: reshape(x, [2, 3])');
  // A scalar node is a 0-d tensor here (NumPy's reshape of a 0-d array).
  const x = xIn instanceof Scalar ? promote(xIn) : xIn;
  if (!(x instanceof Tensor)) throw new ArgumentError(`reshape: expected a tensor, got ${describeValue(x)}`);
  const t = checkLive(x.tape, 'reshape');
  const target = inferShape(x, shape);
  const active = t.active[x.id] === 1;
  const y = newTensor(t, RESHAPE, x.id, NO_INPUT, active, target, x.data, null);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return y;
}

function inferShape(x: Tensor, given: Shape): Shape {
  const shape = (listOf(given) ?? given) as Shape;
  const fail = () => new ShapeError(`reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)}`);
  if (!Array.isArray(shape)) throw new ArgumentError(`reshape: the shape must be an array of integers, got ${describeValue(shape)}`);
  checkRank(shape, 'reshape');
  const unknown = shape.indexOf(-1);
  if (shape.some((d, k) => typeof d !== 'number' || !Number.isInteger(d) || d < -1 || (d === -1 && k !== unknown))) throw fail();
  // Each dimension at most 2³¹, as tensor() allows: an empty tensor would otherwise take [1e12, 0].
  if (shape.some((d) => d > 2 ** 31)) throw new ShapeError(`reshape: ${formatShape(shape)} has a dimension above 2³¹, more than a tensor can hold`);
  if (unknown < 0) {
    if (sizeOf(shape) !== x.size) throw fail();
    return [...shape];
  }
  const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
  if (known === 0 || x.size % known !== 0) throw fail();
  return shape.map((d) => (d === -1 ? x.size / known : d));
}

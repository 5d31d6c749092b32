// y = x with another shape; same elements in the same row-major order.
// R{y} = R{x}; x̄ += ȳ; R{x̄} += R{ȳ}. The primal and tangent arrays are shared, never copied.
import { ShapeError } from '../errors.js';
import { Tensor, newTensor } from '../node.js';
import { formatShape, sizeOf, type Shape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule } from '../tape.js';
import { addInto } from './blocks.js';

const RESHAPE = registerRule({
  name: 'reshape',
  tangent(t, i) {
    t.tensorAt(i).dataDot = t.tensorAt(t.in0[i]).dataDot;
  },
  backward(t, i) {
    const y = t.tensorAt(i);
    const x = t.tensorAt(t.in0[i]);
    if (t.sweepBar && y.bar) addInto((x.bar ??= new Float64Array(x.size)), y.bar);
    if (t.sweepBarDot && y.barDot) addInto((x.barDot ??= new Float64Array(x.size)), y.barDot);
  },
});

/**
 * The same elements in a new shape; one dimension may be −1 (inferred).
 * @example `reshape(w, [H, D])`, `w.reshape([-1, 2])`
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const t = checkLive(x.tape, 'reshape');
  const target = inferShape(x, shape);
  const active = t.active[x.id] === 1;
  return newTensor(t, RESHAPE, x.id, NO_INPUT, active, target, x.data, active ? x.dataDot : null);
}

function inferShape(x: Tensor, shape: Shape): Shape {
  const unknown = shape.indexOf(-1);
  const fail = () => new ShapeError(`reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)}`);
  if (shape.some((d, k) => !Number.isInteger(d) || d < -1 || (d === -1 && k !== unknown))) throw fail();
  if (unknown < 0) {
    if (sizeOf(shape) !== x.size) throw fail();
    return [...shape];
  }
  const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
  if (known === 0 || x.size % known !== 0) throw fail();
  return shape.map((d) => (d === -1 ? x.size / known : d));
}

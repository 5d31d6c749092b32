// y = Σₖ aₖbₖ for two vectors.
//   R{y} = Σ (R{aₖ} bₖ + aₖ R{bₖ});
//   (āₖ, R{āₖ}) += (ȳ, R{ȳ})·(bₖ, R{bₖ}), and the same with a and b swapped.
// Products are the algebra's, with structural zeros: dot(x, x) at x = 0 differentiates as sum(x·x).
import type { Algebra, Value } from '../algebra/algebra.js';
import { ShapeError } from '../errors.js';
import { newScalar, type ArrayData, type Scalar, type Tensor } from '../node.js';
import { tapeOfArguments, tensorOperand } from '../elementwise/operands.js';
import { formatShape, type Shape } from '../shape.js';
import { registerRule, type OpRule } from '../tape.js';
import { mul } from './mul.js';
import { noExtraArguments } from './op-args.js';

/** Σ u·w over a vector of shape s, as a scalar of the algebra. */
function inner(o: Algebra, u: Value, w: Value, s: Shape): Value {
  if (u === 0 || w === 0) return 0;
  return o.demote(o.sumTo(o.mul(u, w), s, []));
}

const rule: OpRule = {
  name: 'dot',
  primal(o, L, i) {
    const t = L.tape;
    const a = t.in0[i], b = t.in1[i];
    L.setVal(i, o.demote(o.sumTo(o.map2(mul, L.val(a), L.val(b)), t.tensorAt(a).shape, [])));
  },
  tangent(o, L, i) {
    const t = L.tape;
    const a = t.in0[i], b = t.in1[i];
    const s = t.tensorAt(a).shape;
    L.setDot(i, o.add(inner(o, L.dot(a), L.val(b), s), inner(o, L.val(a), L.dot(b), s)));
  },
  backward(o, L, i) {
    const t = L.tape;
    const a = t.in0[i], b = t.in1[i];
    const g = L.bar(i), gDot = L.barDot(i);
    for (const [x, other] of [[a, b], [b, a]]) {
      if (!L.isActive(x)) continue;
      if (L.sweepBar) L.addBar(x, o.mul(g, L.val(other)));
      if (L.sweepBarDot) L.addBarDot(x, o.add(o.mul(gDot, L.val(other)), o.mul(g, L.dot(other))));
    }
  },
};
const DOT = registerRule(rule);

/**
 * Inner product of two vectors of equal length, a scalar node.
 * @example
 * ```ts
 * dot(tensor([1, 2, 3]), tensor([4, 5, 6])).value; // 32
 * grad((w: Tensor) => dot(w, [1, 2]))([0, 0]);    // [1, 2]
 * ```
 */
export function dot(aIn: Tensor | ArrayData, bIn: Tensor | ArrayData): Scalar {
  if (arguments.length > 2) noExtraArguments('dot', arguments, 2, 'dot(a, b)');
  const t = tapeOfArguments([aIn, bIn], 'dot');
  const a = tensorOperand(aIn, t, 'dot', 'first operand');
  const b = tensorOperand(bIn, t, 'dot', 'second operand');
  if (a.shape.length !== 1 || b.shape.length !== 1 || a.size !== b.size) {
    const other = a.shape.length === 1 && b.shape.length === 1
      ? ''
      : '; NumPy\'s dot of other ranks is matmul(a, b) for matrices (and a matrix with a vector), tensordot(a, b, [[-1], [-2]]) in general';
    throw new ShapeError(`dot: expected two vectors of equal length, got ${formatShape(a.shape)} and ${formatShape(b.shape)}${other}`);
  }
  let s = 0;
  for (let k = 0; k < a.size; k++) s += a.data[k] * b.data[k];
  const active = t.active[a.id] === 1 || t.active[b.id] === 1;
  const y = newScalar(t, DOT, a.id, b.id, active, s, 0);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return y;
}

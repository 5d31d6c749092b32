// y = a − b;  ∂y/∂a = 1, ∂y/∂b = −1;  every second partial is 0.
//   R{y} = R{a} − R{b};  (ā, R{ā}) += (ȳ, R{ȳ});  (b̄, R{b̄}) −= (ȳ, R{ȳ})   (summed over broadcasting)
import type { Algebra } from '../algebra/algebra.js';
import { back, binaryRecorder, deferredSum, seen, type BinaryMath, type BinaryOp, refuseThirdOperand } from '../elementwise/binary.js';
import { scalarId, scalarTape } from '../elementwise/scalar-fast-path.js';
import type { Lanes } from '../lanes.js';
import { Scalar, type Node, type Operand } from '../node.js';
import { registerRule, type OpRule } from '../tape.js';

function tangent(o: Algebra, L: Lanes, i: number): void {
  const t = L.tape, a = t.in0[i], b = t.in1[i];
  L.setDot(i, o.sub(seen(o, t, L.fusedDot(a), a, i), seen(o, t, L.fusedDot(b), b, i)));
}

function backward(o: Algebra, L: Lanes, i: number): void {
  const t = L.tape, a = t.in0[i], b = t.in1[i];
  if (L.sweepBar) {
    const g = L.bar(i);
    if (L.isActive(a)) L.addBar(a, back(o, t, g, i, a));
    if (L.isActive(b)) L.addBar(b, back(o, t, o.neg(g), i, b));
  }
  if (L.sweepBarDot) {
    const gDot = L.barDot(i);
    if (L.isActive(a)) L.addBarDot(a, back(o, t, gDot, i, a));
    if (L.isActive(b)) L.addBarDot(b, back(o, t, o.neg(gDot), i, b));
  }
}

const math: BinaryMath = { name: 'sub', f: (a, b) => a - b, da: () => 1, db: () => -1, fused: '-' };
const rule: OpRule = { name: 'sub', describe: deferredSum, linear: true, tangent, backward };
const CODE = registerRule(rule);
const tensors = binaryRecorder(math, CODE, rule);

/**
 * Difference, elementwise with broadcasting; either operand may be a number or array data.
 * @function
 * @example
 * ```ts
 * sub(10, tensor([1, 2])).value;       // [9, 8]
 * ```
 */
export const sub = Object.assign(function sub(a: Operand, b: Operand): Node {
  if (arguments.length > 2) refuseThirdOperand('sub', arguments);
  const t = scalarTape(a, b);
  if (t === null) return tensors(a, b);
  const ia = scalarId(t, a), ib = scalarId(t, b);
  const active = t.active[ia] === 1 || t.active[ib] === 1;
  const i = t.pushScalar(CODE, ia, ib, active);
  t.vals[i] = t.vals[ia] - t.vals[ib];
  t.dots[i] = 0;
  if (active && t.withTangent) tangent(t.o, t, i);
  return new Scalar(t, i);
}, { math }) as BinaryOp;

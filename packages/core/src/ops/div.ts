// y = a/b;  ∂y/∂a = 1/b, ∂y/∂b = −y/b;  ∂²y/∂a² = 0, ∂²y/∂a∂b = −1/b², ∂²y/∂b² = 2y/b².
//   R{y} = (R{a} − y·R{b}) / b
//   (ā, R{ā}) += (ȳ, R{ȳ})·(1/b, −R{b}/b²)
//   (b̄, R{b̄}) += (ȳ, R{ȳ})·(−y/b, (2y·R{b} − R{a})/b²)   (summed over broadcasting)
import type { Algebra } from '../algebra/algebra.js';
import { back, binaryPrimal, binaryRecorder, seen, type BinaryMath, type BinaryOp, refuseThirdOperand } from '../elementwise/binary.js';
import { scalarId, scalarTape } from '../elementwise/scalar-fast-path.js';
import type { Lanes } from '../lanes.js';
import { Scalar, type Node, type Operand } from '../node.js';
import { addAdjoints, registerRule, type OpRule } from '../tape.js';

function tangent(o: Algebra, L: Lanes, i: number): void {
  const t = L.tape, a = t.in0[i], b = t.in1[i];
  const B = seen(o, t, L.val(b), b, i);
  L.setDot(i, o.div(o.sub(seen(o, t, L.dot(a), a, i), o.mul(L.val(i), seen(o, t, L.dot(b), b, i))), B));
}

function backward(o: Algebra, L: Lanes, i: number): void {
  const t = L.tape, a = t.in0[i], b = t.in1[i];
  const g = L.bar(i), gDot = L.sweepBarDot ? L.barDot(i) : 0;
  if (g === 0 && gDot === 0) return;
  const B = seen(o, t, L.val(b), b, i), y = L.val(i);
  const inv = o.div(1, B);
  const bDot = L.sweepBarDot ? seen(o, t, L.dot(b), b, i) : 0;
  // Each operand's two writes are one loop on the tape's own lanes (addAdjoints).
  if (L.isActive(a)) {
    addAdjoints(L, a, () => back(o, t, o.sub(o.mul(gDot, inv), o.mul(g, o.mul(bDot, o.mul(inv, inv)))), i, a), () => back(o, t, o.mul(g, inv), i, a), -1);
  }
  if (L.isActive(b)) {
    // y/b as a quotient when nested: a transform differentiating y·(1/b) would form y·(−1/b²), and 1/b²
    // underflows for |b| > 1e154 where y/b² does not.
    const yOverB = o.kind === 'nodes' ? o.div(y, B) : o.mul(y, inv);
    addAdjoints(L, b, () => {
      const aDot = seen(o, t, L.dot(a), a, i);
      // (2y·Ḃ − Ȧ)/b² as two factors 1/b, never (1/b)², which underflows for |b| > 1e154 (0 for
      // 2a/b³ = 2e-300 at (1e300, 1e200), and 0 for ∞ or NaN at a = ∞ or NaN).
      const dDot = o.mul(o.mul(o.sub(o.mul(o.mul(2, y), bDot), aDot), inv), inv);
      return back(o, t, o.sub(o.mul(g, dDot), o.mul(gDot, yOverB)), i, b);
    }, () => back(o, t, o.neg(o.mul(g, yOverB)), i, b), -1);
  }
}

const math: BinaryMath = {
  name: 'div',
  f: (a, b) => a / b,
  da: (o, _a, b) => o.div(1, b),
  db: (o, _a, b, y) => o.neg(o.div(y, b)),
  dab: (o, _a, b) => o.neg(o.div(1, o.mul(b, b))),
  dbb: (o, _a, b, y) => o.div(o.div(o.mul(2, y), b), b),
};
const rule: OpRule = { name: 'div', primal: binaryPrimal(() => div), tangent, backward };
const CODE = registerRule(rule);
const tensors = binaryRecorder(math, CODE, rule);

/**
 * Quotient, elementwise with broadcasting; either operand may be a number or array data.
 * @function
 * @example
 * ```ts
 * div(tensor([1, 2]), 4).value;        // [0.25, 0.5]
 * grad((x: Scalar) => div(1, x))(2);   // -0.25 = −1/x²
 * ```
 */
export const div = Object.assign(function div(a: Operand, b: Operand): Node {
  if (arguments.length > 2) refuseThirdOperand('div', arguments);
  const t = scalarTape(a, b);
  if (t === null) return tensors(a, b);
  const ia = scalarId(t, a), ib = scalarId(t, b);
  const active = t.active[ia] === 1 || t.active[ib] === 1;
  const i = t.pushScalar(CODE, ia, ib, active);
  t.vals[i] = t.vals[ia] / t.vals[ib];
  t.dots[i] = 0;
  if (active && t.withTangent) tangent(t.o, t, i);
  return new Scalar(t, i);
}, { math }) as BinaryOp;

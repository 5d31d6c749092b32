// y = a·b;  ∂y/∂a = b, ∂y/∂b = a;  ∂²y/∂a∂b = 1, the others 0.
import { defineBinary, type BinaryOp } from '../elementwise/binary.js';
import { scalarId, scalarTape } from '../elementwise/scalar-fast-path.js';
import { Scalar, type Operand } from '../node.js';
import { registerRule, type OpRule } from '../tape.js';
import { times } from '../elementwise/times.js';

const mulElementwise = defineBinary({
  name: 'mul',
  f: (a, b) => a * b,
  partials: (a, b, _y, P) => {
    P[0] = b; P[1] = a; P[2] = 0; P[3] = 1; P[4] = 0;
  },
});

// The scalar rules written out (see elementwise/scalar-fast-path.ts). A constant operand has a
// zero tangent (a symbolic zero, see elementwise/times.ts), so no activity test is needed:
//   R{y} = R{a}·b + a·R{b}
//   (ā, R{ā}) += (ȳ, R{ȳ})·(b, R{b});  (b̄, R{b̄}) += (ȳ, R{ȳ})·(a, R{a})
const scalarRule: OpRule = {
  name: 'mul',
  tangent(t, i) {
    const a = t.in0[i], b = t.in1[i];
    t.dot[i] = times(t.dot[a], t.val[b]) + times(t.dot[b], t.val[a]);
  },
  backward(t, i) {
    const g = t.bar[i], gDot = t.barDot[i];
    if (g === 0 && gDot === 0 && !t.checkFinite) return; // strict mode goes on, to count any 0·∞
    const a = t.in0[i], b = t.in1[i];
    const av = t.val[a], bv = t.val[b];
    if (t.sweepBar) {
      t.bar[a] += times(g, bv);
      t.bar[b] += times(g, av);
    }
    if (t.sweepBarDot) {
      t.barDot[a] += times(gDot, bv) + times(g, t.dot[b]);
      t.barDot[b] += times(gDot, av) + times(g, t.dot[a]);
    }
  },
};
const SCALAR_CODE = registerRule(scalarRule);

/** Product, elementwise with broadcasting; either operand may be a number. @example `mul(a, b)`, `a.mul(2)` */
export const mul = ((a: Operand, b: Operand) => {
  const t = scalarTape(a, b);
  if (t === null) return mulElementwise(a, b);
  const ia = scalarId(t, a);
  const ib = scalarId(t, b);
  const active = t.active[ia] === 1 || t.active[ib] === 1;
  const i = t.pushScalar(SCALAR_CODE, ia, ib, active);
  const av = t.val[ia], bv = t.val[ib];
  t.val[i] = av * bv;
  t.dot[i] = 0;
  if (active && t.withTangent) scalarRule.tangent(t, i);
  return new Scalar(t, i);
}) as BinaryOp;

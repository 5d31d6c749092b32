// y = a − b;  ∂y/∂a = 1, ∂y/∂b = −1;  every second partial is 0.
import { defineBinary, type BinaryOp } from '../elementwise/binary.js';
import { scalarId, scalarTape } from '../elementwise/scalar-fast-path.js';
import { Scalar, type Operand } from '../node.js';
import { registerRule, type OpRule } from '../tape.js';

const subElementwise = defineBinary({
  name: 'sub',
  f: (a, b) => a - b,
  partials: (_a, _b, _y, P) => {
    P[0] = 1; P[1] = -1; P[2] = 0; P[3] = 0; P[4] = 0;
  },
});

// The scalar rules written out (see elementwise/scalar-fast-path.ts):
//   R{y} = R{a} − R{b};  (ā, R{ā}) += (ȳ, R{ȳ});  (b̄, R{b̄}) −= (ȳ, R{ȳ})
const scalarRule: OpRule = {
  name: 'sub',
  tangent(t, i) {
    const a = t.in0[i], b = t.in1[i];
    t.dot[i] = t.dot[a] - t.dot[b];
  },
  backward(t, i) {
    const a = t.in0[i], b = t.in1[i];
    if (t.sweepBar) {
      const g = t.bar[i];
      t.bar[a] += g;
      t.bar[b] -= g;
    }
    if (t.sweepBarDot) {
      const gDot = t.barDot[i];
      t.barDot[a] += gDot;
      t.barDot[b] -= gDot;
    }
  },
};
const SCALAR_CODE = registerRule(scalarRule);

/** Difference, elementwise with broadcasting. @example `sub(a, b)`, `a.sub(1)` */
export const sub = ((a: Operand, b: Operand) => {
  const t = scalarTape(a, b);
  if (t === null) return subElementwise(a, b);
  const ia = scalarId(t, a);
  const ib = scalarId(t, b);
  const active = t.active[ia] === 1 || t.active[ib] === 1;
  const i = t.pushScalar(SCALAR_CODE, ia, ib, active);
  const av = t.val[ia], bv = t.val[ib];
  t.val[i] = av - bv;
  t.dot[i] = 0;
  if (active && t.withTangent) scalarRule.tangent(t, i);
  return new Scalar(t, i);
}) as BinaryOp;

// y = a/b;  ∂y/∂a = 1/b, ∂y/∂b = −y/b;  ∂²y/∂a² = 0, ∂²y/∂a∂b = −1/b², ∂²y/∂b² = 2y/b².
import { defineBinary, type BinaryOp } from '../elementwise/binary.js';
import { scalarId, scalarTape } from '../elementwise/scalar-fast-path.js';
import { Scalar, type Operand } from '../node.js';
import { registerRule, type OpRule } from '../tape.js';
import { times } from '../elementwise/times.js';

const divElementwise = defineBinary({
  name: 'div',
  f: (a, b) => a / b,
  partials: (_a, b, y, P) => {
    const inv = 1 / b;
    P[0] = inv; P[1] = -y * inv; P[2] = 0; P[3] = -inv * inv; P[4] = 2 * y * inv * inv;
  },
});

// The scalar rules written out (see elementwise/scalar-fast-path.ts), with the partials above:
//   R{y} = (R{a} − y·R{b}) / b
//   (ā, R{ā}) += (ȳ, R{ȳ})·(1/b, −R{b}/b²)
//   (b̄, R{b̄}) += (ȳ, R{ȳ})·(−y/b, −R{a}/b² + 2y·R{b}/b²)
const scalarRule: OpRule = {
  name: 'div',
  tangent(t, i) {
    const a = t.in0[i], b = t.in1[i];
    const inv = 1 / t.val[b];
    t.dot[i] = times(t.dot[a], inv) - times(t.dot[b], t.val[i] * inv);
  },
  backward(t, i) {
    const g = t.bar[i], gDot = t.barDot[i];
    if (g === 0 && gDot === 0 && !t.checkFinite) return; // strict mode goes on, to count any 0·∞
    const a = t.in0[i], b = t.in1[i];
    const inv = 1 / t.val[b], y = t.val[i];
    if (t.sweepBar) {
      t.bar[a] += times(g, inv);
      t.bar[b] -= times(g, y * inv);
    }
    if (t.sweepBarDot) {
      const aDot = t.dot[a], bDot = t.dot[b];
      t.barDot[a] += times(gDot, inv) - times(g, times(bDot, inv * inv));
      t.barDot[b] += -times(gDot, y * inv) + times(g, times(bDot, 2 * y * inv * inv) - times(aDot, inv * inv));
    }
  },
};
const SCALAR_CODE = registerRule(scalarRule);

/** Quotient, elementwise with broadcasting. @example `div(a, b)`, `a.div(2)` */
export const div = ((a: Operand, b: Operand) => {
  const t = scalarTape(a, b);
  if (t === null) return divElementwise(a, b);
  const ia = scalarId(t, a);
  const ib = scalarId(t, b);
  const active = t.active[ia] === 1 || t.active[ib] === 1;
  const i = t.pushScalar(SCALAR_CODE, ia, ib, active);
  const av = t.val[ia], bv = t.val[ib];
  t.val[i] = av / bv;
  t.dot[i] = 0;
  if (active && t.withTangent) scalarRule.tangent(t, i);
  return new Scalar(t, i);
}) as BinaryOp;

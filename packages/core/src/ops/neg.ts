// y = −x;  dy/dx = −1;  d²y/dx² = 0.
import { defineUnary, type UnaryOp } from '../elementwise/unary.js';
import { liveScalar } from '../elementwise/scalar-fast-path.js';
import { Scalar, type Node } from '../node.js';
import { NO_INPUT, registerRule, type OpRule } from '../tape.js';

const negElementwise = defineUnary({
  name: 'neg',
  f: (x) => -x,
  df: () => -1,
  d2f: () => 0,
});

// The scalar rules written out (see elementwise/scalar-fast-path.ts): R{y} = −R{x}; (x̄, R{x̄}) −= (ȳ, R{ȳ}).
const scalarRule: OpRule = {
  name: 'neg',
  tangent(t, i) {
    t.dot[i] = -t.dot[t.in0[i]];
  },
  backward(t, i) {
    const x = t.in0[i];
    if (t.sweepBar) t.bar[x] -= t.bar[i];
    if (t.sweepBarDot) t.barDot[x] -= t.barDot[i];
  },
};
const SCALAR_CODE = registerRule(scalarRule);

/** Negation, elementwise. @example `neg(x)` or `x.neg()` */
export const neg = ((x: Node) => {
  if (!liveScalar(x)) return negElementwise(x);
  const t = x.tape, ix = x.id;
  const active = t.active[ix] === 1;
  const i = t.pushScalar(SCALAR_CODE, ix, NO_INPUT, active);
  const xv = t.val[ix];
  t.val[i] = -xv;
  t.dot[i] = 0;
  if (active && t.withTangent) scalarRule.tangent(t, i);
  return new Scalar(t, i);
}) as UnaryOp;

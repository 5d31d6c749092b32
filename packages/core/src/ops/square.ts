// y = x²;  dy/dx = 2x;  d²y/dx² = 2.
import { defineUnary, type UnaryOp } from '../elementwise/unary.js';
import { liveScalar } from '../elementwise/scalar-fast-path.js';
import { Scalar, type Node } from '../node.js';
import { NO_INPUT, registerRule, type OpRule } from '../tape.js';
import { times } from '../elementwise/times.js';

const squareElementwise = defineUnary({
  name: 'square',
  f: (x) => x * x,
  df: (x) => 2 * x,
  d2f: () => 2,
});

// The scalar rules written out (see elementwise/scalar-fast-path.ts):
//   R{y} = 2x·R{x};  (x̄, R{x̄}) += (ȳ, R{ȳ})·(2x, 2·R{x})
const scalarRule: OpRule = {
  name: 'square',
  tangent(t, i) {
    const x = t.in0[i];
    t.dot[i] = times(t.dot[x], 2 * t.val[x]);
  },
  backward(t, i) {
    const g = t.bar[i], gDot = t.barDot[i];
    if (g === 0 && gDot === 0 && !t.checkFinite) return; // strict mode goes on, to count any 0·∞
    const x = t.in0[i];
    const d = 2 * t.val[x];
    if (t.sweepBar) t.bar[x] += times(g, d);
    if (t.sweepBarDot) t.barDot[x] += times(gDot, d) + times(g, 2 * t.dot[x]);
  },
};
const SCALAR_CODE = registerRule(scalarRule);

/** x², elementwise. @example `square(x)` or `x.square()` */
export const square = ((x: Node) => {
  if (!liveScalar(x)) return squareElementwise(x);
  const t = x.tape, ix = x.id;
  const active = t.active[ix] === 1;
  const i = t.pushScalar(SCALAR_CODE, ix, NO_INPUT, active);
  const xv = t.val[ix];
  t.val[i] = xv * xv;
  t.dot[i] = 0;
  if (active && t.withTangent) scalarRule.tangent(t, i);
  return new Scalar(t, i);
}) as UnaryOp;

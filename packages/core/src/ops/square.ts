// y = x²;  dy/dx = 2x;  d²y/dx² = 2.
//   R{y} = 2x·R{x};  (x̄, R{x̄}) += (ȳ, R{ȳ})·(2x, 2·R{x})
import type { Algebra } from '../algebra/algebra.js';
import { noExtraArguments } from './op-args.js';
import { liveScalar } from '../elementwise/scalar-fast-path.js';
import { refuseParameter, unaryRecorder, type UnaryMath, type UnaryOp } from '../elementwise/unary.js';
import type { Lanes } from '../lanes.js';
import { Scalar, type Node } from '../node.js';
import { NO_INPUT, addAdjoints, registerRule, type OpRule } from '../tape.js';

function tangent(o: Algebra, L: Lanes, i: number): void {
  const x = L.tape.in0[i];
  L.setDot(i, o.mul(o.mul(2, L.val(x)), L.dot(x)));
}

function backward(o: Algebra, L: Lanes, i: number): void {
  const x = L.tape.in0[i];
  const g = L.bar(i), gDot = L.sweepBarDot ? L.barDot(i) : 0;
  if (g === 0 && gDot === 0) return;
  const d = o.mul(2, L.val(x));
  // R{x̄} then x̄, one loop on the tape's own lanes; each is the last read of R{ȳ} and ȳ (`i` spent).
  addAdjoints(L, x, () => o.add(o.mul(gDot, d), o.mul(g, o.mul(2, L.dot(x)))), () => o.mul(g, d), i);
}

const math: UnaryMath = { name: 'square', f: (x) => x * x, df: (o, x) => o.mul(2, x), d2f: () => 2 };
const rule: OpRule = {
  name: 'square', tangent, backward,
  primal: (o, L, i) => L.setVal(i, o.map(square, L.val(L.tape.in0[i]))),
};
const CODE = registerRule(rule);
const tensors = unaryRecorder(math, CODE, rule);

/**
 * x², elementwise.
 * @function
 * @example
 * ```ts
 * square(tensor([-3, 2])).value;       // [9, 4]
 * ```
 */
export const square = Object.assign(function square(x: Node, extra?: unknown): Node {
  if (extra !== undefined) refuseParameter(math, extra);
  if (arguments.length > 2) noExtraArguments('square', arguments, 1, 'square(x)');
  if (!liveScalar(x)) return tensors(x);
  const t = x.tape, ix = x.id;
  const active = t.active[ix] === 1;
  const i = t.pushScalar(CODE, ix, NO_INPUT, active);
  const xv = t.vals[ix];
  t.vals[i] = xv * xv;
  t.dots[i] = 0;
  if (active && t.withTangent) tangent(t.o, t, i);
  return new Scalar(t, i);
}, { math }) as UnaryOp;

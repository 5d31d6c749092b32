// y = −x;  dy/dx = −1;  d²y/dx² = 0.
//   R{y} = −R{x};  (x̄, R{x̄}) −= (ȳ, R{ȳ})
import type { Algebra } from '../algebra/algebra.js';
import { noExtraArguments } from './op-args.js';
import { liveScalar } from '../elementwise/scalar-fast-path.js';
import { refuseParameter, unaryRecorder, type UnaryMath, type UnaryOp } from '../elementwise/unary.js';
import type { Lanes } from '../lanes.js';
import { Scalar, type Node } from '../node.js';
import { NO_INPUT, addAdjoints, registerRule, type OpRule } from '../tape.js';

function tangent(o: Algebra, L: Lanes, i: number): void {
  L.setDot(i, o.neg(L.dot(L.tape.in0[i])));
}

function backward(o: Algebra, L: Lanes, i: number): void {
  const x = L.tape.in0[i];
  // R{x̄} then x̄, one loop on the tape's own lanes; each is the last read of R{ȳ} and ȳ (`i` spent).
  addAdjoints(L, x, () => o.neg(L.barDot(i)), () => o.neg(L.bar(i)), i);
}

const math: UnaryMath = { name: 'neg', f: (x) => -x, df: () => -1, d2f: () => 0 };
const rule: OpRule = { name: 'neg', linear: true, tangent, backward };
const CODE = registerRule(rule);
const tensors = unaryRecorder(math, CODE, rule);

/**
 * Negation, elementwise.
 * @function
 * @example
 * ```ts
 * neg(tensor([1, -2])).value;          // [-1, 2]
 * ```
 */
export const neg = Object.assign(function neg(x: Node, extra?: unknown): Node {
  if (extra !== undefined) refuseParameter(math, extra);
  if (arguments.length > 2) noExtraArguments('neg', arguments, 1, 'neg(x)');
  if (!liveScalar(x)) return tensors(x);
  const t = x.tape, ix = x.id;
  const active = t.active[ix] === 1;
  const i = t.pushScalar(CODE, ix, NO_INPUT, active);
  t.vals[i] = -t.vals[ix];
  t.dots[i] = 0;
  if (active && t.withTangent) tangent(t.o, t, i);
  return new Scalar(t, i);
}, { math }) as UnaryOp;

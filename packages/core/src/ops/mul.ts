// y = a·b;  ∂y/∂a = b, ∂y/∂b = a;  ∂²y/∂a∂b = 1, the others 0.
//   R{y} = R{a}·b + a·R{b}
//   (ā, R{ā}) += (ȳ, R{ȳ})·(b, R{b});  (b̄, R{b̄}) += (ȳ, R{ȳ})·(a, R{a})   (summed over broadcasting)
import type { Algebra } from '../algebra/algebra.js';
import { back, binaryPrimal, binaryRecorder, seen, type BinaryMath, type BinaryOp, refuseThirdOperand } from '../elementwise/binary.js';
import { scalarId, scalarTape } from '../elementwise/scalar-fast-path.js';
import type { Lanes } from '../lanes.js';
import { Scalar, type Node, type Operand } from '../node.js';
import { addAdjoints, registerRule, type OpRule } from '../tape.js';

function tangent(o: Algebra, L: Lanes, i: number): void {
  const t = L.tape, a = t.in0[i], b = t.in1[i];
  L.setDot(i, o.add(
    o.mul(seen(o, t, L.dot(a), a, i), seen(o, t, L.val(b), b, i)),
    o.mul(seen(o, t, L.val(a), a, i), seen(o, t, L.dot(b), b, i)),
  ));
}

function backward(o: Algebra, L: Lanes, i: number): void {
  const t = L.tape, a = t.in0[i], b = t.in1[i];
  const g = L.bar(i), gDot = L.sweepBarDot ? L.barDot(i) : 0;
  if (g === 0 && gDot === 0) return;
  const A = seen(o, t, L.val(a), a, i), B = seen(o, t, L.val(b), b, i);
  // Each operand's two writes are one loop on the tape's own lanes (addAdjoints).
  if (L.isActive(a)) {
    addAdjoints(L, a, () => back(o, t, o.add(o.mul(gDot, B), o.mul(g, seen(o, t, L.dot(b), b, i))), i, a), () => back(o, t, o.mul(g, B), i, a), -1);
  }
  if (L.isActive(b)) {
    addAdjoints(L, b, () => back(o, t, o.add(o.mul(gDot, A), o.mul(g, seen(o, t, L.dot(a), a, i))), i, b), () => back(o, t, o.mul(g, A), i, b), -1);
  }
}

const math: BinaryMath = { name: 'mul', f: (a, b) => a * b, da: (_o, _a, b) => b, db: (_o, a) => a, dab: () => 1 };
const rule: OpRule = { name: 'mul', primal: binaryPrimal(() => mul), tangent, backward };
const CODE = registerRule(rule);
const tensors = binaryRecorder(math, CODE, rule);

/**
 * Product, elementwise with broadcasting; either operand may be a number or array data (a constant).
 * @function
 * @example
 * ```ts
 * mul(tensor([1, 2]), tensor([[3], [4]])).value; // [3, 6, 4, 8], shape [2, 2]
 * grad((x: Scalar) => mul(x, x))(3);   // 6
 * ```
 */
export const mul = Object.assign(function mul(a: Operand, b: Operand): Node {
  if (arguments.length > 2) refuseThirdOperand('mul', arguments);
  const t = scalarTape(a, b);
  if (t === null) return tensors(a, b);
  const ia = scalarId(t, a), ib = scalarId(t, b);
  const active = t.active[ia] === 1 || t.active[ib] === 1;
  const i = t.pushScalar(CODE, ia, ib, active);
  t.vals[i] = t.vals[ia] * t.vals[ib];
  t.dots[i] = 0;
  if (active && t.withTangent) tangent(t.o, t, i);
  return new Scalar(t, i);
}, { math }) as BinaryOp;

/**
 * The product that rules record when a transform is nested: an exact zero factor gives 0 even
 * against ±∞ or NaN, as in every top-level sweep (docs/conventions.md). Not exported from the package.
 * @internal
 */
const timesMath: BinaryMath = { ...math, name: 'times', f: (a, b) => (a === 0 || b === 0 ? 0 : a * b) };
export const times: BinaryOp = Object.assign(
  binaryRecorder(timesMath, registerRule({ ...rule, name: 'times', primal: binaryPrimal(() => times) }), rule), { math: timesMath },
) as BinaryOp;

// y = aᵇ.
//   With a constant exponent p:  dy/da = p·a^(p−1);  d²y/da² = p(p−1)·a^(p−2)  (any real a where aᵖ is).
//   With a node exponent:        ∂y/∂a = b·a^(b−1);  ∂y/∂b = y·ln a;  ∂²y/∂a² = b(b−1)·a^(b−2);
//                                ∂²y/∂a∂b = a^(b−1)(1 + b ln a);  ∂²y/∂b² = y·ln²a
//                                (needs a > 0 wherever the exponent carries a tangent).
// When a transform is nested, ∂y/∂a and ∂y/∂b are the ops powSlopeA(a, b) = b·a^(b−1) and
// powSlopeB(a, b) = aᵇ·ln a, whose partials are the closed forms above, not products that nested
// transforms differentiate by the product rule: that formed ∂²y/∂a∂b as ∂(y·ln a)/∂a = y′·ln a + y/a,
// with the y that under- or overflows where a^(b−1) does not (1e-200² = 0: 0.1% off at a = 1e-200,
// b = 2; +∞ for −743 at a = 5e-324, b = 1), and ∂(b·a^(b−1))/∂b = a^(b−1) + b·a^(b−1)·ln a as
// ∞ − ∞ = NaN at a = 0 for b in (0, 1), where the limit is −∞. At top level the products stay: the same
// numbers, with y reused, so the value and the gradient call no more pow or log than before.
import { defineBinary, refuseThirdOperand } from '../elementwise/binary.js';
import { defineParametricUnary } from '../elementwise/unary.js';
import type { Algebra, Value } from '../algebra/algebra.js';
import { Scalar, Tensor, type Node, type Operand } from '../node.js';
import { log } from './log.js';
import { selfContained } from '../elementwise/self-contained.js';
import { structuralTimes as times } from '../elementwise/structural-times.js';

/** IEEE 754 pow (C99, NumPy, JAX): 1ᵇ = 1 for every b, NaN included, and (−1)^±∞ = 1, where JS's ** gives NaN. */
const ieeePow = selfContained((a: number, b: number) => (a === 1 || (a === -1 && (b === Infinity || b === -Infinity)) ? 1 : a ** b));

const powConstant = defineParametricUnary({
  name: 'pow',
  parameter: 'exponent',
  f: ieeePow,
  // p = 0 and p = 1 are exact constants, so that 0·∞ at x = 0 cannot turn an exact 0 into NaN.
  df: (o, x, _y, p) => (p === 0 ? 0 : p === 1 ? 1 : o.mul(p, o.map(powConstant, x, p - 1))),
  d2f: (o, x, _y, _dy, p) => (p === 0 || p === 1 ? 0 : p === 2 ? 2 : o.mul(p * (p - 1), o.map(powConstant, x, p - 2))),
});

/** aᵏ at the level of `o`, k = b − shift. */
const power = (o: Algebra, a: Value, b: Value, shift: number): Value => o.map2(powNodes, a, o.sub(b, shift));

// The second partials of y, shared by y's rules and by those of the slopes below.
/** ∂²y/∂a² = b(b − 1)·a^(b−2). */
const curvatureAA = (o: Algebra, a: Value, b: Value): Value => o.mul(o.mul(b, o.sub(b, 1)), power(o, a, b, 2));
/** ∂²y/∂a∂b = a^(b−1)(1 + b ln a). */
const curvatureAB = (o: Algebra, a: Value, b: Value): Value => o.mul(power(o, a, b, 1), o.add(1, o.mul(b, o.map(log, a))));
/** ∂²y/∂b² = aᵇ·ln²a. */
const curvatureBB = (o: Algebra, a: Value, b: Value): Value => {
  const lnA = o.map(log, a);
  return o.mul(power(o, a, b, 0), o.mul(lnA, lnA));
};

const powNodes = defineBinary({
  name: 'pow',
  f: ieeePow,
  da: (o, a, b) => (o.kind === 'nodes' ? o.map2(powSlopeA, a, b) : o.mul(b, power(o, a, b, 1))),
  db: (o, a, b, y) => (o.kind === 'nodes' ? o.map2(powSlopeB, a, b) : o.mul(y, o.map(log, a))),
  daa: (o, a, b) => curvatureAA(o, a, b),
  dab: (o, a, b) => curvatureAB(o, a, b),
  dbb: (o, a, _b, y) => {
    const lnA = o.map(log, a);
    return o.mul(y, o.mul(lnA, lnA));
  },
});


// ∂y/∂a = b·a^(b−1) as an op: its partials are ∂²y/∂a² and ∂²y/∂a∂b, its second ones
// ∂³y/∂a³ = b(b − 1)(b − 2)·a^(b−3), ∂³y/∂a²∂b = a^(b−2)(2b − 1 + b(b − 1) ln a),
// ∂³y/∂a∂b² = a^(b−1)·ln a·(2 + b ln a). Valued as the top-level product.
const powSlopeA = defineBinary({
  name: 'powSlopeA',
  f: (a, b) => times(b, ieeePow(a, b - 1)),
  da: curvatureAA,
  db: curvatureAB,
  daa: (o, a, b) => o.mul(o.mul(b, o.mul(o.sub(b, 1), o.sub(b, 2))), power(o, a, b, 3)),
  dab: (o, a, b) => thirdAAB(o, a, b),
  dbb: (o, a, b) => thirdABB(o, a, b),
});

// ∂y/∂b = aᵇ·ln a as an op: its partials are ∂²y/∂a∂b and ∂²y/∂b², its second ones ∂³y/∂a²∂b,
// ∂³y/∂a∂b² (above) and ∂³y/∂b³ = aᵇ·ln³a. Valued as the top-level product y·ln a.
const powSlopeB = defineBinary({
  name: 'powSlopeB',
  f: (a, b) => times(ieeePow(a, b), Math.log(a)),
  da: curvatureAB,
  db: curvatureBB,
  daa: (o, a, b) => thirdAAB(o, a, b),
  dab: (o, a, b) => thirdABB(o, a, b),
  dbb: (o, a, b) => {
    const lnA = o.map(log, a);
    return o.mul(power(o, a, b, 0), o.mul(lnA, o.mul(lnA, lnA)));
  },
});

/** ∂³y/∂a²∂b = a^(b−2)(2b − 1 + b(b − 1) ln a). */
function thirdAAB(o: Algebra, a: Value, b: Value): Value {
  return o.mul(power(o, a, b, 2), o.add(o.sub(o.mul(2, b), 1), o.mul(o.mul(b, o.sub(b, 1)), o.map(log, a))));
}

/** ∂³y/∂a∂b² = a^(b−1)·ln a·(2 + b ln a). */
function thirdABB(o: Algebra, a: Value, b: Value): Value {
  const lnA = o.map(log, a);
  return o.mul(power(o, a, b, 1), o.mul(lnA, o.add(2, o.mul(b, lnA))));
}

/**
 * aᵇ, elementwise with broadcasting. A number exponent takes the constant-exponent rule, valid for
 * negative bases too. Values are IEEE 754's pow: 1ᵇ = 1 for every b (NaN and ±∞ too), (−1)^±∞ = 1,
 * a⁰ = 1 for every a.
 * @example
 * ```ts
 * pow(tensor([2, 3]), 2).value;        // [4, 9]
 * grad((x: Scalar) => pow(x, 3))(-2);  // 12 = 3x², a negative base
 * grad((x: Scalar) => pow(2, x))(3);   // 5.5452 = 2ˣ ln 2
 * ```
 */
export function pow(a: Scalar | number, b: Scalar | number): Scalar;
export function pow(a: Tensor, b: Operand): Tensor;
export function pow(a: Operand, b: Tensor): Tensor;
export function pow(a: Operand, b: Operand): Node;
export function pow(a: Operand, b: Operand): Node {
  if (arguments.length > 2) refuseThirdOperand('pow', arguments);
  if (typeof b === 'number' && (a instanceof Scalar || a instanceof Tensor)) return powConstant(a, b);
  return powNodes(a, b);
}

// y = aᵇ.
//   With a constant exponent p:  dy/da = p·a^(p−1);  d²y/da² = p(p−1)·a^(p−2)  (any real a where aᵖ is).
//   With a node exponent:        ∂y/∂a = b·a^(b−1);  ∂y/∂b = y·ln a;  ∂²y/∂a² = b(b−1)·a^(b−2);
//                                ∂²y/∂a∂b = a^(b−1)(1 + b ln a);  ∂²y/∂b² = y·ln²a
//                                (needs a > 0 wherever the exponent carries a tangent).
import { defineBinary, refuseThirdOperand } from '../elementwise/binary.js';
import { defineParametricUnary } from '../elementwise/unary.js';
import { Scalar, Tensor, type Node, type Operand } from '../node.js';
import { log } from './log.js';
import { selfContained } from '../elementwise/self-contained.js';

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

const powNodes = defineBinary({
  name: 'pow',
  f: ieeePow,
  da: (o, a, b) => o.mul(b, o.map2(powNodes, a, o.sub(b, 1))),
  db: (o, a, _b, y) => o.mul(y, o.map(log, a)),
  daa: (o, a, b) => o.mul(o.mul(b, o.sub(b, 1)), o.map2(powNodes, a, o.sub(b, 2))),
  dab: (o, a, b) => o.mul(o.map2(powNodes, a, o.sub(b, 1)), o.add(1, o.mul(b, o.map(log, a)))),
  dbb: (o, a, _b, y) => {
    const lnA = o.map(log, a);
    return o.mul(y, o.mul(lnA, lnA));
  },
});

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

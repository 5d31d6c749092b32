// y = aᵇ.
//   With a constant exponent p:  dy/da = p·a^(p−1);  d²y/da² = p(p−1)·a^(p−2)  (any real a where aᵖ is).
//   With a node exponent:        ∂y/∂b = y·ln a;  ∂²y/∂a∂b = a^(b−1)(1 + b ln a);  ∂²y/∂b² = y·ln²a
//                                (needs a > 0 wherever the exponent carries a tangent).
import { defineBinary } from '../elementwise/binary.js';
import { defineUnary } from '../elementwise/unary.js';
import { times } from '../elementwise/times.js';
import type { Node, Operand, Scalar, Tensor } from '../node.js';

const powConstant = defineUnary({
  name: 'pow',
  f: (x, p) => x ** p,
  // p = 0 and p = 1 are special-cased so that 0·∞ at x = 0 cannot turn an exact 0 into NaN.
  df: (x, _y, p) => (p === 0 ? 0 : p === 1 ? 1 : p * x ** (p - 1)),
  d2f: (x, _y, _dy, p) => (p === 0 || p === 1 ? 0 : p === 2 ? 2 : p * (p - 1) * x ** (p - 2)),
});

const powNodes = defineBinary({
  name: 'pow',
  f: (a, b) => a ** b,
  partials: (a, b, y, P) => {
    const lnA = Math.log(a);
    const aPowBm1 = a ** (b - 1);
    // times() keeps exact zeros exact: at b = 0, b·a^(b−1) is 0 even where a^(b−1) is infinite.
    P[0] = times(b, aPowBm1);
    P[1] = times(y, lnA);
    P[2] = times(b * (b - 1), a ** (b - 2));
    P[3] = aPowBm1 + times(b, times(aPowBm1, lnA));
    P[4] = times(y, lnA * lnA);
  },
});

/** aᵇ, elementwise with broadcasting. A number exponent takes the constant-exponent rule, valid for
 * negative bases too. @example `pow(x, 3)`, `x.pow(0.5)`, `pow(2, x)` */
export function pow(a: Scalar | number, b: Scalar | number): Scalar;
export function pow(a: Tensor, b: Operand): Tensor;
export function pow(a: Operand, b: Tensor): Tensor;
export function pow(a: Operand, b: Operand): Node;
export function pow(a: Operand, b: Operand): Node {
  if (typeof b === 'number' && typeof a !== 'number') return powConstant(a, b);
  return powNodes(a, b);
}

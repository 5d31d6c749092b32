// y = ln(1 + eˣ);  dy/dx = σ(x);  d²y/dx² = σ(x)(1 − σ(x)).
// Evaluated as max(x, 0) + ln(1 + e^(−|x|)): exact at large |x|, where ln(1 + eˣ) would overflow.
import { defineUnary } from '../elementwise/unary.js';
import { sigmoid, sigmoidSlope } from './sigmoid.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * softplus(x) = ln(1 + eˣ), elementwise, stable for large |x|.
 * @function
 * @example
 * ```ts
 * softplus(tensor([0, 1000])).value;   // [0.6931, 1000]: ln 2, and no overflow
 * grad((x: Scalar) => softplus(x))(0); // 0.5 = sigmoid(0)
 * ```
 */
export const softplus = defineUnary({
  name: 'softplus',
  f: selfContained((x) => (x !== x ? x : Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))))),
  df: (o, x) => o.map(sigmoid, x),
  // σ(x)·σ(−x), not s(1 − s): for large x, 1 − s cancels to rounding error. When nested the op
  // sigmoidSlope, whose derivative the product rule would form as a difference that cancels near 0.
  d2f: (o, x, _y, dy) => (o.kind === 'nodes' ? o.map(sigmoidSlope, x) : o.mul(dy, o.map(sigmoid, o.neg(x)))),
});

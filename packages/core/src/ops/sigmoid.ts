// y = σ(x) = 1/(1 + e⁻ˣ);  dy/dx = σ(x)σ(−x) = y(1 − y);  d²y/dx² = y(1 − y)(1 − 2y).
// Evaluated as e^x/(1 + e^x) for x < 0 so that e^(−x) never overflows.
import { defineUnary } from '../elementwise/unary.js';

/**
 * The logistic sigmoid 1/(1 + e⁻ˣ), elementwise, stable for large |x|.
 * @function
 * @example
 * ```ts
 * sigmoid(tensor([0, Math.log(3)])).value; // [0.5, 0.75]
 * grad((x: Scalar) => sigmoid(x))(0);  // 0.25
 * ```
 */
export const sigmoid = defineUnary({
  name: 'sigmoid',
  f: stableSigmoid,
  // σ(x)·σ(−x), not y(1 − y): for large x, 1 − y cancels to rounding error.
  df: (o, x, y) => o.mul(y, o.map(sigmoid, o.neg(x))),
  d2f: (o, _x, y, dy) => o.mul(dy, o.sub(1, o.mul(2, y))),
});

/** σ(x) without overflow: exp is only ever taken of a non-positive number. */
export function stableSigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

// y = eˣ;  dy/dx = y;  d²y/dx² = y (the output is reused: no second exp).
import { defineUnary } from '../elementwise/unary.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * eˣ, elementwise.
 * @function
 * @example
 * ```ts
 * exp(tensor([0, 1])).value;           // [1, 2.7183]
 * grad((x: Scalar) => exp(x.mul(2)))(0); // 2
 * ```
 */
export const exp = defineUnary({
  name: 'exp',
  f: selfContained((x) => Math.exp(x)),
  df: (_o, _x, y) => y,
  d2f: (_o, _x, y) => y,
});

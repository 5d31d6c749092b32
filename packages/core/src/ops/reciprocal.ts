// y = 1/x;  dy/dx = −y²;  d²y/dx² = 2y³ = −2y·dy/dx. ±∞ at ±0.
import { defineUnary } from '../elementwise/unary.js';

/**
 * Reciprocal 1/x, elementwise.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => reciprocal(x))(2); // −0.25
 * ```
 */
export const reciprocal = defineUnary({
  name: 'reciprocal',
  f: (x) => 1 / x,
  df: (o, _x, y) => o.neg(o.mul(y, y)),
  d2f: (o, _x, y, dy) => o.mul(-2, o.mul(y, dy)),
});

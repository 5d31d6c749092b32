// y = 1/√x;  dy/dx = −y/(2x);  d²y/dx² = 3/(4x^(5/2)) = −(3/2)(dy/dx)/x. Domain x > 0; +∞ at 0.
import { defineUnary } from '../elementwise/unary.js';

/**
 * Reciprocal square root 1/√x, elementwise.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => rsqrt(x))(4); // −0.0625 = −½·4^(−3/2)
 * ```
 */
export const rsqrt = defineUnary({
  name: 'rsqrt',
  f: (x) => 1 / Math.sqrt(x),
  df: (o, x, y) => o.mul(-0.5, o.div(y, x)),
  d2f: (o, x, _y, dy) => o.mul(-1.5, o.div(dy, x)),
});

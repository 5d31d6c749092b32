// y = 2ˣ;  dy/dx = y·ln 2;  d²y/dx² = y·ln²2. Exact powers of two at integer x.
import { defineUnary } from '../elementwise/unary.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * 2ˣ, elementwise.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => exp2(x))(3); // 8·ln 2 = 5.545…
 * ```
 */
export const exp2 = defineUnary({
  name: 'exp2',
  f: selfContained((x) => 2 ** x),
  df: (o, _x, y) => o.mul(Math.LN2, y),
  d2f: (o, _x, _y, dy) => o.mul(Math.LN2, dy),
});

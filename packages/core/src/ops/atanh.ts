// y = artanh x;  dy/dx = 1/(1 − x²);  d²y/dx² = 2x/(1 − x²)² = 2x·(dy/dx)². Domain (−1, 1), ±∞ at ±1.
// 1 − x² is formed as (1 − x)(1 + x), exact to a rounding near |x| = 1.
import { defineUnary } from '../elementwise/unary.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * Inverse hyperbolic tangent, elementwise; ±Infinity at ±1, NaN outside [−1, 1].
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => atanh(x))(0.5); // 1.3333… = 1/(1 − 0.25)
 * ```
 */
export const atanh = defineUnary({
  name: 'atanh',
  f: selfContained((x) => Math.atanh(x)),
  df: (o, x) => o.div(1, o.mul(o.sub(1, x), o.add(1, x))),
  d2f: (o, x, _y, dy) => o.mul(2, o.mul(x, o.mul(dy, dy))),
});

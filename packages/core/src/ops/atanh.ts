// y = artanh x;  dy/dx = 1/(1 − x²);  d²y/dx² = 2x/(1 − x²)² = 2x·(dy/dx)². Domain (−1, 1), ±∞ at ±1.
// 1 − x² is the op oneMinusSquare: valued (1 − x)(1 + x), exact to a rounding near |x| = 1, with the
// derivatives −2x and −2, exact near 0.
import { defineUnary } from '../elementwise/unary.js';
import { selfContained } from '../elementwise/self-contained.js';
import { oneMinusSquare } from './one-minus-square.js';

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
  df: (o, x) => o.div(1, o.map(oneMinusSquare, x)),
  d2f: (o, x, _y, dy) => o.mul(2, o.mul(x, o.mul(dy, dy))),
});

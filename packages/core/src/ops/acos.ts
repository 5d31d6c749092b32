// y = arccos x;  dy/dx = −1/√(1 − x²);  d²y/dx² = −x/(1 − x²)^(3/2) = x·(dy/dx)³. Domain [−1, 1];
// infinite derivatives at ±1. 1 − x² is the op oneMinusSquare: valued (1 − x)(1 + x), exact to a
// rounding near |x| = 1, with the derivatives −2x and −2, exact near 0.
import { defineUnary } from '../elementwise/unary.js';
import { rsqrt } from './rsqrt.js';
import { selfContained } from '../elementwise/self-contained.js';
import { oneMinusSquare } from './one-minus-square.js';

/**
 * Inverse cosine, elementwise; NaN outside [−1, 1].
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => acos(x))(0.6); // −1.25 = −1/√(1 − 0.36)
 * ```
 */
export const acos = defineUnary({
  name: 'acos',
  f: selfContained((x) => Math.acos(x)),
  df: (o, x) => o.neg(o.map(rsqrt, o.map(oneMinusSquare, x))),
  d2f: (o, x, _y, dy) => o.mul(x, o.mul(dy, o.mul(dy, dy))),
});

// y = ∛x (real, for any sign);  dy/dx = 1/(3y²);  d²y/dx² = −2/(9y⁵) = −(2/3)(dy/dx)/x.
// Infinite derivatives at 0. dy/dx is ((1/3)/y)/y, not (1/3)/(y·y): nested transforms differentiate
// the expression, and y·y's derivative 2y·ẏ is 0·∞ at 0, which the structural-zero rule makes 0 —
// f″(0) came out 0 and f‴(0) −∞, where the one-sided limits are ∓∞ and +∞.
import { defineUnary } from '../elementwise/unary.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * Real cube root, elementwise (negative for negative x).
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => cbrt(x))(-8); // 0.08333… = 1/(3·(−2)²)
 * ```
 */
export const cbrt = defineUnary({
  name: 'cbrt',
  f: selfContained((x) => Math.cbrt(x)),
  df: (o, _x, y) => o.div(o.div(1 / 3, y), y),
  d2f: (o, x, _y, dy) => o.mul(-2 / 3, o.div(dy, x)),
});

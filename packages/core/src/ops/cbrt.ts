// y = ∛x (real, for any sign);  dy/dx = 1/(3y²);  d²y/dx² = −2/(9y⁵) = −(2/3)(dy/dx)/x.
// Infinite derivatives at 0.
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
  df: (o, _x, y) => o.div(1 / 3, o.mul(y, y)),
  d2f: (o, x, _y, dy) => o.mul(-2 / 3, o.div(dy, x)),
});

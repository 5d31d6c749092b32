// y = log₁₀ x;  dy/dx = 1/(x ln 10);  d²y/dx² = −(dy/dx)/x. Domain x > 0; −∞ at 0.
import { defineUnary } from '../elementwise/unary.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * Base-10 logarithm, elementwise.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => log10(x))(10); // 0.043429… = 1/(10 ln 10)
 * ```
 */
export const log10 = defineUnary({
  name: 'log10',
  f: selfContained((x) => Math.log10(x)),
  df: (o, x) => o.div(Math.LOG10E, x),
  d2f: (o, x, _y, dy) => o.neg(o.div(dy, x)),
});

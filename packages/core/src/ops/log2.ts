// y = log₂ x;  dy/dx = 1/(x ln 2);  d²y/dx² = −1/(x² ln 2) = −(dy/dx)/x. Domain x > 0; −∞ at 0.
import { defineUnary } from '../elementwise/unary.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * Base-2 logarithm, elementwise; exact at powers of two.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => log2(x))(8); // 0.18033… = 1/(8 ln 2)
 * ```
 */
export const log2 = defineUnary({
  name: 'log2',
  f: selfContained((x) => Math.log2(x)),
  df: (o, x) => o.div(Math.LOG2E, x),
  d2f: (o, x, _y, dy) => o.neg(o.div(dy, x)),
});

// y = ln(1 + x), accurate for small |x|;  dy/dx = 1/(1+x);  d²y/dx² = −1/(1+x)². Domain x > −1.
import { defineUnary } from '../elementwise/unary.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * ln(1 + x), elementwise, accurate for small |x|.
 * @function
 * @example
 * ```ts
 * log1p(scalar(1e-20)).value;          // 1e-20, where Math.log(1 + 1e-20) is 0
 * grad((x: Scalar) => log1p(x))(1);    // 0.5
 * ```
 */
export const log1p = defineUnary({
  name: 'log1p',
  f: selfContained((x) => Math.log1p(x)),
  df: (o, x) => o.div(1, o.add(1, x)),
  d2f: (o, _x, _y, dy) => o.neg(o.mul(dy, dy)),
});

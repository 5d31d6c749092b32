// y = erfc x = 1 − erf x;  dy/dx = −(2/√π)e^(−x²);  d²y/dx² = −2x·dy/dx.
// Computed directly (special/error-function.ts), not as 1 − erf x, so the right tail keeps full
// relative accuracy down to erfc(27.2) ≈ 5e−324. The derivative is formed from e^(−x²) alone: it
// underflows to 0 with the true value and never needs erfc(x)·(something that overflows).
import { defineUnary } from '../elementwise/unary.js';
import { exp } from './exp.js';
import { erfcNumber } from './special/error-function.js';

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * The complementary error function 1 − erf(x), elementwise, accurate where erf(x) is near 1:
 * erfc(10) = 2.088487583762545e−45, where 1 − erf(10) is 0.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => erfc(x).log())(10); // −20.09… = erfc′(10)/erfc(10), finite
 * ```
 */
export const erfc = defineUnary({
  name: 'erfc',
  f: erfcNumber,
  df: (o, x) => o.mul(-TWO_OVER_SQRT_PI, o.map(exp, o.neg(o.mul(x, x)))),
  d2f: (o, x, _y, dy) => o.mul(-2, o.mul(x, dy)),
});

// y = erf x = (2/√π)∫₀ˣ e^(−t²) dt;  dy/dx = (2/√π)e^(−x²);  d²y/dx² = −2x·dy/dx.
// The primal is W. J. Cody's rational approximation (special/error-function.ts), a few ulps from
// the true value everywhere; the derivatives underflow to 0 for |x| > 27, never 0·∞.
import { defineUnary } from '../elementwise/unary.js';
import { exp } from './exp.js';
import { erfNumber } from './special/error-function.js';

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * The error function, elementwise: erf(±∞) = ±1.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => erf(x))(0); // 1.1283791670955126 = 2/√π
 * ```
 */
export const erf = defineUnary({
  name: 'erf',
  f: erfNumber,
  df: (o, x) => o.mul(TWO_OVER_SQRT_PI, o.map(exp, o.neg(o.mul(x, x)))),
  d2f: (o, x, _y, dy) => o.mul(-2, o.mul(x, dy)),
});

// y = ln|Γ(x)|;  dy/dx = ψ(x) (digamma);  d²y/dx² = ψ′(x) (trigamma), for every x off the poles
// (the sign of Γ does not change the derivative of ln|Γ|). +∞ at x = 0, −1, −2, … and ±∞.
// Accurate to a few ulps for x > 0 (special/log-gamma.ts); for x < 0, by reflection, to a few ulps
// of ln Γ(1 − x), so relative accuracy is lost next to the zeros at x ≈ −2.457, −2.747, ….
import { defineUnary } from '../elementwise/unary.js';
import { digamma } from './digamma.js';
import { polygammaOp } from './polygamma.js';
import { logGammaNumber } from './special/log-gamma.js';

/**
 * The log-gamma function ln|Γ(x)|, elementwise (as SciPy's gammaln and JAX's lgamma).
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => lgamma(x))(1); // −0.5772156649015329 = ψ(1) = −γ
 * ```
 */
export const lgamma = defineUnary({
  name: 'lgamma',
  f: logGammaNumber,
  df: (o, x) => o.map(digamma, x),
  d2f: (o, x) => o.map(polygammaOp, x, 1),
});

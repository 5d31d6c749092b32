// y = ψ(x) = d/dx ln Γ(x);  dy/dx = ψ′(x) = ψ⁽¹⁾(x);  d²y/dx² = ψ⁽²⁾(x). Poles at x = 0, −1, −2, …
// (NaN there: the two one-sided limits are −∞ and +∞). Accurate to a few ulps for x > 0, including
// at its zero x₀ = 1.4616… (special/psi.ts); for x < 0 by reflection, to a few ulps of its terms.
import { defineUnary } from '../elementwise/unary.js';
import { polygammaOp } from './polygamma.js';
import { psiNumber } from './special/psi.js';

/**
 * The digamma function ψ(x) = Γ′(x)/Γ(x), elementwise; the derivative of {@link lgamma}.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => digamma(x))(1); // 1.6449340668482264 = ψ′(1) = π²/6
 * ```
 */
export const digamma = defineUnary({
  name: 'digamma',
  f: (x) => psiNumber(0, x),
  df: (o, x) => o.map(polygammaOp, x, 1),
  d2f: (o, x) => o.map(polygammaOp, x, 2),
});

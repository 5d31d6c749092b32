// y = ln(x/(1 − x)), the inverse of the sigmoid;  dy/dx = 1/(x(1 − x));  d²y/dx² = (2x − 1)/(x(1 − x))².
// Domain [0, 1]: −∞ at 0, +∞ at 1, NaN outside. Evaluated as ln x − log1p(−x), which keeps full
// relative accuracy near 0 and 1; on [¼, ¾] as log1p((2x − 1)/(1 − x)), where 2x − 1 is exact, so
// the value near ½ does not come from subtracting two nearly equal logarithms.
// dy/dx is formed as 1/x + 1/(1 − x) (both terms positive on the domain: no cancellation), not as
// 1/(x(1 − x)): differentiated again (grad of grad) the product's rule adds ū·(1 − x) and −ū·x, and
// where ū = −1/(x(1 − x))² overflows (x < 1e-154) that was −∞ + ∞ = NaN instead of −∞.
import { defineUnary } from '../elementwise/unary.js';

/** logit in float64; see the file comment. */
export function logitNumber(x: number): number {
  if (x >= 0.25 && x <= 0.75) return Math.log1p((2 * x - 1) / (1 - x));
  return Math.log(x) - Math.log1p(-x);
}

/**
 * The logit ln(x/(1 − x)), elementwise, the inverse of {@link sigmoid}; ±Infinity at 1 and 0.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => logit(x))(0.25); // 5.333… = 1/(0.25·0.75)
 * ```
 */
export const logit = defineUnary({
  name: 'logit',
  f: logitNumber,
  df: (o, x) => o.add(o.div(1, x), o.div(1, o.sub(1, x))),
  d2f: (o, x, _y, dy) => o.mul(o.sub(o.mul(2, x), 1), o.mul(dy, dy)),
});

// y = x/(1 + |x|);  dy/dx = 1/(1 + |x|)²;  d²y/dx² = −2·sign(x)/(1 + |x|)³.
// y is one rounded sum and one division (no cancellation: 1 + |x| ≥ 1), and ±1 at ±∞ (the limit;
// ∞/∞ would be NaN, which JAX returns). The second derivative jumps from 2 to −2 at 0, where it is 0:
// sign(0) = 0, the derivative abs has there (JAX's abs takes 1 at 0 and gives −2).
import { defineUnary } from '../elementwise/unary.js';
import { abs } from './abs.js';
import { reciprocal } from './reciprocal.js';

/**
 * Softsign x/(1 + |x|), elementwise (JAX's `jax.nn.soft_sign`); ±1 at ±∞.
 *
 * @function
 * @example
 * ```ts
 * softsign(tensor([-3, 1, Infinity])).value;  // [-0.75, 0.5, 1]
 * grad((x: Scalar) => softsign(x))(1);        // 0.25
 * ```
 */
export const softsign = defineUnary({
  name: 'softsign',
  f: (x) => (Math.abs(x) === Infinity ? Math.sign(x) : x / (1 + Math.abs(x))),
  df: (o, x) => {
    const d = o.map(reciprocal, o.add(1, o.map(abs, x)));
    return o.mul(d, d);
  },
  d2f: (o, x, _y, dy) => {
    const d = o.map(reciprocal, o.add(1, o.map(abs, x)));
    const sign = o.step(x, (v) => (v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : NaN));
    return o.mul(o.mul(-2, sign), o.mul(dy, d));
  },
  branch: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
});

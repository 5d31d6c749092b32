// y = ln σ(x) = −softplus(−x) = −ln(1 + e⁻ˣ);  dy/dx = σ(−x);  d²y/dx² = −σ(x)σ(−x).
// Evaluated as min(x, 0) − ln(1 + e^(−|x|)): e^(−|x|) never overflows, and the two terms have the same
// sign, so nothing cancels: ln σ(−1000) = −1000, and ln σ(700) = −e⁻⁷⁰⁰ to full relative accuracy
// (a subnormal from x ≈ 708 on). The derivatives are products of the stable σ, never 1 − σ, so they
// keep their relative accuracy in both tails.
import { defineUnary } from '../elementwise/unary.js';
import { sigmoid, sigmoidSlope } from './sigmoid.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * The log-sigmoid ln σ(x) = −softplus(−x), elementwise, stable for large |x| (JAX's
 * `jax.nn.log_sigmoid`).
 * @function
 * @example
 * ```ts
 * logSigmoid(tensor([0, -1000])).value; // [-0.6931, -1000]: −ln 2, and no overflow
 * grad((x: Scalar) => logSigmoid(x))(0); // 0.5 = σ(−0)
 * ```
 */
export const logSigmoid = defineUnary({
  name: 'logSigmoid',
  f: selfContained((x) => (x !== x ? x : Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x))))),
  df: (o, x) => o.map(sigmoid, o.neg(x)),
  // When nested the op sigmoidSlope: the product's derivative would cancel near 0.
  d2f: (o, x, _y, dy) => o.neg(o.kind === 'nodes' ? o.map(sigmoidSlope, x) : o.mul(dy, o.map(sigmoid, x))),
});

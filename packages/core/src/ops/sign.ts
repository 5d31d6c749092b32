// y = sign x ∈ {−1, 0, 1} (±0 keep their sign, as Math.sign);  dy/dx = 0 (also at the jump, x = 0);
// d²y/dx² = 0. NaN in, NaN out, for y and for dy/dx.
import { defineUnary } from '../elementwise/unary.js';

/**
 * Sign of x, elementwise: −1, 0 or 1. Its derivative is 0 everywhere (a constant of the transform).
 *
 * @function
 * @example
 * ```ts
 * grad((x: Tensor) => sign(x).mul(x).sum())([-2, 3]); // [−1, 1]: |x| through sign(x)·x
 * ```
 */
export const sign = defineUnary({
  name: 'sign',
  f: (x) => Math.sign(x),
  df: (o, x) => o.step(x, (v) => (v === v ? 0 : NaN)),
  d2f: () => 0,
  // The step the value is on: another step is a branch change for a compiled replay.
  branch: (x) => Math.sign(x),
});

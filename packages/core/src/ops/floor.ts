// y = ⌊x⌋;  dy/dx = 0 (also at the jumps, the integers);  d²y/dx² = 0. NaN in, NaN out.
import { defineUnary } from '../elementwise/unary.js';

/**
 * Largest integer ≤ x, elementwise. Its derivative is 0 everywhere.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => floor(x).add(x))(2.5); // 1: only the x term has a derivative
 * ```
 */
export const floor = defineUnary({
  name: 'floor',
  f: (x) => Math.floor(x),
  df: (o, x) => o.step(x, (v) => (v === v ? 0 : NaN)),
  d2f: () => 0,
  branch: (x) => Math.floor(x),
});

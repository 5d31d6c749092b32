// y = ⌈x⌉;  dy/dx = 0 (also at the jumps, the integers);  d²y/dx² = 0. NaN in, NaN out.
import { defineUnary } from '../elementwise/unary.js';

/**
 * Smallest integer ≥ x, elementwise. Its derivative is 0 everywhere.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => ceil(x).mul(x))(2.5); // 3 = ⌈2.5⌉: the ceiling is a constant factor
 * ```
 */
export const ceil = defineUnary({
  name: 'ceil',
  f: (x) => Math.ceil(x),
  df: (o, x) => o.step(x, (v) => (v === v ? 0 : NaN)),
  d2f: () => 0,
  branch: (x) => Math.ceil(x),
});

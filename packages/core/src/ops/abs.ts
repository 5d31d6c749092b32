// y = |x|;  dy/dx = sign x (0 at x = 0, the subgradient of least norm);  d²y/dx² = 0.
import { defineUnary } from '../elementwise/unary.js';

/**
 * Absolute value, elementwise; its derivative at 0 is 0.
 * @function
 * @example
 * ```ts
 * abs(tensor([-2, 3])).value;          // [2, 3]
 * grad((x: Scalar) => abs(x))(-2);     // -1
 * ```
 */
export const abs = defineUnary({
  name: 'abs',
  f: (x) => Math.abs(x),
  df: (o, x) => o.step(x, (v) => (v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : NaN)),
  d2f: () => 0,
  branch: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
});
